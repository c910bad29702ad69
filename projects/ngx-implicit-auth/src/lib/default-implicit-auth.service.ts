import { computed, DOCUMENT, inject, Injectable, type OnDestroy, signal } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';
import { Subject } from 'rxjs';
import type { IdTokenClaims } from './claims';
import { ImplicitAuthError } from './errors';
import type { ImplicitAuthEvent, SignOutReason } from './events';
import {
  type AccessTokenInfo,
  type AccessTokenOptions,
  type AuthStatus,
  ImplicitAuthService,
  type LoginOptions,
  type LogoutOptions,
} from './implicit-auth.service';
import { buildAuthorizationUrl } from './protocol/authorization-request';
import {
  type AuthorizationResponse,
  isAuthorizationResponse,
  parseAuthorizationResponse,
  providerError,
  type TokenSet,
  validateAuthorizationResponse,
} from './protocol/authorization-response';
import { fetchProviderMetadata, type ProviderMetadata } from './protocol/discovery';
import { createJwksKeyResolver, type KeyResolver } from './protocol/jwks';
import { buildLogoutUrl } from './protocol/logout';
import { generateRandomToken } from './protocol/random';
import { toSafeReturnUrl } from './protocol/return-url';
import { fetchUserInfo } from './protocol/userinfo';
import { createSessionStore, type Session } from './storage/session-store';
import { createTransactionStore, type PendingTransaction } from './storage/transaction-store';
import { IMPLICIT_AUTH_CLOCK, IMPLICIT_AUTH_CONFIG, IMPLICIT_AUTH_FETCH, IMPLICIT_AUTH_REDIRECT } from './tokens';

/** What a response must be checked against: the transaction that asked for it. */
type Expectation = Pick<PendingTransaction, 'nonce' | 'responseType' | 'scope' | 'audience'>;

/** sessionStorage, or nothing where the browser refuses it (some privacy modes throw on access). */
function sessionStorageOf(window: Window | null): Storage | undefined {
  try {
    return window?.sessionStorage;
  } catch {
    // Storage blocked by the browser: pending sign-ins then cannot survive the redirect and are refused.
    return undefined;
  }
}

/**
 * The library's implementation of {@link ImplicitAuthService}: the Angular wiring around the
 * framework-free protocol core in `protocol/`.
 */
@Injectable()
export class DefaultImplicitAuthService extends ImplicitAuthService implements OnDestroy {
  private readonly config = inject(IMPLICIT_AUTH_CONFIG);
  private readonly clock = inject(IMPLICIT_AUTH_CLOCK);
  private readonly fetch = inject(IMPLICIT_AUTH_FETCH);
  private readonly redirect = inject(IMPLICIT_AUTH_REDIRECT);
  private readonly router = inject(Router, { optional: true });
  protected readonly window = inject(DOCUMENT).defaultView as Window;
  private readonly transactions = createTransactionStore(sessionStorageOf(this.window));
  private readonly store = createSessionStore(this.config.storage, sessionStorageOf(this.window));

  protected readonly session = signal<Session | null>(null);
  private readonly started = signal(false);
  private readonly lastError = signal<ImplicitAuthError | null>(null);
  private readonly eventSubject = new Subject<ImplicitAuthEvent>();
  private metadataPromise?: Promise<ProviderMetadata>;
  private keyResolver?: KeyResolver;
  private redirecting = false;
  private readyPromise: Promise<void> = Promise.resolve();

  override readonly status = computed<AuthStatus>(() =>
    !this.started() ? 'loading' : this.session() ? 'signed-in' : 'signed-out',
  );
  override readonly isAuthenticated = computed(() => this.status() === 'signed-in');
  override readonly claims = computed(() => this.session()?.claims ?? null);
  override readonly error = this.lastError.asReadonly();
  override readonly isAuthenticated$ = toObservable(this.isAuthenticated);
  override readonly claims$ = toObservable(this.claims);
  override readonly error$ = toObservable(this.error);
  override readonly events = this.eventSubject.asObservable();

  /**
   * Runs at start-up, before the router's first navigation (an app initializer). Synchronously takes an
   * authorization response out of the address bar, so no route, history entry or analytics script sees
   * `#access_token=…`, then finishes sign-in in the background; `status` stays `loading` until done.
   */
  start(): void {
    const location = this.window.location;
    const fragment = location.hash;
    // The kept session first: a refused callback must leave it exactly as it was.
    this.loadKeptSession();
    let work: Promise<unknown> = Promise.resolve();
    if (isAuthorizationResponse(fragment)) {
      // Land straight on the page the user asked for; the guard waits for `whenReady()` before trusting it.
      const state = new URLSearchParams(fragment.slice(1)).getAll('state');
      const pending = state.length === 1 ? this.transactions.peek(state[0]) : null;
      this.replaceUrl(pending?.returnUrl ?? location.pathname + location.search);
      work = this.processCallback(fragment);
    }
    this.readyPromise = work.then(
      () => this.started.set(true),
      // Start-up failures are already in `error` and `events`; start-up itself must always finish.
      () => this.started.set(true),
    );
  }

