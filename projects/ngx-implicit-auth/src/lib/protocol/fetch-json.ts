import { ImplicitAuthError, type ImplicitAuthErrorCode } from '../errors';

/**
 * GETs a JSON object (discovery, JWKS, UserInfo). A network error, a non-2xx status, a body that is not JSON or not
 * a JSON object all throw `code`, with the underlying failure as `cause`.
 * @see https://www.rfc-editor.org/rfc/rfc8259
 */
export async function fetchJsonObject(
  fetchFn: typeof fetch,
  url: string,
  code: ImplicitAuthErrorCode,
  init?: RequestInit,
): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    const response = await fetchFn(url, init);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (error: unknown) {
    // Offline, CORS, DNS, an HTTP error or a non-JSON body: one error code for the caller, the details in `cause`.
    throw new ImplicitAuthError(code, `${url}: request failed`, { cause: error });
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ImplicitAuthError(code, `${url}: not a JSON object`);
  }
  return body as Record<string, unknown>;
}
