import { compactVerify } from 'jose';
import type { IdTokenClaims } from '../claims';
import type { Clock } from '../clock';
import type { IdTokenSigningAlgorithm } from './algorithms';
import { ImplicitAuthError, isImplicitAuthError, type ImplicitAuthErrorCode } from '../errors';
import { ASYMMETRIC_ALGORITHM } from './algorithms';
import { computeAtHash } from './at-hash';
import { decodeBase64urlJson } from './base64url';
import type { KeyResolver } from './jwks';
import { DEVICE_CLOCK, type ProviderClock } from './provider-clock';

export interface IdTokenValidationOptions {
  /** The issuer identifier, compared exactly with `iss`. */
  readonly issuer: string;
  readonly clientId: string;
  /** The transaction's nonce. Required: validation fails when it is missing. */
  readonly nonce?: string;
  /** Accepted signature algorithms; only asymmetric ones are ever honoured (never `none` or HS*). */
  readonly algorithms: readonly IdTokenSigningAlgorithm[];
  readonly clockSkewSeconds: number;
  /** The device's clock. */
  readonly clock: Clock;
  /** What is known of the provider's clock; default {@link DEVICE_CLOCK}. */
  readonly providerClock?: ProviderClock;
  readonly getKey: KeyResolver;
  /** The access token from the same response: when given, `at_hash` is required and must match. */
  readonly accessToken?: string;
  /**
   * Audiences besides the client id that may appear in `aud`. Default none: a token also meant for another party
   * is refused.
   */
  readonly trustedAudiences?: readonly string[];
  /**
   * When the request that asked for this token started (ms since the epoch, device clock): a token issued before
   * it (beyond the clock skew) is refused. Leave it out only where no request is known.
   */
  readonly requestedAt?: number;
  /**
   * The `max_age` the request sent, in seconds: `auth_time` is then required and the authentication may not be
   * older than that (plus the clock skew).
   */
  readonly maxAgeSeconds?: number;
}

/** Whether two strings are equal, looking at every character so timing does not reveal where they differ. */
function timingSafeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Validates an ID token from an implicit-flow response and returns its claims; throws at the first failed rule.
 * Every check is always on. The signature is checked first so no claim of a forged token is ever looked at.
 *
 * @throws {ImplicitAuthError} `invalid_id_token`, `unsupported_algorithm`, `unknown_key`, `jwks_failed`,
 *   `invalid_signature`, `invalid_issuer`, `invalid_audience`, `invalid_azp`, `missing_claim`, `nonce_mismatch`,
 *   `token_expired`, `invalid_iat`, `clock_skew` (see {@link ProviderClock}), `auth_time_too_old`,
 *   `at_hash_missing`, `at_hash_mismatch`.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ImplicitIDTValidation (§3.2.2.11)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation (§3.1.3.7)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ImplicitTokenValidation (§3.2.2.9)
 */
