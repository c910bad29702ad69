import { inject, Injectable } from '@angular/core';
import { ImplicitAuthError, isImplicitAuthError } from './errors';
import type { AuthorizationRequest } from './protocol/authorization-request';
import type { AuthorizationResponse } from './protocol/authorization-response';
import { withDeadline } from './protocol/deadline';
import type { ProviderMetadata } from './protocol/discovery';
import type { KeyResolver } from './protocol/jwks';
import type { ProviderClock } from './protocol/provider-clock';
import type { Expectation, ProviderPort, ValidatedResponse } from './flows/provider-port';
import {
  IMPLICIT_AUTH_CLOCK,
  IMPLICIT_AUTH_CONFIG,
  IMPLICIT_AUTH_FETCH,
  IMPLICIT_AUTH_ON_DEMAND_LOADER,
} from './tokens';

/**
 * The app's view of its provider: metadata (discovered once per page load), signing keys (cached; rotation
 * handled by the resolver), authorize URLs and full response validation. Shared by sign-in and renewal so a
 * renewal never re-fetches discovery or keys.
 */
@Injectable()
export class ProviderClient implements ProviderPort {
  readonly #config = inject(IMPLICIT_AUTH_CONFIG);
  readonly #clock = inject(IMPLICIT_AUTH_CLOCK);
  readonly #fetch = inject(IMPLICIT_AUTH_FETCH);
  readonly #loadOnDemand = inject(IMPLICIT_AUTH_ON_DEMAND_LOADER);
  #metadataPromise?: Promise<ProviderMetadata>;
  #keyResolver?: KeyResolver;
  #onDemandModule?: Promise<typeof import('./on-demand')>;

  /**
   * The response-handling code (`on-demand.ts`), loaded on first use and kept for the page's lifetime. Started
   * early where a response is expected, so the download overlaps the provider round trip. An `import()` cannot be
   * aborted: past `networkTimeoutMs` it is given up (`network_timeout`) and forgotten, so the next use imports again.
   */
  onDemand(): Promise<typeof import('./on-demand')> {
    const { networkTimeoutMs } = this.#config;
    const timedOut = () =>
      new ImplicitAuthError(
        'network_timeout',
        `The library's on-demand code did not load within ${networkTimeoutMs} ms`,
      );
    return (this.#onDemandModule ??= withDeadline(networkTimeoutMs, timedOut, this.#loadOnDemand).catch(
      (error: unknown) => {
        // A failed or stalled chunk download (offline, new deployment) must not stick: the next use tries again.
        this.#onDemandModule = undefined;
        if (isImplicitAuthError(error, 'network_timeout')) throw error;
        throw new ImplicitAuthError('network_error', "Could not load the library's on-demand code", { cause: error });
      },
    ));
  }

  /** Provider metadata, fetched once per page load (and again only after a failure). */
  metadata(): Promise<ProviderMetadata> {
    return (this.#metadataPromise ??= this.#loadMetadata().catch((error: unknown) => {
      // Forget the failure so the next attempt (e.g. the user clicking "sign in" again) retries.
      this.#metadataPromise = undefined;
      throw error;
    }));
  }

  /** The authorize URL for a request; `extra` carries `prompt`, `id_token_hint`, `response_mode`, extras. */
  async authorizeUrl(
    expected: Expectation,
    extra: Pick<AuthorizationRequest, 'prompt' | 'idTokenHint' | 'responseMode' | 'extraParams'>,
    redirectUri = this.#config.redirectUri,
  ): Promise<string> {
    const [metadata, { buildAuthorizationUrl }] = await Promise.all([this.metadata(), this.onDemand()]);
    return buildAuthorizationUrl({
      authorizationEndpoint: metadata.authorization_endpoint,
      clientId: this.#config.clientId,
      redirectUri,
      responseType: expected.responseType,
      scope: expected.scope,
      state: expected.state,
      nonce: expected.nonce,
      audience: expected.audience,
      maxAge: expected.maxAgeSeconds,
      ...extra,
    });
  }

  /**
   * Where to end the provider session: RP-initiated logout at `end_session_endpoint`, or Auth0's `/v2/logout`;
   * `null` when the provider offers no logout endpoint.
   * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
   */
  async logoutUrl(
    idTokenHint: string | undefined,
    postLogoutRedirectUri: string,
    state?: string,
  ): Promise<string | null> {
    const { logout, issuer, clientId } = this.#config;
    if (logout.style === 'local') return null;
    const [{ buildLogoutUrl }, metadata] = await Promise.all([
      this.onDemand(),
      logout.style === 'oidc' ? this.metadata() : undefined,
    ]);
    const endSessionEndpoint = metadata?.end_session_endpoint;
    if (logout.style === 'oidc' && !endSessionEndpoint) return null;
    return buildLogoutUrl({
      style: logout.style,
      endSessionEndpoint,
      issuer,
      clientId,
      idTokenHint,
      postLogoutRedirectUri,
      state,
    });
  }

  /**
   * Full validation of a response whose `state` already matched `expected`, then UserInfo when enabled
   * (OIDC Core §5.3.2: its `sub` must equal the ID token's). Stores nothing.
   */
  async validate(
    response: AuthorizationResponse,
    expected: Expectation,
    providerClock: ProviderClock,
  ): Promise<ValidatedResponse> {
    const [metadata, onDemand] = await Promise.all([this.metadata(), this.onDemand()]);
    // The key set is kept for the page's lifetime: a renewal never re-fetches it (rotation is the resolver's job).
    const getKey = (this.#keyResolver ??= metadata.jwks_uri
      ? onDemand.createJwksKeyResolver(metadata.jwks_uri, {
          fetch: this.#fetch,
          clock: this.#clock,
          timeoutMs: this.#config.networkTimeoutMs,
        })
      : () => Promise.reject(new ImplicitAuthError('discovery_failed', 'The provider publishes no jwks_uri')));
    const context = { config: this.#config, metadata, clock: this.#clock, fetch: this.#fetch, getKey, providerClock };
    return onDemand.validateAgainstProvider(response, expected, context);
  }

  async #loadMetadata(): Promise<ProviderMetadata> {
    const { issuer, endpoints, responseType } = this.#config;
    const explicit = endpoints.authorization && (endpoints.jwks || responseType === 'token');
    const discovered: ProviderMetadata = explicit
      ? { issuer, authorization_endpoint: endpoints.authorization as string }
      : await (await this.onDemand()).fetchProviderMetadata(issuer, this.#fetch, this.#config.networkTimeoutMs);
    return {
      ...discovered,
      authorization_endpoint: endpoints.authorization ?? discovered.authorization_endpoint,
      jwks_uri: endpoints.jwks ?? discovered.jwks_uri,
      end_session_endpoint: endpoints.endSession ?? discovered.end_session_endpoint,
      userinfo_endpoint: endpoints.userinfo ?? discovered.userinfo_endpoint,
    };
  }
}
