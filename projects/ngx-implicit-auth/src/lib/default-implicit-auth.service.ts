import { computed, DOCUMENT, inject, Injectable, type OnDestroy } from '@angular/core';
import { Router } from '@angular/router';
import { sameUser } from './claims';
import { sameOriginHref, scopeFor, type SilentRenewConfig } from './config';
import { ImplicitAuthError, isInteractionRequired } from './errors';
import type { SignOutReason } from './events';
import {
  type AccessTokenInfo,
  type AccessTokenOptions,
  type AuthStatus,
  ImplicitAuthService,
  type LoginOptions,
  type LogoutOptions,
} from './implicit-auth.service';
import {
  isAuthorizationResponse,
  parseAuthorizationResponse,
  providerError,
  stateOfResponse,
} from './protocol/authorization-response';
import { ProviderClient } from './provider-client';
import type { SilentAuthorizeRequest } from './renewal/silent-authorize';
import type { ValidatedResponse } from './response-types';
import { createRenewalScheduler } from './renewal/renewal-scheduler';
import { createSingleFlight } from './renewal/single-flight';
import { createTabSync, type TabSyncMessage } from './renewal/tab-sync';
import type { CookieBlockDetector } from './renewal/third-party-cookies';
import { SessionState, toImplicitAuthError } from './storage/session-state';
import { createSessionStore, isSession, type Session } from './storage/session-store';
import { storageOf } from './storage/web-storage';
import { createTransactionStore, type PendingTransaction } from './storage/transaction-store';
import { IMPLICIT_AUTH_CLOCK, IMPLICIT_AUTH_CONFIG, IMPLICIT_AUTH_REDIRECT } from './tokens';

/**
 * The library's implementation of {@link ImplicitAuthService}: the Angular wiring around the framework-free
 * protocol core in `protocol/` and the renewal pieces in `renewal/`.
 */
