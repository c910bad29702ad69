import type { IdTokenClaims } from '../claims';
import type { Clock } from '../clock';
import type { IdTokenSigningAlgorithm, ImplicitResponseType } from '../config';
import { ImplicitAuthError } from '../errors';
import { validateIdToken } from './id-token';
import type { KeyResolver } from './jwks';

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

export interface ResponseValidationOptions {
  readonly issuer: string;
  readonly clientId: string;
  readonly responseType: ImplicitResponseType;
  /** The scope sent in the request, space-separated. */
  readonly requestedScope: string;
  /** The transaction's nonce (required with an ID token). */
  readonly nonce?: string;
  readonly algorithms: readonly IdTokenSigningAlgorithm[];
  readonly clockSkewSeconds: number;
  readonly clock: Clock;
  /** Whether the provider advertises `authorization_response_iss_parameter_supported` (RFC 9207): `iss` is then required. */
  readonly requireIssParameter: boolean;
  readonly getKey: KeyResolver;
  /** Audiences besides the client id an ID token may name; default none. */
  readonly trustedAudiences?: readonly string[];
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

/** The longest `expires_in` accepted: one year. A larger value is a bug or an attack, not a real lifetime. */
const MAX_EXPIRES_IN = 31_536_000;

/**
 * Parses `#a=b&…` or `a=b&…` as `application/x-www-form-urlencoded`. Unknown parameters are ignored.
 *
 * @throws {ImplicitAuthError} `duplicate_parameter` when a parameter appears twice (RFC 6749 §3.1), `invalid_response`
 *   for malformed percent-encoding or UTF-8.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.2
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ImplicitAuthResponse (§3.2.2.5)
 */
export function parseAuthorizationResponse(encoded: string): AuthorizationResponse {
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
      throw new ImplicitAuthError('invalid_response', 'malformed response', { cause: error });
    }
    // RFC 6749 §3.1: parameters MUST NOT appear twice; a second value could smuggle a different token or state.
    if (seen.has(name)) throw new ImplicitAuthError('duplicate_parameter', `duplicate ${name}`);
    seen.add(name);
    const field = Object.hasOwn(FIELDS, name) ? FIELDS[name] : undefined;
    if (field) response[field] = value;
  }
  return response;
}

/**
 * Whether a fragment looks like an authorization response at all (has `state`, `error`, `access_token` or
 * `id_token`), to decide whether to handle a URL at start-up. Never throws.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.2
 */
export function isAuthorizationResponse(encoded: string): boolean {
  const params = new URLSearchParams(encoded.replace(/^#/, ''));
  return ['state', 'error', 'access_token', 'id_token'].some((name) => params.has(name));
}

/**
 * Validates a response whose `state` the caller has already matched to a pending transaction and whose `error` it
 * has already handled; returns the tokens only when every check passed.
 *
 * Order: the RFC 9207 `iss` parameter; the tokens the response type requires; for an access token, `token_type`
 * and `expires_in`; the ID token (with `at_hash` required when an access token came with it).
 *
 * @throws {ImplicitAuthError} `response_issuer_mismatch`, `invalid_response`, `invalid_token_type`,
 *   `invalid_expires_in`, or any error of {@link validateIdToken}.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ImplicitValidation (§3.2.2.8–3.2.2.11)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.2
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.4
 */
export async function validateAuthorizationResponse(
  response: AuthorizationResponse,
  options: ResponseValidationOptions,
): Promise<TokenSet> {
  const fail = (code: 'invalid_response' | 'invalid_token_type' | 'invalid_expires_in', message: string) =>
    new ImplicitAuthError(code, `response: ${message}`);
  // RFC 9207 §2.4: a present `iss` must equal the issuer; it is required when the provider advertises it (mix-up).
  if (response.iss !== undefined ? response.iss !== options.issuer : options.requireIssParameter) {
    throw new ImplicitAuthError('response_issuer_mismatch', 'response: wrong or missing iss');
  }
  const types = options.responseType.split(' ');
  const withIdToken = types.includes('id_token');
  const withAccessToken = types.includes('token');
  // OIDC Core §3.2.2.5 / RFC 6749 §4.2.2: the tokens the response type asked for are REQUIRED.
  if ((withIdToken && !response.idToken) || (withAccessToken && !response.accessToken)) {
    throw fail('invalid_response', 'token missing');
  }
  let expiresAt: number | undefined;
  if (withAccessToken) {
    // RFC 6749 §7.1 / RFC 6750: we only know how to use Bearer tokens (the type is case-insensitive).
    if (response.tokenType?.toLowerCase() !== 'bearer') throw fail('invalid_token_type', 'token_type must be Bearer');
    // RFC 6749 §4.2.2: `expires_in` in seconds; a missing or odd value never means "never expires".
    const expiresIn = response.expiresIn ?? '';
    if (!/^[1-9]\d{0,7}$/.test(expiresIn) || +expiresIn > MAX_EXPIRES_IN) {
      throw fail('invalid_expires_in', 'bad expires_in');
    }
    expiresAt = options.clock.now() + +expiresIn * 1000;
  }
  // With response type `token`, an ID token is not asked for: it is neither validated nor kept.
  const idToken = withIdToken ? response.idToken : undefined;
  // With response type `id_token`, an access token is not asked for: it is dropped, never kept unvalidated.
  const accessToken = withAccessToken ? response.accessToken : undefined;
  const claims = idToken ? await validateIdToken(idToken, { ...options, accessToken }) : undefined;
  return {
    idToken,
    claims,
    accessToken,
    expiresAt,
    scopes: (response.scope ?? options.requestedScope).split(' ').filter(Boolean),
  };
}

/**
 * The error a provider sent back (e.g. `access_denied`, `login_required`), as an {@link ImplicitAuthError} with code
 * `provider_error` and the provider's `error` and `error_description`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.2.1
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError (§3.1.2.6)
 */
export function providerError(response: AuthorizationResponse): ImplicitAuthError {
  return new ImplicitAuthError('provider_error', `provider error: ${response.error}`, {
    error: response.error,
    errorDescription: response.errorDescription,
  });
}
