import { isLoopbackHost } from '../config';
import { ImplicitAuthError, type ImplicitAuthErrorCode } from '../errors';

/**
 * Parses a provider URL the library navigates to or sends a token to, refusing anything but `https:` (plain `http:`
 * only on a loopback host, for development): a `javascript:` or `data:` endpoint from a tampered discovery document
 * would run script in the app's origin, and a plain-http one would leak tokens. Fragments and credentials are refused.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export function parseHttpsUrl(value: unknown, code: ImplicitAuthErrorCode, name: string): URL {
  const fail = (cause?: unknown) => new ImplicitAuthError(code, `${name} must be an https URL`, { cause });
  let url: URL;
  try {
    url = new URL(value as string);
  } catch (error: unknown) {
    // A relative or malformed URL: report it under the field's name rather than as a bare TypeError.
    throw fail(error);
  }
  const { protocol, hostname } = url;
  if (
    typeof value !== 'string' ||
    !(protocol === 'https:' || (protocol === 'http:' && isLoopbackHost(hostname))) ||
    url.hash ||
    url.username ||
    url.password
  ) {
    throw fail();
  }
  return url;
}