@Injectable()
export class DefaultImplicitAuthService extends ImplicitAuthService implements OnDestroy {
  readonly #config = inject(IMPLICIT_AUTH_CONFIG);
  readonly #clock = inject(IMPLICIT_AUTH_CLOCK);
  readonly #redirect = inject(IMPLICIT_AUTH_REDIRECT);
  readonly #client = inject(ProviderClient);
  readonly #router = inject(Router, { optional: true });
  readonly #window = inject(DOCUMENT).defaultView as Window;
  readonly #sessionStorage = storageOf(this.#window, 'sessionStorage');
  readonly #transactions = createTransactionStore(this.#sessionStorage);
  readonly #state = new SessionState(
    createSessionStore(this.#config.storage, this.#sessionStorage),
    storageOf(this.#window, 'localStorage'),
  );
  readonly #flight = createSingleFlight<string, void>();
  #cookies?: Promise<CookieBlockDetector | undefined>; // built with the on-demand module (see #cookieDetector)
  readonly #tabs = createTabSync<Session>({
    name: `ngx-implicit-auth:${this.#config.issuer}:${this.#config.clientId}`,
    isTokens: isSession,
  });
  readonly #scheduler = createRenewalScheduler(() => this.renew().catch(() => undefined), {
    clock: this.#clock,
    window: this.#window,
    marginMs: this.#config.silentRenew ? this.#config.silentRenew.marginSeconds * 1000 : 0,
  });

  readonly #session = this.#state.session;
  readonly #stopListening = this.#tabs.onMessage((message) => this.#onTabMessage(message));
  /** A page restored from the back/forward cache after leaving for the provider may sign in again. */
  readonly #onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) this.#redirecting = false;
  };
  #redirecting = false;
  /** Set by `logout()` until the next interactive sign-in: other tabs' renewals are not adopted meanwhile. */
  #signedOut = false;
  #readyPromise: Promise<void> = Promise.resolve();

  override readonly status = computed<AuthStatus>(() =>
    !this.#state.started() ? 'loading' : this.#session() ? 'signed-in' : 'signed-out',
  );
  override readonly isAuthenticated = computed(() => this.status() === 'signed-in');
  override readonly claims = computed(() => this.#session()?.claims ?? null);
  override readonly error = this.#state.lastError.asReadonly();
  override readonly isAuthenticated$ = this.#state.observe(this.isAuthenticated);
  override readonly claims$ = this.#state.observe(this.claims);
  override readonly error$ = this.#state.observe(this.error);
  override readonly events = this.#state.events.asObservable();

  /**
   * Runs at start-up, before the router's first navigation (an app initializer). Synchronously takes an
   * authorization response out of the address bar, so no route, history entry or analytics script sees
   * `#access_token=…`, then finishes sign-in (or restores the session) in the background; `status` stays
   * `loading` until done.
   */
  start(): void {
    this.#window.addEventListener('pageshow', this.#onPageShow);
    const { location } = this.#window;
    const fragment = location.hash;
    // The kept session first: a refused callback must leave it exactly as it was.
    const kept = this.#state.load(this.#clock.now());
    if (kept) this.#adopt(kept);
    let work: Promise<unknown> = Promise.resolve();
    if (isAuthorizationResponse(fragment)) {
      // Land straight on the page the user asked for; the guard waits for `whenReady()` before trusting it.
      const state = stateOfResponse(fragment);
      const pending = state === undefined ? null : this.#transactions.peek(state);
      this.#replaceUrl(pending?.returnUrl ?? location.pathname + location.search);
      work = this.#processCallback(fragment);
    } else if (!this.#session() && this.#config.silentRenew && this.#config.silentRenew.restoreSession) {
      if (this.#state.hadSession) work = this.#restoreSilently();
    }
    // Start-up failures are already in `error` and `events`; start-up itself must always finish.
    this.#readyPromise = work.catch(() => undefined).then(() => this.#state.finishStart());
  }

  override whenReady(): Promise<void> {
    return this.#readyPromise;
  }

  override async login(options: LoginOptions = {}): Promise<void> {
    // One redirect at a time: a guard and an interceptor asking together must not start two sign-ins.
    if (this.#redirecting) return;
    this.#signedOut = false;
    try {
      const { location } = this.#window;
      const { toSafeReturnUrl, generateRandomToken, needsNonce } = await this.#client.onDemand();
      const returnUrl = toSafeReturnUrl(
        options.returnUrl ?? location.pathname + location.search + location.hash,
        location.origin,
      );
      const config = this.#config;
      const now = this.#clock.now();
      const scope = options.scope ? scopeFor(config.responseType, options.scope) : config.scope;
      const transaction: PendingTransaction = {
        state: generateRandomToken(),
        nonce: needsNonce(config.responseType, scope) ? generateRandomToken() : undefined,
        returnUrl,
        responseType: config.responseType,
        scope,
        audience: options.audience ?? config.audience,
        startedAt: now,
        maxAgeSeconds: options.maxAge ?? config.maxAgeSeconds,
        expiresAt: now + config.transactionTtlSeconds * 1000,
      };
      const url = await this.#client.authorizeUrl(transaction, {
        prompt: options.prompt,
        extraParams: { ...config.authorizeParams, ...options.authorizeParams },
      });
      this.#transactions.prune(now);
      this.#transactions.save(transaction);
      this.#redirecting = true;
      this.#state.emit({ type: 'login_started', returnUrl });
      this.#redirect(url);
    } catch (error: unknown) {
      throw this.#fail(error);
    }
  }

  override async handleCallback(fragment?: string): Promise<boolean> {
    const encoded = fragment ?? this.#window.location.hash;
    if (!isAuthorizationResponse(encoded)) return false;
    if (fragment === undefined) this.#replaceUrl(this.#window.location.pathname + this.#window.location.search);
    const returnUrl = await this.#processCallback(encoded);
    if (this.#router?.navigated) await this.#router.navigateByUrl(returnUrl);
    return true;
  }

  override async logout(options: LogoutOptions = {}): Promise<void> {
    const idToken = this.#session()?.idToken;
    // The app's own origin only; the provider's registered list is a second line, not the only one.
    const returnTo =
      options.returnTo === undefined
        ? this.#config.logout.postLogoutRedirectUri
        : sameOriginHref(options.returnTo, this.#window.location.origin);
    if (!returnTo) {
      throw this.#fail(new ImplicitAuthError('invalid_return_url', "logout returnTo must be on the app's origin"));
    }
    this.#signedOut = true;
    this.#endSession('logout');
    this.#tabs.publish({ type: 'signed_out' });
    if (options.localOnly || this.#config.logout.style === 'local') return;
    // Signed out here whatever happens next; the provider session is ended too where the provider allows it.
    const url = await this.#client.logoutUrl(idToken, returnTo).catch(() => null);
    if (url) this.#redirect(url);
  }

  override currentAccessToken(options: Pick<AccessTokenOptions, 'audience'> = {}): AccessTokenInfo | null {
    const audience = options.audience ?? this.#config.audience;
    const kept = this.#session()?.accessTokens[audience ?? ''];
    // A token within the clock-skew margin of its expiry would likely be refused on arrival: never hand it out.
    // The margin is capped at half the token's lifetime, or a token shorter-lived than the skew would never do.
    const lifetime = kept ? kept.expiresAt - (kept.receivedAt ?? 0) : 0;
    const margin = Math.min(this.#config.clockSkewSeconds * 1000, lifetime / 2);
    return kept && kept.expiresAt - margin > this.#clock.now()
      ? { token: kept.token, audience, scopes: kept.scopes, expiresAt: kept.expiresAt }
      : null;
  }

  override async getAccessToken(options: AccessTokenOptions = {}): Promise<string> {
    await this.#readyPromise;
    const kept = this.currentAccessToken(options)?.token;
    if (kept && kept !== options.replacing) return kept;
    // Signed out: nothing to renew silently; signing in is the app's (or the guard's) decision, never ours.
    if (!this.#session()) throw new ImplicitAuthError('not_authenticated', 'Not signed in');
    await this.renew(options);
    const renewed = this.currentAccessToken(options)?.token;
    if (!renewed || renewed === options.replacing) {
      throw new ImplicitAuthError('not_authenticated', 'No valid access token for this audience');
    }
    return renewed;
  }

  override renew(options: Pick<AccessTokenOptions, 'audience' | 'scope'> = {}): Promise<void> {
    const audience = options.audience ?? this.#config.audience;
    // Concurrent callers (guard, interceptor, timer) share one renewal per audience.
    return this.#flight(audience ?? '', () => this.#renewNow(audience, options.scope));
  }

  ngOnDestroy(): void {
    this.#scheduler.dispose();
    this.#stopListening();
    this.#window.removeEventListener('pageshow', this.#onPageShow);
    this.#tabs.close();
    this.#state.complete();
  }

  // ---------------------------------------------------------------------------------------------

  /** Validates a callback and, only when every check passed, replaces the session. Returns the return URL. */
  async #processCallback(encoded: string): Promise<string> {
    try {
      const response = parseAuthorizationResponse(encoded);
      // A `state` is used once: taking it now means a replayed response is refused whatever happens next.
      const transaction = response.state ? this.#transactions.take(response.state) : null;
      if (!transaction) {
        // Unsolicited, replayed, or from another browser: a login-CSRF or injection attempt (RFC 9700 §4.7).
        throw new ImplicitAuthError('state_mismatch', 'No pending sign-in matches this response');
      }
      if (transaction.expiresAt <= this.#clock.now()) {
        throw new ImplicitAuthError('transaction_expired', 'The sign-in took too long; start again');
      }
      // Only now that the state matched is the provider's error trusted enough to show (RFC 6749 §4.2.2.1).
      if (response.error) {
        const metadata = await this.#client.metadata().catch(() => undefined);
        const issRequired = metadata?.authorization_response_iss_parameter_supported === true;
        throw providerError(response, this.#config.issuer, issRequired);
      }
      const validated = await this.#client.validate(response, transaction);
      this.#accept(validated, transaction.audience, null);
      void this.#cookieDetector().then((cookies) => cookies?.signedInInteractively());
      this.#state.emit({ type: 'signed_in', claims: validated.claims, returnUrl: transaction.returnUrl });
      return transaction.returnUrl;
    } catch (error: unknown) {
      throw this.#fail(error, true);
    }
  }

  /** Session restore on reload: a quiet silent sign-in (a `login_required` here just means "signed out"). */
  async #restoreSilently(): Promise<void> {
    try {
      const epoch = this.#state.epoch;
      const validated = await this.#authorizeSilently({ audience: this.#config.audience, scope: this.#config.scope });
      if (epoch !== this.#state.epoch || this.#session()) return; // signed out meanwhile, or signed in another way
      this.#accept(validated, this.#config.audience, null);
      void this.#cookieDetector().then((cookies) => cookies?.silentRequestWorked());
      this.#state.emit({ type: 'signed_in', claims: validated.claims, returnUrl: this.#window.location.pathname });
    } catch (error: unknown) {
      // Usually not an error the user caused or can fix (they are simply signed out, and may sign in); but
      // blocked cookies explain why every reload signs them out, so that one is shown.
      const typed = await this.#silentFailure(error);
      if (typed.code === 'third_party_cookies_blocked') this.#fail(typed);
      this.#state.forgetHint();
      this.#state.emit({ type: 'renewal_failed', error: typed });
    }
  }

  /** A silent request's failure, typed (blocked cookies recognised, with their event). */
  async #silentFailure(error: unknown): Promise<ImplicitAuthError> {
    const cookies = await this.#cookieDetector();
    const typed = cookies ? cookies.classify(toImplicitAuthError(error)) : toImplicitAuthError(error);
    if (typed.code === 'third_party_cookies_blocked') {
      this.#state.emit({ type: 'third_party_cookies_blocked', error: typed });
      // After the caller ends the session, one interactive sign-in if asked for (its failure lands in `error`).
      const renew = this.#config.silentRenew;
      if (renew && renew.onCookiesBlocked === 'redirect') this.login().catch(() => undefined);
    }
    return typed;
  }

  #cookieDetector(): Promise<CookieBlockDetector | undefined> {
    return (this.#cookies ??= this.#client.onDemand().then(
      ({ createCookieBlockDetector }) =>
        createCookieBlockDetector({
          storage: this.#sessionStorage,
          issuer: this.#config.issuer,
          appHostname: this.#window.location.hostname,
          now: () => this.#clock.now(),
        }),
      // Without the on-demand code there was no silent request to judge either.
      () => undefined,
    ));
  }

  /** One `prompt=none` round trip, fully validated, with the response-handling code loaded first. */
  async #authorizeSilently(request: SilentAuthorizeRequest): Promise<ValidatedResponse> {
    const { authorizeSilently } = await this.#client.onDemand();
    const renew = this.#config.silentRenew as Required<SilentRenewConfig>;
    return authorizeSilently(this.#client, this.#config, renew, request, this.#window, this.#clock);
  }

  async #renewNow(audience: string | undefined, scope: string | undefined): Promise<void> {
    const renew = this.#config.silentRenew;
    const started = this.#session();
    const epoch = this.#state.epoch;
    try {
      if (!renew) throw new ImplicitAuthError('renewal_failed', 'Silent renewal is turned off');
      this.#state.emit({ type: 'renewal_started', audience });
      await this.#tabs.runExclusive(audience, async () => {
        // Another tab may have renewed while this one waited for the lock: its tokens are already here.
        if (this.#session() !== started) return;
        const api = this.#config.apis.find((entry) => entry.audience === audience);
        const validated = await this.#authorizeSilently({
          audience,
          scope: scope ?? api?.scope ?? this.#config.scope,
          idTokenHint: started?.idToken,
        });
        // Signed out while the iframe was out: the answer must not sign the user back in (nor other tabs).
        if (epoch !== this.#state.epoch) throw new ImplicitAuthError('renewal_failed', 'Signed out during the renewal');
        const before = started?.claims;
        const after = validated.claims;
        if (before && after && !sameUser(before, after)) {
          // Someone else signed in at the provider meanwhile: never mix two users' tokens in one session.
          this.#endSession('user_switched');
          this.#tabs.publish({ type: 'signed_out' });
          throw new ImplicitAuthError('user_switched', 'The provider session now belongs to another user');
        }
        this.#accept(validated, audience, this.#session());
        void this.#cookieDetector().then((cookies) => cookies?.silentRequestWorked());
      });
    } catch (error: unknown) {
      const typed = await this.#silentFailure(error);
      this.#fail(typed);
      this.#state.emit({ type: 'renewal_failed', error: typed });
      // The provider needs the user: sign out cleanly; the next sign-in is interactive, never a retry loop.
      if (isInteractionRequired(typed)) {
        this.#endSession('session_ended');
      }
      throw typed;
    }
  }

  /**
   * Stores validated tokens. `previous` is the session to add them to (a renewal), or `null` to start a new
   * session (an interactive sign-in replaces whatever was there). Shares the result with the app's other tabs.
   */
  #accept({ tokens, claims }: ValidatedResponse, audience: string | undefined, previous: Session | null): void {
    const accessTokens = { ...previous?.accessTokens };
    if (tokens.accessToken && tokens.expiresAt) {
      accessTokens[audience ?? ''] = {
        token: tokens.accessToken,
        expiresAt: tokens.expiresAt,
        receivedAt: this.#clock.now(),
        scopes: tokens.scopes,
      };
      this.#state.emit({ type: 'token_received', audience, expiresAt: tokens.expiresAt });
    }
    const session: Session = {
      idToken: tokens.idToken ?? previous?.idToken,
      claims: claims ?? previous?.claims ?? null,
      accessTokens,
    };
    this.#adopt(session);
    this.#state.setError(null);
    this.#tabs.publish({ type: 'tokens_updated', audience, tokens: session });
  }

  /** Makes `session` the current one and plans its renewal. */
  #adopt(session: Session): void {
    this.#state.adopt(session);
    const renew = this.#config.silentRenew;
    const expiresAt = session.accessTokens[this.#config.audience ?? '']?.expiresAt ?? (session.claims?.exp ?? 0) * 1000;
    if (renew && renew.automatic && expiresAt) this.#scheduler.schedule(expiresAt);
  }

  /**
   * Another tab signed out (so does this one), or renewed: its tokens are taken for the same user (or none yet),
   * never after this tab's user signed out (a renewal under way elsewhere must not sign them back in).
   */
  #onTabMessage(message: TabSyncMessage<Session>): void {
    if (message.type === 'signed_out') this.#endSession('other_tab');
    else if (!this.#signedOut && (!this.#session() || sameUser(this.#session()?.claims, message.tokens.claims))) {
      this.#adopt(message.tokens);
    }
  }

  #endSession(reason: SignOutReason): void {
    this.#scheduler.cancel();
    this.#state.end(reason);
  }

  /** Records an error as the last error (and, for a refused response, as an event); returns it typed. */
  #fail(error: unknown, refusedResponse = false): ImplicitAuthError {
    const typed = toImplicitAuthError(error);
    this.#state.setError(typed, refusedResponse);
    return typed;
  }

  #replaceUrl(url: string): void {
    this.#window.history.replaceState(this.#window.history.state, '', url);
  }
}
