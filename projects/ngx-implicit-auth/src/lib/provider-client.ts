import { inject, Injectable } from '@angular/core';
import type { IdTokenClaims } from './claims';
import { ImplicitAuthError } from './errors';
import { type AuthorizationRequest, buildAuthorizationUrl } from './protocol/authorization-request';
import {
  type AuthorizationResponse,
  type TokenSet,
  validateAuthorizationResponse,
} from './protocol/authorization-response';
import { fetchProviderMetadata, type ProviderMetadata } from './protocol/discovery';
import { createJwksKeyResolver, type KeyResolver } from './protocol/jwks';
import { fetchUserInfo } from './protocol/userinfo';
import type { PendingTransaction } from './storage/transaction-store';
import { IMPLICIT_AUTH_CLOCK, IMPLICIT_AUTH_CONFIG, IMPLICIT_AUTH_FETCH } from './tokens';

/** What a response must be checked against: what the request that asked for it asked for. */
export type Expectation = Pick<PendingTransaction, 'state' | 'nonce' | 'responseType' | 'scope' | 'audience'>;

/** Validated tokens and the claims to show (ID token claims, with UserInfo merged under them when enabled). */
export interface ValidatedResponse {
  readonly tokens: TokenSet;
  readonly claims: IdTokenClaims | null;
}

/**
 * The app's view of its provider: metadata (discovered once per page load), signing keys (cached; rotation
 * handled by the resolver), authorize URLs and full response validation. Shared by sign-in and renewal so a
 * renewal never re-fetches discovery or keys.
 */
@Injectable()
export class ProviderClient {
  private readonly config = inject(IMPLICIT_AUTH_CONFIG);
  private readonly clock = inject(IMPLICIT_AUTH_CLOCK);
  private readonly fetch = inject(IMPLICIT_AUTH_FETCH);
  private metadataPromise?: Promise<ProviderMetadata>;
  private keyResolver?: KeyResolver;

  /** Provider metadata, fetched once per page load (and again only after a failure). */
  metadata(): Promise<ProviderMetadata> {
    return (this.metadataPromise ??= this.loadMetadata().catch((error: unknown) => {
      // Forget the failure so the next attempt (e.g. the user clicking "sign in" again) retries.
      this.metadataPromise = undefined;
      throw error;
    }));
  }

  /** The authorize URL for a request; `extra` carries `prompt`, `id_token_hint`, `response_mode`, extras. */
  authorizeUrl(
    metadata: ProviderMetadata,
    expected: Expectation,
    extra: Pick<AuthorizationRequest, 'prompt' | 'idTokenHint' | 'responseMode' | 'extraParams'>,
    redirectUri = this.config.redirectUri,
  ): string {
    return buildAuthorizationUrl({
      authorizationEndpoint: metadata.authorization_endpoint,
      clientId: this.config.clientId,
      redirectUri,
      responseType: expected.responseType,
      scope: expected.scope,
      state: expected.state,
      nonce: expected.nonce,
      audience: expected.audience,
      ...extra,
    });
  }

  /**
   * Full validation of a response whose `state` already matched `expected`, then UserInfo when enabled
   * (OIDC Core §5.3.2: its `sub` must equal the ID token's). Stores nothing.
   */
  async validate(response: AuthorizationResponse, expected: Expectation): Promise<ValidatedResponse> {
    const metadata = await this.metadata();
    const { config } = this;
    const tokens = await validateAuthorizationResponse(response, {
      issuer: config.issuer,
      clientId: config.clientId,
      responseType: expected.responseType,
      requestedScope: expected.scope,
      nonce: expected.nonce,
      algorithms: config.algorithms,
      clockSkewSeconds: config.clockSkewSeconds,
      clock: this.clock,
      requireIssParameter: metadata.authorization_response_iss_parameter_supported === true,
      getKey: (header) => this.keys(metadata)(header),
    });
    let claims = tokens.claims ?? null;
    const endpoint = config.loadUserInfo ? metadata.userinfo_endpoint : undefined;
    if (claims && endpoint && tokens.accessToken) {
      claims = { ...(await fetchUserInfo(endpoint, tokens.accessToken, claims.sub, this.fetch)), ...claims };
    }
    return { tokens, claims };
  }

  private async loadMetadata(): Promise<ProviderMetadata> {
    const { issuer, endpoints, responseType } = this.config;
    const explicit = endpoints.authorization && (endpoints.jwks || responseType === 'token');
    const discovered: ProviderMetadata = explicit
      ? { issuer, authorization_endpoint: endpoints.authorization as string }
      : await fetchProviderMetadata(issuer, this.fetch);
    return {
      ...discovered,
      authorization_endpoint: endpoints.authorization ?? discovered.authorization_endpoint,
      jwks_uri: endpoints.jwks ?? discovered.jwks_uri,
      end_session_endpoint: endpoints.endSession ?? discovered.end_session_endpoint,
      userinfo_endpoint: endpoints.userinfo ?? discovered.userinfo_endpoint,
    };
  }

  private keys(metadata: ProviderMetadata): KeyResolver {
    if (!metadata.jwks_uri) {
      throw new ImplicitAuthError('discovery_failed', 'The provider publishes no jwks_uri');
    }
    return (this.keyResolver ??= createJwksKeyResolver(metadata.jwks_uri, { fetch: this.fetch, clock: this.clock }));
  }
}
