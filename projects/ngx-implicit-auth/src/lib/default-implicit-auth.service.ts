import { computed, DOCUMENT, inject, Injectable, type OnDestroy } from '@angular/core';
import { Router } from '@angular/router';
import { sameUser, userFingerprint } from './claims';
import { sameOriginHref } from './protocol/return-url';
import { scopeFor } from './protocol/response-type';
import { type SilentRenewConfig } from './config/implicit-auth-config';
import { ImplicitAuthError, isImplicitAuthError, isInteractionRequired } from './errors';
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
import { belongsTo, createSessionStore, isSession, type Session } from './storage/session-store';
import { storageKeys } from './storage/storage-keys';
import { hintStorage, storageOf } from './storage/web-storage';
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
  /** Every key, the tab channel and the lock are this app's own (issuer + client id). */
  readonly #keys = storageKeys(this.#config.issuer, this.#config.clientId);
  readonly #sessionStorage = storageOf(this.#window, 'sessionStorage');
  /** sessionStorage for optional values: a full or disabled storage never breaks a sign-in. */
  readonly #sessionHints = hintStorage(this.#sessionStorage, 'sessionStorage');
  readonly #transactions = createTransactionStore(this.#sessionStorage, this.#keys.transactionPrefix);
  readonly #state = new SessionState(
    createSessionStore(this.#config.storage, this.#sessionStorage, this.#keys.session, this.#config),
    hintStorage(storageOf(this.#window, 'localStorage'), 'localStorage'),
    this.#keys.hadSession,
  );
  readonly #flight = createSingleFlight<string, void>();
  #cookies?: Promise<CookieBlockDetector | undefined>; // built with the on-demand module (see #cookieDetector)
  readonly #tabs = createTabSync<Session>({ name: this.#keys.namespace, isTokens: isSession });
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
    this.#finishLogoutReturn();
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
    const epoch = this.#state.epoch;
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
      // Signed out while the provider was being asked: the user chose that, so no redirect starts.
      this.#checkEpoch(epoch);
      this.#transactions.prune(now);
      this.#transactions.save(transaction);
      this.#sessionHints.remove(this.#keys.logoutState);
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
    const idToken = this.#session()?.idToken ?? this.#keptIdTokenHint();
    // The app's own origin only; the provider's registered list is a second line, not the only one.
    const returnTo =
      options.returnTo === undefined
        ? this.#config.logout.postLogoutRedirectUri
        : sameOriginHref(options.returnTo, this.#window.location.origin);
    if (!returnTo) {
      throw this.#fail(new ImplicitAuthError('invalid_return_url', "logout returnTo must be on the app's origin"));
    }
    this.#signOut('logout');
    if (options.localOnly || this.#config.logout.style === 'local') return;
    // Signed out here whatever happens next; the provider session is ended too where the provider allows it.
    const url = await this.#logoutUrl(idToken, returnTo).catch(() => null);
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
    const epoch = this.#state.epoch;
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
      // `logout()` while the response was being checked: it is dropped, never stored.
      this.#checkEpoch(epoch);
      this.#accept(validated, transaction.audience, null, this.#clock.now());
      void this.#cookieDetector().then((cookies) => cookies?.signedInInteractively());
      this.#state.emit({ type: 'signed_in', claims: validated.claims, returnUrl: transaction.returnUrl });
      return transaction.returnUrl;
    } catch (error: unknown) {
      throw this.#fail(error, true);
    }
  }

  /** Session restore on reload: a quiet silent sign-in (a `login_required` here just means "signed out"). */
  async #restoreSilently(): Promise<void> {
    const epoch = this.#state.epoch;
    const startedAt = this.#clock.now();
    try {
      const validated = await this.#authorizeSilently({
        audience: this.#config.audience,
        scope: this.#config.scope,
        idTokenHint: this.#keptIdTokenHint(),
      });
      if (epoch !== this.#state.epoch || this.#session()) return; // signed out meanwhile, or signed in another way
      this.#accept(validated, this.#config.audience, null, startedAt);
      void this.#cookieDetector().then((cookies) => cookies?.silentRequestWorked());
      this.#state.emit({ type: 'signed_in', claims: validated.claims, returnUrl: this.#window.location.pathname });
    } catch (error: unknown) {
      const typed = await this.#classifySilentFailure(error);
      if (epoch !== this.#state.epoch) return; // signed out meanwhile: nothing to report, nothing to start
      // An interaction error just means "signed out" (the user may sign in). Anything else (a provider that
      // refuses the request, an unreachable provider) is shown, and so are blocked cookies, which explain why
      // every reload signs the user out.
      const interaction = isInteractionRequired(typed);
      if (typed.code === 'third_party_cookies_blocked' || !interaction) this.#fail(typed);
      // Only the provider's "no session here" ends the hint; after an outage the next reload tries again.
      if (interaction) this.#state.forgetHint();
      this.#state.emit({ type: 'renewal_failed', error: typed });
      this.#fallbackSignIn(typed);
    }
  }

  /** A silent request's failure, typed (blocked cookies recognised, with their event). */
  async #classifySilentFailure(error: unknown): Promise<ImplicitAuthError> {
    const cookies = await this.#cookieDetector();
    const typed = cookies ? cookies.classify(toImplicitAuthError(error)) : toImplicitAuthError(error);
    if (typed.code === 'third_party_cookies_blocked') {
      this.#state.emit({ type: 'third_party_cookies_blocked', error: typed });
    }
    return typed;
  }

  /**
   * After blocked cookies ended the session: one interactive sign-in when configured (its failure lands in
   * `error`), never a silent retry. Started after the session ended, so a later `logout()` still stops it.
   */
  #fallbackSignIn(error: ImplicitAuthError): void {
    const renew = this.#config.silentRenew;
    if (error.code === 'third_party_cookies_blocked' && renew && renew.onCookiesBlocked === 'redirect') {
      this.login().catch(() => undefined);
    }
  }

  #cookieDetector(): Promise<CookieBlockDetector | undefined> {
    return (this.#cookies ??= this.#client.onDemand().then(
      ({ createCookieBlockDetector }) =>
        createCookieBlockDetector({
          storage: this.#sessionHints,
          key: this.#keys.signedInAt,
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
    const startedAt = this.#clock.now();
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
          idTokenHint: started?.idToken ?? this.#keptIdTokenHint(),
        });
        // Signed out while the iframe was out: the answer must not sign the user back in (nor other tabs).
        this.#checkEpoch(epoch);
        if (started?.claims && validated.claims && !sameUser(started.claims, validated.claims)) {
          this.#switchUser(validated, audience, started);
          // The callers asked for this user's token: they never get the other user's.
          throw new ImplicitAuthError('user_switched', 'The provider session now belongs to another user');
        }
        this.#accept(validated, audience, this.#session(), startedAt);
        void this.#cookieDetector().then((cookies) => cookies?.silentRequestWorked());
      });
    } catch (error: unknown) {
      // Signed out meanwhile (here, by another tab or by the provider): that outcome stands. Whatever the
      // provider said after it is not reported, and ends or starts nothing. (A user switch ends the session too,
      // on purpose, and is reported.)
      if (epoch !== this.#state.epoch && !isImplicitAuthError(error, 'user_switched')) {
        throw isImplicitAuthError(error, 'signed_out') ? error : signedOutMeanwhile(error);
      }
      const typed = await this.#classifySilentFailure(error);
      this.#fail(typed);
      this.#state.emit({ type: 'renewal_failed', error: typed });
      // The provider needs the user: sign out cleanly; the next sign-in is interactive, never a retry loop.
      if (isInteractionRequired(typed)) {
        this.#endSession('session_ended', this.#clock.now());
        this.#fallbackSignIn(typed);
      }
      throw typed;
    }
  }

  /**
   * A renewal came back for another user. When that user's session is the newest one begun in this browser,
   * this tab had missed its sign-in in another tab: it moves on to it and signs no one out. Otherwise someone
   * else signed in at the provider: this user's session ends in every tab, so two users' tokens never mix.
   */
  #switchUser(validated: ValidatedResponse, audience: string | undefined, started: Session): void {
    const newest = this.#state.browserSession();
    if (newest && newest.at > started.startedAt && newest.user === userFingerprint(validated.claims)) {
      this.#state.end('user_switched');
      this.#accept(validated, audience, null, newest.at, false);
    } else {
      this.#signOut('user_switched');
    }
  }

  /**
   * Stores validated tokens. `previous` is the session to add them to (a renewal), or `null` to begin a new
   * session at `startedAt` (an interactive sign-in replaces whatever was there); `began` records a new session
   * as the browser's newest. Shares the result with the app's other tabs.
   */
  #accept(
    { tokens, claims }: ValidatedResponse,
    audience: string | undefined,
    previous: Session | null,
    startedAt: number,
    began = previous === null,
  ): void {
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
      issuer: this.#config.issuer,
      clientId: this.#config.clientId,
      startedAt: previous?.startedAt ?? startedAt,
      idToken: tokens.idToken ?? previous?.idToken,
      claims: claims ?? previous?.claims ?? null,
      accessTokens,
    };
    this.#adopt(session, began);
    const renew = this.#config.silentRenew;
    if (renew && renew.idTokenHint === 'session' && session.idToken) {
      this.#sessionHints.set(this.#keys.idTokenHint, session.idToken);
    }
    this.#state.setError(null);
    this.#tabs.publish({ type: 'tokens_updated', audience, tokens: session });
  }

  /** Makes `session` the current one and plans its renewal. */
  #adopt(session: Session, began = false): void {
    this.#state.adopt(session, began);
    const renew = this.#config.silentRenew;
    const expiresAt = session.accessTokens[this.#config.audience ?? '']?.expiresAt ?? (session.claims?.exp ?? 0) * 1000;
    if (renew && renew.automatic && expiresAt) this.#scheduler.schedule(expiresAt);
  }

  /**
   * Another tab signed out (so does this one), or renewed: its session is taken if it is this app's, began after
   * the last sign-out this tab knows of (a renewal finishing late elsewhere must not sign the user back in), and
   * is for the same user (or this tab has none).
   */
  #onTabMessage(message: TabSyncMessage<Session>): void {
    if (message.type === 'signed_out') {
      this.#endSession('other_tab', message.at);
      return;
    }
    const { tokens } = message;
    const current = this.#session();
    if (
      tokens.startedAt > this.#state.signedOutAt &&
      belongsTo(tokens, this.#config) &&
      (!current || sameUser(current.claims, tokens.claims))
    ) {
      this.#adopt(tokens);
    }
  }

  /** Signs out in this tab and every other one of this app. */
  #signOut(reason: SignOutReason): void {
    const at = this.#clock.now();
    this.#endSession(reason, at);
    this.#tabs.publish({ type: 'signed_out', at });
  }

  /** Ends this tab's session; with `signedOutAt`, as a sign-out (see `SessionState.end`). */
  #endSession(reason: SignOutReason, signedOutAt?: number): void {
    this.#scheduler.cancel();
    if (signedOutAt !== undefined) this.#sessionHints.remove(this.#keys.idTokenHint);
    this.#state.end(reason, signedOutAt);
  }

  /** Throws `signed_out` when the session ended since `epoch` was read: what began before must not finish. */
  #checkEpoch(epoch: number): void {
    if (epoch !== this.#state.epoch) throw signedOutMeanwhile();
  }

  /** The ID token kept as `id_token_hint` across reloads (`silentRenew.idTokenHint: 'session'`). */
  #keptIdTokenHint(): string | undefined {
    const renew = this.#config.silentRenew;
    return (renew && renew.idTokenHint === 'session' && this.#sessionHints.get(this.#keys.idTokenHint)) || undefined;
  }

  /**
   * The provider's logout URL, with a fresh `state` (some providers only redirect back when the request carries
   * one), remembered so the return can be recognised.
   * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout (§2, `state`)
   */
  async #logoutUrl(idToken: string | undefined, returnTo: string): Promise<string | null> {
    const state = (await this.#client.onDemand()).generateRandomToken();
    const url = await this.#client.logoutUrl(idToken, returnTo, state);
    if (url && this.#config.logout.style === 'oidc') this.#sessionHints.set(this.#keys.logoutState, state);
    return url;
  }

  /**
   * Back from RP-initiated logout: the provider passes the `state` sent back in the query. Only that exact value
   * is taken out of the address bar (an app may use a `state` parameter of its own).
   * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RedirectionAfterLogout (§3)
   */
  #finishLogoutReturn(): void {
    const expected = this.#sessionHints.get(this.#keys.logoutState);
    if (!expected) return;
    const url = new URL(this.#window.location.href);
    const states = url.searchParams.getAll('state');
    if (states.length !== 1 || states[0] !== expected) return;
    this.#sessionHints.remove(this.#keys.logoutState);
    url.searchParams.delete('state');
    this.#replaceUrl(url.pathname + url.search + url.hash);
  }

  /** Records an error as the last error (and, for a refused response, as an event); returns it typed. */
  #fail(error: unknown, refusedResponse = false): ImplicitAuthError {
    const typed = toImplicitAuthError(error);
    // A result dropped because the user signed out is the user's choice, not an error to show.
    if (typed.code !== 'signed_out') this.#state.setError(typed, refusedResponse);
    return typed;
  }

  #replaceUrl(url: string): void {
    this.#window.history.replaceState(this.#window.history.state, '', url);
  }
}

/** The outcome of work that was under way when the user signed out: dropped, never stored. */
function signedOutMeanwhile(cause?: unknown): ImplicitAuthError {
  return new ImplicitAuthError('signed_out', 'Signed out while this was under way; its result was discarded', {
    cause,
  });
}