export async function validateIdToken(idToken: string, options: IdTokenValidationOptions): Promise<IdTokenClaims> {
  // Developers' texts: production builds fold `dev` to false and drop them.
  const dev = typeof ngDevMode === 'undefined' || ngDevMode;
  const fail = (code: ImplicitAuthErrorCode, message: string, cause?: unknown) =>
    new ImplicitAuthError(code, message && `ID token: ${message}`, { cause });
  const parts = typeof idToken === 'string' ? idToken.split('.') : [];
  // RFC 7515 §7.1: a compact JWS is exactly three base64url parts (the header and payload must be JSON objects).
  if (parts.length !== 3) throw fail('invalid_id_token', dev ? 'malformed' : '');
  const header = decodeBase64urlJson(parts[0], 'invalid_id_token');
  const claims = decodeBase64urlJson(parts[1], 'invalid_id_token');
  const { alg } = header;

  // Rule 7: only the configured asymmetric algorithms; never `none` or HS* (RFC 8725 §3.1).
  if (
    typeof alg !== 'string' ||
    !ASYMMETRIC_ALGORITHM.test(alg) ||
    !options.algorithms.includes(alg as IdTokenSigningAlgorithm)
  ) {
    throw fail('unsupported_algorithm', dev ? `alg ${String(alg)} not allowed` : '');
  }
  // RFC 7515 §4.1.11: we implement no JWS extension, so any `crit` (including `b64`) is refused.
  if (header['crit'] !== undefined) throw fail('invalid_id_token', dev ? 'crit not supported' : '');
  if (!/^[\w-]+$/.test(parts[2])) throw fail('invalid_id_token', dev ? 'malformed signature' : '');

  // The access token's digest for `at_hash` (§3.2.2.9) is computed while the signature is checked: it reads
  // nothing of the token, and is compared only once the signature and every claim have passed.
  const accessTokenHash =
    options.accessToken === undefined ? undefined : computeAtHash(options.accessToken, alg as IdTokenSigningAlgorithm);
  // A token that fails before the comparison never reads the digest: its failure is not this token's to report.
  accessTokenHash?.catch(() => undefined);

  // Rule 6 / §3.2.2.11: the signature MUST be verified, with a key from the issuer's JWKS only — the resolver ignores
  // `jwk`, `jku`, `x5u` and `x5c` in the header. jose also refuses RSA keys under 2048 bits.
  try {
    await compactVerify(idToken, options.getKey, { algorithms: [alg] });
  } catch (error: unknown) {
    // Key lookup errors (`unknown_key`, `jwks_failed`) pass through; anything jose reports means a bad signature.
    throw isImplicitAuthError(error) ? error : fail('invalid_signature', dev ? 'bad signature' : '', error);
  }

  const { clientId, clockSkewSeconds: skew } = options;
  const { iss, aud, azp, exp, iat, nbf, sub, nonce } = claims;
  // Rule 2: `iss` exactly equals the issuer (no normalisation: a trailing slash matters).
  if (iss !== options.issuer) throw fail('invalid_issuer', dev ? 'wrong iss' : '');
  // Rule 3: `aud` contains our client id, and every other audience is trusted (none by default).
  const audiences: unknown[] = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (
    !audiences.includes(clientId) ||
    audiences.some((a) => a !== clientId && !options.trustedAudiences?.includes(a as string))
  ) {
    throw fail('invalid_audience', dev ? 'wrong aud' : '');
  }
  // Rules 4–5: `azp`, when present, is our client id; with several audiences it must be present (Core 1.0 errata 1;
  // errata 2 relaxed it to extensions, we keep the stricter rule).
  if (azp !== undefined ? azp !== clientId : audiences.length > 1) throw fail('invalid_azp', dev ? 'wrong azp' : '');
  // Rules 9–10: `exp` and `iat` are required numbers (judged below, once the nonce is known to be ours).
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw fail('missing_claim', dev ? 'exp required' : '');
  if (iat === undefined) throw fail('missing_claim', dev ? 'iat required' : '');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw fail('invalid_iat', dev ? 'iat not a number' : '');
  // §2: `sub` is required, a non-empty string.
  if (typeof sub !== 'string' || !sub) throw fail('missing_claim', dev ? 'sub required' : '');
  // §3.2.2.11 rule 11: `nonce` is REQUIRED in the implicit flow and equals the one sent (replay protection). Checked
  // before the times: a token carrying this request's nonce was minted after the request started, so its times
  // can only contradict our clock because a clock is wrong; a replayed token fails here, whatever its times.
  if (!options.nonce || typeof nonce !== 'string' || !timingSafeEqual(nonce, options.nonce)) {
    throw fail('nonce_mismatch', dev ? 'wrong nonce' : '');
  }

  const { offsetMs, basis } = options.providerClock ?? DEVICE_CLOCK;
  const deviceNow = options.clock.now();
  // The provider's time as far as we know it: our clock corrected by the learned offset; for provider-clock
  // mode's first token, the token's own `iat` (its freshness rests on the nonce, checked above).
  const now = basis === 'learn' ? iat : (deviceNow - offsetMs) / 1000;
  const clockSkew = (message: string) => {
    const clockOffsetSeconds = Math.round(deviceNow / 1000 - iat);
    return new ImplicitAuthError(
      'clock_skew',
      message && `ID token: ${message}: clocks differ by ${clockOffsetSeconds} s`,
      {
        clockOffsetSeconds,
      },
    );
  };
  // Rule 9, on any clock: a token whose `exp` is not after its own `iat` is expired whatever the time is.
  if (exp <= iat) throw fail('token_expired', dev ? 'exp not after iat' : '');
  // Rule 10: `iat` is not in the future. A sound token from the future means the clocks differ.
  if (iat > now + skew) throw clockSkew(dev ? 'iat in the future' : '');
  // Rule 10 bounds `iat` from below too: the nonce inside did not exist before the request. `iat` is whole
  // seconds: the request's second counts. With nothing known of the clocks yet, the only explanation is a clock
  // difference; once earlier tokens agreed with the clock, it is a token minted for another request.
  const requestedAt = options.requestedAt;
  if (basis !== 'learn' && requestedAt !== undefined && iat < Math.floor((requestedAt - offsetMs) / 1000) - skew) {
    throw basis === 'established'
      ? fail('invalid_iat', dev ? 'iat predates the request' : '')
      : clockSkew(dev ? 'iat predates the request' : '');
  }
  // Rule 9: the current time is before `exp` (with the allowed skew). The clocks agree this far (rule 10 above),
  // so this is a token that expired, not a wrong clock.
  if (now >= exp + skew) throw fail('token_expired', dev ? 'expired' : '');
  // RFC 7519 §4.1.5: not before `nbf`, when present.
  if (nbf !== undefined && !(typeof nbf === 'number' && nbf <= now + skew))
    throw fail('invalid_id_token', dev ? 'nbf' : '');
  // Rule 13 / §3.1.2.1: after a `max_age` request, `auth_time` is REQUIRED and the user authenticated within it.
  if (options.maxAgeSeconds !== undefined) {
    const authTime = claims['auth_time'];
    if (typeof authTime !== 'number' || !Number.isFinite(authTime))
      throw fail('missing_claim', dev ? 'auth_time required' : '');
    if (authTime + options.maxAgeSeconds + skew < now)
      throw fail('auth_time_too_old', dev ? 'auth_time older than max_age' : '');
  }
  // §3.2.2.9–10: with an access token, `at_hash` is REQUIRED and binds it to this ID token (token substitution).
  if (accessTokenHash) {
    const atHash = claims['at_hash'];
    if (typeof atHash !== 'string') throw fail('at_hash_missing', dev ? 'at_hash required' : '');
    if (!timingSafeEqual(atHash, await accessTokenHash)) throw fail('at_hash_mismatch', dev ? 'wrong at_hash' : '');
  }
  return claims as unknown as IdTokenClaims;
}