  override whenReady(): Promise<void> {
    return this.readyPromise;
  }

  override async login(options: LoginOptions = {}): Promise<void> {
    // One redirect at a time: a guard and an interceptor asking together must not start two sign-ins.
    if (this.redirecting) return;
    try {
      const { location } = this.window;
      const returnUrl = toSafeReturnUrl(
        options.returnUrl ?? location.pathname + location.search + location.hash,
        location.origin,
      );
      const { config } = this;
      const metadata = await this.metadata();
      const now = this.clock.now();
      const transaction: PendingTransaction = {
        state: generateRandomToken(),
        nonce: config.responseType === 'token' ? undefined : generateRandomToken(),
        returnUrl,
        responseType: config.responseType,
        scope: options.scope ?? config.scope,
        audience: options.audience ?? config.audience,
        expiresAt: now + config.transactionTtlSeconds * 1000,
      };
      const url = this.authorizeUrl(metadata, transaction, {
        prompt: options.prompt,
        extraParams: { ...config.authorizeParams, ...options.authorizeParams },
      });
      this.transactions.prune(now);
      this.transactions.save(transaction);
      this.redirecting = true;
      this.emit({ type: 'login_started', returnUrl });
      this.redirect(url);
    } catch (error: unknown) {
      throw this.fail(error);
    }
  }

  override async handleCallback(fragment?: string): Promise<boolean> {
    const fromAddressBar = fragment === undefined;
    const encoded = fragment ?? this.window.location.hash;
    if (!isAuthorizationResponse(encoded)) return false;
    if (fromAddressBar) this.replaceUrl(this.window.location.pathname + this.window.location.search);
    const returnUrl = await this.processCallback(encoded);
    if (this.router?.navigated) await this.router.navigateByUrl(returnUrl);
    return true;
  }

  override async logout(options: LogoutOptions = {}): Promise<void> {
    const idToken = this.session()?.idToken;
    this.endSession('logout');
    const { logout, issuer, clientId } = this.config;
    if (options.localOnly || logout.style === 'local') return;
    let endSessionEndpoint: string | undefined;
    if (logout.style === 'oidc') {
      endSessionEndpoint = (await this.metadata().catch(() => undefined))?.end_session_endpoint;
      // Without RP-initiated logout (or a reachable provider) the provider session cannot be ended from here.
      if (!endSessionEndpoint) return;
    }
    this.redirect(
      buildLogoutUrl({
        style: logout.style,
        endSessionEndpoint,
        issuer,
        clientId,
        idTokenHint: idToken,
        postLogoutRedirectUri: options.returnTo ?? logout.postLogoutRedirectUri,
      }),
    );
  }

  override currentAccessToken(options: Pick<AccessTokenOptions, 'audience'> = {}): AccessTokenInfo | null {
    const audience = options.audience ?? this.config.audience;
    const kept = this.session()?.accessTokens[audience ?? ''];
    // A token within the clock-skew margin of its expiry would likely be refused on arrival: never hand it out.
    return kept && kept.expiresAt - this.config.clockSkewSeconds * 1000 > this.clock.now()
      ? { token: kept.token, audience, scopes: kept.scopes, expiresAt: kept.expiresAt }
      : null;
  }

  override async getAccessToken(options: AccessTokenOptions = {}): Promise<string> {
    await this.readyPromise;
    const kept = this.currentAccessToken(options)?.token;
    if (kept && kept !== options.replacing) return kept;
    await this.renew(options);
    const renewed = this.currentAccessToken(options)?.token;
    if (!renewed || renewed === options.replacing) {
      throw new ImplicitAuthError('not_authenticated', 'No valid access token for this audience');
    }
    return renewed;
  }

  override async renew(options: Pick<AccessTokenOptions, 'audience' | 'scope'> = {}): Promise<void> {
    void options;
    throw this.fail(new ImplicitAuthError('not_authenticated', 'Silent renewal is not available: sign in again'));
  }

  ngOnDestroy(): void {
    this.eventSubject.complete();
  }

  // ---------------------------------------------------------------------------------------------

  /** Validates a callback and, only when every check passed, replaces the session. Returns the return URL. */
  private async processCallback(encoded: string): Promise<string> {
    try {
      const response = parseAuthorizationResponse(encoded);
      // A `state` is used once: taking it now means a replayed response is refused whatever happens next.
      const transaction = response.state ? this.transactions.take(response.state) : null;
      if (!transaction) {
        // Unsolicited, replayed, or from another browser: a login-CSRF or injection attempt (RFC 9700 §4.7).
        throw new ImplicitAuthError('state_mismatch', 'No pending sign-in matches this response');
      }
      if (transaction.expiresAt <= this.clock.now()) {
        throw new ImplicitAuthError('transaction_expired', 'The sign-in took too long; start again');
      }
      // Only now that the state matched is the provider's error trusted enough to show (§4.2.2.1).
      if (response.error) throw providerError(response);
      const tokens = await this.validate(response, transaction);
      const claims = await this.withUserInfo(tokens);
      this.accept(tokens, claims, transaction.audience, null);
      this.emit({ type: 'signed_in', claims, returnUrl: transaction.returnUrl });
      return transaction.returnUrl;
    } catch (error: unknown) {
      throw this.fail(error, true);
    }
  }

