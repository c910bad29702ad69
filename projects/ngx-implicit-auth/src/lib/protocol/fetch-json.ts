import { ImplicitAuthError, type ImplicitAuthErrorCode } from '../errors';
import { withDeadline } from './deadline';

export interface FetchJsonOptions {
  /** How long to wait for the whole answer, body included, before a `network_timeout`. */
  readonly timeoutMs: number;
  readonly headers?: HeadersInit;
}

/**
 * GETs a JSON object (discovery, JWKS, UserInfo) within a deadline, telling apart what the app can act on:
 *
 * - no answer within `timeoutMs` → `network_timeout` (the request is aborted);
 * - no answer at all (offline, DNS, CORS, connection refused, a body cut off) → `network_error`;
 * - an answer that is not a 2xx JSON object → `code`, the step's own error.
 *
 * The URL is in the message and the underlying failure in `cause`.
 * @see https://www.rfc-editor.org/rfc/rfc8259
 * @see https://fetch.spec.whatwg.org/#fetch-method
 */
export function fetchJsonObject(
  fetchFn: typeof fetch,
  url: string,
  code: ImplicitAuthErrorCode,
  { timeoutMs, headers }: FetchJsonOptions,
): Promise<Record<string, unknown>> {
  const timedOut = () =>
    new ImplicitAuthError(
      'network_timeout',
      typeof ngDevMode === 'undefined' || ngDevMode ? `${url}: no answer within ${timeoutMs} ms` : '',
    );
  return withDeadline(timeoutMs, timedOut, async (signal) => {
    let response: Response;
    let text: string;
    try {
      response = await fetchFn(url, { headers, signal });
      text = await response.text();
    } catch (error: unknown) {
      // fetch() and reading the body reject only when no complete answer arrived: the network's fault, not the
      // provider's content (a timeout is reported by the deadline, which has already settled by then).
      throw new ImplicitAuthError(
        'network_error',
        typeof ngDevMode === 'undefined' || ngDevMode ? `${url}: request failed` : '',
        { cause: error },
      );
    }
    if (!response.ok)
      throw new ImplicitAuthError(
        code,
        typeof ngDevMode === 'undefined' || ngDevMode ? `${url}: HTTP ${response.status}` : '',
      );
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error: unknown) {
      // The provider answered with something that is not JSON (an HTML error page, a proxy's text).
      throw new ImplicitAuthError(code, typeof ngDevMode === 'undefined' || ngDevMode ? `${url}: not JSON` : '', {
        cause: error,
      });
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new ImplicitAuthError(
        code,
        typeof ngDevMode === 'undefined' || ngDevMode ? `${url}: not a JSON object` : '',
      );
    }
    return body as Record<string, unknown>;
  });
}
