import type { Clock } from '../clock';
import type { ResolvedImplicitAuthConfig } from '../config/implicit-auth-config';
import { ImplicitAuthError } from '../errors';
import {
  type AuthorizationResponse,
  parseAuthorizationResponse,
  providerError,
} from '../protocol/authorization-response';
import type { ProviderMetadata } from '../protocol/discovery';
import type { KeyResolver } from '../protocol/jwks';
import { DEVICE_CLOCK, measureClockOffsetMs, type ProviderClock } from '../protocol/provider-clock';
import { validateAuthorizationResponse } from '../protocol/response-validation';
import { fetchUserInfo } from '../protocol/userinfo';
import type { Expectation, ProviderPort, ValidatedResponse } from './provider-port';

/** What checking a response against the configured provider needs. */
export interface ProviderContext {
  readonly config: ResolvedImplicitAuthConfig;
  readonly metadata: ProviderMetadata;
  readonly clock: Clock;
  readonly fetch: typeof fetch;
  readonly getKey: KeyResolver;
  /** What is known of the provider's clock; default the device's (see `ProviderClock`). */
  readonly providerClock?: ProviderClock;
  /** Whether UserInfo is loaded (`withUserInfo()`). */
  readonly userInfo?: boolean;
}

/**
 * Full validation of a response whose `state` already matched `expected`, against the configured provider,
 * then UserInfo when enabled, merged under the ID token's claims (its `sub` must equal the ID token's). Stores
 * nothing.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ImplicitValidation (§3.2.2.8–3.2.2.11)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse (§5.3.2)
 */
export async function validateAgainstProvider(
  response: AuthorizationResponse,
  expected: Expectation,
  { config, metadata, clock, fetch: fetchFn, getKey, providerClock = DEVICE_CLOCK, userInfo }: ProviderContext,
): Promise<ValidatedResponse> {
  const tokens = await validateAuthorizationResponse(response, {
    issuer: config.issuer,
    clientId: config.clientId,
    responseType: expected.responseType,
    requestedScope: expected.scope,
    nonce: expected.nonce,
    requestedAt: expected.startedAt,
    maxAgeSeconds: expected.maxAgeSeconds,
    algorithms: config.algorithms,
    trustedAudiences: config.trustedAudiences,
    clockSkewSeconds: config.clockSkewSeconds,
    clock,
    providerClock,
    requireIssParameter: metadata.authorization_response_iss_parameter_supported === true,
    getKey,
  });
  // Measured now, before UserInfo's round trip can blur it.
  const clockOffsetMs = tokens.claims ? measureClockOffsetMs(tokens.claims.iat, clock.now()) : undefined;
  let claims = tokens.claims ?? null;
  const endpoint = metadata.userinfo_endpoint;
  if (userInfo && claims && endpoint && tokens.accessToken) {
    const userinfo = await fetchUserInfo(endpoint, tokens.accessToken, claims.sub, fetchFn, config.networkTimeoutMs);
    claims = { ...userinfo, ...claims };
  }
  return { tokens, claims, clockOffsetMs };
}

/**
 * The one path from a provider's answer to tokens the session may accept, for the interactive and the silent flow
 * alike (modelled on oauth4webapi's `validateAuthResponse`). In order:
 *
 * 1. parse, once: bounded length, no duplicated parameter, well-formed encoding (RFC 6749 §3.1);
 * 2. `state`: the pending request it answers, taken by `take` (so a replay finds none), else `state_mismatch`
 *    (login CSRF and response injection, RFC 9700 §4.7), and that request must not have expired;
 * 3. only then is the provider's `error` trusted enough to report, checked against the issuer with RFC 9207's
 *    `iss` too (a mixed-up provider must not inject an error either);
 * 4. the tokens: ID token signature and claims (its times judged with what `providerClock` knows), `at_hash`,
 *    `token_type`, `expires_in`, then UserInfo (`port.validate`, see {@link validateAgainstProvider}).
 *
 * Stores nothing: the caller hands the result to the session.
 *
 * @throws {ImplicitAuthError} any code of the steps above.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ImplicitAuthResponse (§3.2.2.5–3.2.2.11)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.2
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
 */
export async function completeAuthorization<T extends Expectation>(
  encoded: string,
  take: (state: string) => T | null,
  port: ProviderPort,
  issuer: string,
  clock: Clock,
  providerClock: ProviderClock = DEVICE_CLOCK,
): Promise<{ readonly request: T; readonly validated: ValidatedResponse }> {
  const response = parseAuthorizationResponse(encoded);
  // A `state` is used once: taking it now means a replayed response is refused whatever happens next.
  const request = response.state === undefined ? null : take(response.state);
  if (!request) {
    // Unsolicited, replayed, or from another browser: a login-CSRF or injection attempt (RFC 9700 §4.7).
    throw new ImplicitAuthError(
      'state_mismatch',
      typeof ngDevMode === 'undefined' || ngDevMode ? 'No pending request matches this response' : '',
    );
  }
  if (request.expiresAt !== undefined && request.expiresAt <= clock.now()) {
    throw new ImplicitAuthError(
      'transaction_expired',
      typeof ngDevMode === 'undefined' || ngDevMode ? 'The sign-in took too long; start again' : '',
    );
  }
  if (response.error) {
    // Whether `iss` is required on errors is the provider's to say; without its metadata (unreachable), a present
    // `iss` is still compared, and the error, which grants nothing, is reported.
    const metadata = await port.metadata().catch(() => undefined);
    throw providerError(response, issuer, metadata?.authorization_response_iss_parameter_supported === true);
  }
  return { request, validated: await port.validate(response, request, providerClock) };
}
