import type { IdTokenClaims } from '../claims';
import type { Clock } from '../clock';
import type { ImplicitResponseType } from './response-type';
import type { ResolvedImplicitAuthConfig } from '../config/implicit-auth-config';
import type { AuthorizationResponse, TokenSet } from './authorization-response';
import type { ProviderMetadata } from './discovery';
import type { KeyResolver } from './jwks';
import { validateAuthorizationResponse } from './response-validation';
import { fetchUserInfo } from './userinfo';

/** What a response must be checked against: what the request that asked for it asked for. */
export interface Expectation {
  readonly state: string;
  readonly nonce?: string;
  readonly responseType: ImplicitResponseType;
  readonly scope: string;
  readonly audience?: string;
  /** When the request was made (ms since the epoch): an ID token issued before it answers another request. */
  readonly startedAt: number;
  /** The `max_age` sent, in seconds, if any: the ID token's `auth_time` must then be that recent. */
  readonly maxAgeSeconds?: number;
}

/** Validated tokens and the claims to show (ID token claims, with UserInfo merged under them when enabled). */
export interface ValidatedResponse {
  readonly tokens: TokenSet;
  readonly claims: IdTokenClaims | null;
}

/** What checking a response against the configured provider needs. */
export interface ProviderContext {
  readonly config: ResolvedImplicitAuthConfig;
  readonly metadata: ProviderMetadata;
  readonly clock: Clock;
  readonly fetch: typeof fetch;
  readonly getKey: KeyResolver;
}

/**
 * Full validation of a response whose `state` already matched `expected`, against the configured provider,
 * then UserInfo when enabled, merged under the ID token's claims (its `sub` must equal the ID token's). Stores
 * nothing.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ImplicitValidation (§3.2.2.8–3.2.2.11)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse (§5.3.2)
 */
export async function validateProviderResponse(
  response: AuthorizationResponse,
  expected: Expectation,
  { config, metadata, clock, fetch: fetchFn, getKey }: ProviderContext,
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
    clockSkewSeconds: config.clockSkewSeconds,
    clock,
    requireIssParameter: metadata.authorization_response_iss_parameter_supported === true,
    getKey,
  });
  let claims = tokens.claims ?? null;
  const endpoint = config.loadUserInfo ? metadata.userinfo_endpoint : undefined;
  if (claims && endpoint && tokens.accessToken) {
    const userinfo = await fetchUserInfo(endpoint, tokens.accessToken, claims.sub, fetchFn, config.networkTimeoutMs);
    claims = { ...userinfo, ...claims };
  }
  return { tokens, claims };
}
