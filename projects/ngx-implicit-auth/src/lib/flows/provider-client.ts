import type { Clock } from '../clock';
import type { ResolvedImplicitAuthConfig } from '../config/implicit-auth-config';
import { ImplicitAuthError } from '../errors';
import { type AuthorizationRequest, buildAuthorizationUrl } from '../protocol/authorization-request';
import type { AuthorizationResponse } from '../protocol/authorization-response';
import { fetchProviderMetadata, type ProviderMetadata } from '../protocol/discovery';
import { decodeBase64urlJson } from '../protocol/base64url';
import { createJwksKeyResolver, type JwksKeyResolver, type KeyResolver } from '../protocol/jwks';
import { buildLogoutUrl } from '../protocol/logout';
import { validateAgainstProvider } from './complete-authorization';
import type { ProviderClock } from '../protocol/provider-clock';
import type { Expectation, ProviderPort, ValidatedResponse } from './provider-port';

const noJwksUri: KeyResolver = () =>
  Promise.reject(
    new ImplicitAuthError(
      'discovery_failed',
      typeof ngDevMode === 'undefined' || ngDevMode ? 'The provider publishes no jwks_uri' : '',
    ),
  );

/**
 * The app's view of its provider: metadata (discovered once per page load), signing keys (cached; rotation
 * handled by the resolver), authorize URLs and full response validation. Shared by sign-in and renewal so a
 * renewal never re-fetches discovery or keys.
 */
export class ProviderClient implements ProviderPort {
  #metadataPromise?: Promise<ProviderMetadata>;
  #keyResolver?: JwksKeyResolver;

  constructor(
    private readonly config: ResolvedImplicitAuthConfig,
    private readonly clock: Clock,
    /** Called as a plain function, never as a method, so `window.fetch` works unbound. */
    private readonly fetch: typeof globalThis.fetch,
    /** Whether UserInfo is loaded (`withUserInfo()`). */
    private readonly userInfo?: boolean,
  ) {}

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
    redirectUri = this.config.redirectUri,
  ): Promise<string> {
    const metadata = await this.metadata();
    return buildAuthorizationUrl({
      authorizationEndpoint: metadata.authorization_endpoint,
      clientId: this.config.clientId,
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
    extraParams?: Readonly<Record<string, string>>,
  ): Promise<string | null> {
    const { logout, issuer, clientId } = this.config;
    if (logout.style === 'local') return null;
    const metadata = logout.style === 'oidc' ? await this.metadata() : undefined;
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
      extraParams,
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
    const metadata = await this.metadata();
    const getKey = this.#keys(metadata) ?? noJwksUri;
    const { config, clock, fetch, userInfo } = this;
    const context = { config, metadata, clock, fetch, getKey, providerClock, userInfo };
    return validateAgainstProvider(response, expected, context);
  }

  async prefetchSigningKey(previousIdToken: string | undefined): Promise<void> {
    // Without an ID token in the answer there is no signature to check.
    if (this.config.responseType === 'token') return;
    try {
      const header = previousIdToken ? decodeBase64urlJson(previousIdToken.split('.')[0], 'invalid_id_token') : {};
      // Without an earlier token (a restore after a reload), the set is still fetched, and a key imported when
      // the set has only one for the first configured algorithm.
      const alg = typeof header['alg'] === 'string' ? header['alg'] : this.config.algorithms[0];
      const kid = typeof header['kid'] === 'string' ? header['kid'] : undefined;
      await this.#keys(await this.metadata())?.prefetch({ alg, kid });
    } catch {
      // A head start only: an unreadable earlier token or unreachable metadata is validation's to report.
    }
  }

  /**
   * The issuer's key set, kept for the page's lifetime: a renewal never re-fetches it (rotation and age are the
   * resolver's job); `undefined` when the provider publishes no `jwks_uri`.
   */
  #keys(metadata: ProviderMetadata): JwksKeyResolver | undefined {
    if (!metadata.jwks_uri) return undefined;
    return (this.#keyResolver ??= createJwksKeyResolver(metadata.jwks_uri, {
      fetch: this.fetch,
      clock: this.clock,
      timeoutMs: this.config.networkTimeoutMs,
    }));
  }

  async #loadMetadata(): Promise<ProviderMetadata> {
    const { issuer, endpoints, responseType } = this.config;
    const explicit = endpoints.authorization && (endpoints.jwks || responseType === 'token');
    const discovered: ProviderMetadata = explicit
      ? { issuer, authorization_endpoint: endpoints.authorization as string }
      : await fetchProviderMetadata(issuer, this.fetch, this.config.networkTimeoutMs);
    return {
      ...discovered,
      authorization_endpoint: endpoints.authorization ?? discovered.authorization_endpoint,
      jwks_uri: endpoints.jwks ?? discovered.jwks_uri,
      end_session_endpoint: endpoints.endSession ?? discovered.end_session_endpoint,
      userinfo_endpoint: endpoints.userinfo ?? discovered.userinfo_endpoint,
    };
  }
}