  /** Full validation of an authorization response against what its transaction asked for. */
  protected async validate(response: AuthorizationResponse, expected: Expectation): Promise<TokenSet> {
    const metadata = await this.metadata();
    const { config } = this;
    return validateAuthorizationResponse(response, {
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
  }

  /** UserInfo merged under the ID token's claims, when enabled (OIDC Core §5.3.2: `sub` must match). */
  private async withUserInfo(tokens: TokenSet): Promise<IdTokenClaims | null> {
    const claims = tokens.claims ?? null;
    const endpoint = this.config.loadUserInfo ? (await this.metadata()).userinfo_endpoint : undefined;
    if (!claims || !endpoint || !tokens.accessToken) return claims;
    const userInfo = await fetchUserInfo(endpoint, tokens.accessToken, claims.sub, this.fetch);
    return { ...userInfo, ...claims };
  }

  /**
   * Stores validated tokens. `previous` is the session to add them to (a renewal), or `null` to start a new
   * session (an interactive sign-in replaces whatever was there).
   */
  protected accept(
    tokens: TokenSet,
    claims: IdTokenClaims | null,
    audience: string | undefined,
    previous: Session | null,
  ): void {
    const accessTokens = { ...previous?.accessTokens };
    if (tokens.accessToken && tokens.expiresAt) {
      accessTokens[audience ?? ''] = {
        token: tokens.accessToken,
        expiresAt: tokens.expiresAt,
        scopes: tokens.scopes,
      };
      this.emit({ type: 'token_received', audience, expiresAt: tokens.expiresAt });
    }
    const session: Session = {
      idToken: tokens.idToken ?? previous?.idToken,
      claims: claims ?? previous?.claims ?? null,
      accessTokens,
    };
    this.store.save(session);
    this.session.set(session);
    this.lastError.set(null);
  }

  /** Forgets the session everywhere in this app. */
  protected endSession(reason: SignOutReason): void {
    const hadSession = this.session() !== null;
    this.store.clear();
    this.session.set(null);
    if (hadSession) this.emit({ type: 'signed_out', reason });
  }

  /**
   * Picks up a kept session (with `storage: 'session'` or a custom store). Expired access tokens are dropped;
   * a session with neither a live ID token nor a live access token is dropped.
   */
  private loadKeptSession(): void {
    const kept = this.store.load();
    if (!kept) return;
    const now = this.clock.now();
    const accessTokens = Object.fromEntries(
      Object.entries(kept.accessTokens).filter(([, token]) => token.expiresAt > now),
    );
    const idTokenAlive = !!kept.claims && kept.claims.exp * 1000 > now;
    if (idTokenAlive || Object.keys(accessTokens).length > 0) {
      this.session.set({ ...kept, accessTokens });
    } else {
      this.store.clear();
    }
  }

  protected authorizeUrl(
    metadata: ProviderMetadata,
    transaction: Expectation & { state: string },
    extra: { prompt?: string; extraParams?: Readonly<Record<string, string>>; idTokenHint?: string },
    redirectUri = this.config.redirectUri,
  ): string {
    return buildAuthorizationUrl({
      authorizationEndpoint: metadata.authorization_endpoint,
      clientId: this.config.clientId,
      redirectUri,
      responseType: transaction.responseType,
      scope: transaction.scope,
      state: transaction.state,
      nonce: transaction.nonce,
      audience: transaction.audience,
      ...extra,
    });
  }

  /** Provider metadata, fetched once per page load (and again only after a failure). */
  protected metadata(): Promise<ProviderMetadata> {
    return (this.metadataPromise ??= this.loadMetadata().catch((error: unknown) => {
      // Forget the failure so the next attempt (e.g. the user clicking "sign in" again) retries.
      this.metadataPromise = undefined;
      throw error;
    }));
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

  /** The issuer's key set, cached for the page's lifetime (rotation is handled inside the resolver). */
  private keys(metadata: ProviderMetadata): KeyResolver {
    if (!metadata.jwks_uri) {
      throw new ImplicitAuthError('discovery_failed', 'The provider publishes no jwks_uri');
    }
    return (this.keyResolver ??= createJwksKeyResolver(metadata.jwks_uri, { fetch: this.fetch, clock: this.clock }));
  }

  /** Records an error as the last error (and, for a refused response, as an event); returns it typed. */
  protected fail(error: unknown, refusedResponse = false): ImplicitAuthError {
    const typed =
      error instanceof ImplicitAuthError
        ? error
        : new ImplicitAuthError('invalid_response', 'Unexpected failure', { cause: error });
    this.lastError.set(typed);
    if (refusedResponse) this.emit({ type: 'validation_failed', error: typed });
    return typed;
  }

  protected emit(event: ImplicitAuthEvent): void {
    this.eventSubject.next(event);
  }

  private replaceUrl(url: string): void {
    this.window.history.replaceState(this.window.history.state, '', url);
  }
}
