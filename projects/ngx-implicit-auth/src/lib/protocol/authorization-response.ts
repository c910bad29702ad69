import type { IdTokenClaims } from '../claims';
import { ImplicitAuthError } from '../errors';
import { MAX_AUTHORIZATION_RESPONSE_LENGTH } from './callback-detection';

/** The parameters of an authorization response (success or error), as sent. */
export interface AuthorizationResponse {
  readonly state?: string;
  readonly error?: string;
  readonly errorDescription?: string;
  /** RFC 9207 issuer identifier. */
  readonly iss?: string;
  readonly accessToken?: string;
  readonly tokenType?: string;
  readonly expiresIn?: string;
  readonly idToken?: string;
  readonly scope?: string;
}

/** What a validated response yields; nothing in it is unchecked. */
export interface TokenSet {
  readonly idToken?: string;
  readonly claims?: IdTokenClaims;
  /** Absent for response type `id_token`, even if the provider sent one. */
  readonly accessToken?: string;
  /** Milliseconds since the epoch, from `expires_in`; always set with an access token. */
  readonly expiresAt?: number;
  /** The response's `scope`, else the requested scope (RFC 6749 §4.2.2). */
  readonly scopes: readonly string[];
}

/** Response parameter names → fields. Anything else is ignored (RFC 6749 §4.2.2). */
const FIELDS: Readonly<Record<string, keyof AuthorizationResponse>> = {
  state: 'state',
  error: 'error',
  error_description: 'errorDescription',
  iss: 'iss',
  access_token: 'accessToken',
  token_type: 'tokenType',
  expires_in: 'expiresIn',
  id_token: 'idToken',
  scope: 'scope',
};

/**
 * Parses `#a=b&…` or `a=b&…` as `application/x-www-form-urlencoded`. Unknown parameters are ignored.
 *
 * @throws {ImplicitAuthError} `invalid_response` for a response longer than {@link MAX_AUTHORIZATION_RESPONSE_LENGTH}
 *   (checked before anything else is read) or for malformed percent-encoding or UTF-8; `duplicate_parameter` when a
 *   parameter appears twice (RFC 6749 §3.1).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.2
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ImplicitAuthResponse (§3.2.2.5)
 */
export function parseAuthorizationResponse(encoded: string): AuthorizationResponse {
  // Before any decoding: an oversized response costs one length check and is never split or decoded.
  if (encoded.length > MAX_AUTHORIZATION_RESPONSE_LENGTH) {
    throw new ImplicitAuthError(
      'invalid_response',
      typeof ngDevMode === 'undefined' || ngDevMode ? 'response too large' : '',
    );
  }
  const seen = new Set<string>();
  const response: Record<string, string> = {};
  for (const pair of encoded.replace(/^#/, '').split('&')) {
    if (!pair) continue;
    const at = pair.includes('=') ? pair.indexOf('=') : pair.length;
    let name: string;
    let value: string;
    try {
      [name, value] = [pair.slice(0, at), pair.slice(at + 1)].map((s) => decodeURIComponent(s.replace(/\+/g, ' ')));
    } catch (error: unknown) {
      // decodeURIComponent throws on a lone `%` or bytes that are not UTF-8: the fragment was not produced by an AS.
      throw new ImplicitAuthError(
        'invalid_response',
        typeof ngDevMode === 'undefined' || ngDevMode ? 'malformed response' : '',
        { cause: error },
      );
    }
    // RFC 6749 §3.1: parameters MUST NOT appear twice; a second value could smuggle a different token or state.
    if (seen.has(name))
      throw new ImplicitAuthError(
        'duplicate_parameter',
        typeof ngDevMode === 'undefined' || ngDevMode ? `duplicate ${name}` : '',
      );
    seen.add(name);
    const field = Object.hasOwn(FIELDS, name) ? FIELDS[name] : undefined;
    if (field) response[field] = value;
  }
  return response;
}

/**
 * The error a provider sent back (e.g. `access_denied`, `login_required`), as an {@link ImplicitAuthError} with code
 * `provider_error` and the provider's `error` and `error_description`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.2.1
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError (§3.1.2.6)
 */
export function providerError(
  response: AuthorizationResponse,
  issuer?: string,
  issRequired = false,
): ImplicitAuthError {
  // RFC 9207 §2.4 covers error responses too: a mixed-up provider must not inject an error (e.g. login_required).
  if (issuer !== undefined && (response.iss !== undefined ? response.iss !== issuer : issRequired)) {
    return new ImplicitAuthError(
      'response_issuer_mismatch',
      typeof ngDevMode === 'undefined' || ngDevMode ? 'response: wrong or missing iss' : '',
    );
  }
  // The provider's own words go into the message too: they are what tells a developer what to fix. In production the
  // message names the code and `error` only; `errorDescription` carries the rest.
  const description = response.errorDescription ? `: ${response.errorDescription}` : '';
  const message =
    typeof ngDevMode === 'undefined' || ngDevMode ? `provider error: ${response.error}${description}` : '';
  return new ImplicitAuthError('provider_error', message, {
    error: response.error,
    errorDescription: response.errorDescription,
  });
}
