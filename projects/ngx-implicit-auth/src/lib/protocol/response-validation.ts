import type { Clock } from '../clock';
import type { IdTokenSigningAlgorithm } from './algorithms';
import type { ImplicitResponseType } from './response-type';
import { ImplicitAuthError } from '../errors';
import type { AuthorizationResponse, TokenSet } from './authorization-response';
import { validateIdToken } from './id-token';
import type { KeyResolver } from './jwks';
import type { ProviderClock } from './provider-clock';

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
  /** The device's clock (an access token's expiry is measured on it from `expires_in`, a duration). */
  readonly clock: Clock;
  /** What is known of the provider's clock, for the ID token's times; default the device's. */
  readonly providerClock?: ProviderClock;
  /**
   * Whether the provider advertises `authorization_response_iss_parameter_supported` (RFC 9207): `iss` is then
   * required in responses without an ID token (an ID token's `iss` claim serves the same purpose).
   * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.4.2
   */
  readonly requireIssParameter: boolean;
  readonly getKey: KeyResolver;
  /** Audiences besides the client id an ID token may name; default none. */
  readonly trustedAudiences?: readonly string[];
  /** When the request started (ms since the epoch): an ID token issued before it is refused. */
  readonly requestedAt?: number;
  /** The `max_age` sent, in seconds: the ID token's `auth_time` is then required and checked. */
  readonly maxAgeSeconds?: number;
}

/** The longest `expires_in` accepted: one year. A larger value is a bug or an attack, not a real lifetime. */
const MAX_EXPIRES_IN = 31_536_000;

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
    new ImplicitAuthError(code, message && `response: ${message}`);
  const types = options.responseType.split(' ');
  const withIdToken = types.includes('id_token');
  const withAccessToken = types.includes('token');
  // RFC 9207 §2.4: a present `iss` must equal the issuer. It is required when the provider advertises it, except
  // next to an ID token, whose signed `iss` claim (checked below) is the same mix-up defence (RFC 9700 §4.4.2) —
  // providers such as oidc-provider leave the parameter out there.
  if (response.iss !== undefined ? response.iss !== options.issuer : options.requireIssParameter && !withIdToken) {
    throw new ImplicitAuthError(
      'response_issuer_mismatch',
      typeof ngDevMode === 'undefined' || ngDevMode ? 'response: wrong or missing iss' : '',
    );
  }
  // OIDC Core §3.2.2.5 / RFC 6749 §4.2.2: the tokens the response type asked for are REQUIRED.
  if ((withIdToken && !response.idToken) || (withAccessToken && !response.accessToken)) {
    throw fail('invalid_response', typeof ngDevMode === 'undefined' || ngDevMode ? 'token missing' : '');
  }
  let expiresAt: number | undefined;
  if (withAccessToken) {
    // RFC 6749 §7.1 / RFC 6750: we only know how to use Bearer tokens (the type is case-insensitive).
    if (response.tokenType?.toLowerCase() !== 'bearer')
      throw fail(
        'invalid_token_type',
        typeof ngDevMode === 'undefined' || ngDevMode ? 'token_type must be Bearer' : '',
      );
    // RFC 6749 §4.2.2: `expires_in` in seconds; a missing or odd value never means "never expires".
    const expiresIn = response.expiresIn ?? '';
    if (!/^[1-9]\d{0,7}$/.test(expiresIn) || +expiresIn > MAX_EXPIRES_IN) {
      throw fail('invalid_expires_in', typeof ngDevMode === 'undefined' || ngDevMode ? 'bad expires_in' : '');
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
