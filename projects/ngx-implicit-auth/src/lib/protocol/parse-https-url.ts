import { ImplicitAuthError, type ImplicitAuthErrorCode } from '../errors';
import { isSecureUrl } from './https-url';

/**
 * Parses a provider URL the library navigates to or sends a token to, refusing anything but `https:` (plain `http:`
 * only on a loopback host, for development): a `javascript:` or `data:` endpoint from a tampered discovery document
 * would run script in the app's origin, and a plain-http one would leak tokens. Fragments and credentials are refused.
 * The rule itself is `isSecureUrl`'s; this step is the on-demand code's alone (discovery, authorize, logout, UserInfo).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export function parseHttpsUrl(value: unknown, code: ImplicitAuthErrorCode, name: string): URL {
  const fail = (cause?: unknown) =>
    new ImplicitAuthError(code, typeof ngDevMode === 'undefined' || ngDevMode ? `${name} must be an https URL` : '', {
      cause,
    });
  let url: URL;
  try {
    url = new URL(value as string);
  } catch (error: unknown) {
    // A relative or malformed URL: report it under the field's name rather than as a bare TypeError.
    throw fail(error);
  }
  if (typeof value !== 'string' || !isSecureUrl(url) || url.hash) throw fail();
  return url;
}
