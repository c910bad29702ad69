import { computed, DOCUMENT, inject, Injectable, type OnDestroy } from '@angular/core';
import { Router } from '@angular/router';
import { ImplicitAuthError } from './errors';
import type { FlowContext } from './flows/flow-context';
import {
  type AccessTokenInfo,
  type AccessTokenOptions,
  type AuthStatus,
  ImplicitAuthService,
  type LoginOptions,
  type LogoutOptions,
} from './implicit-auth.service';
import type { AuthFlows } from './on-demand';
import { isAuthorizationResponse, stateOfResponse } from './protocol/authorization-response';
import { sameOriginHref } from './protocol/return-url';
import { ProviderClient } from './provider-client';
import { SessionKeeper } from './session/session-keeper';
import { IMPLICIT_AUTH_CLOCK, IMPLICIT_AUTH_CONFIG, IMPLICIT_AUTH_REDIRECT } from './tokens';

/**
 * The library's {@link ImplicitAuthService}: a facade. The session and its rules live in the `SessionKeeper`; sign-in,
 * callback, restore and renewal in the flows (`flows/`, `renewal/`), loaded on demand with the response-handling code.
 * See `lib/README.md` for the map.
 */
@Injectable()
export class DefaultImplicitAuthService extends ImplicitAuthService implements OnDestroy {
  readonly #config = inject(IMPLICIT_AUTH_CONFIG);
  readonly #redirect = inject(IMPLICIT_AUTH_REDIRECT);
  readonly #client = inject(ProviderClient);
  readonly #router = inject(Router, { optional: true });
  readonly #window = inject(DOCUMENT).defaultView as Window;
  readonly #keeper = new SessionKeeper(this.#config, inject(IMPLICIT_AUTH_CLOCK), this.#window, () =>
    this.renew().catch(() => undefined),
  );
  readonly #state = this.#keeper.state;
  #flows?: Promise<AuthFlows>;
  #redirecting = false;
  #readyPromise: Promise<void> = Promise.resolve();
  /** A page restored from the back/forward cache after leaving for the provider may sign in again. */
  readonly #onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) this.#redirecting = false;
  };

  override readonly status = computed<AuthStatus>(() =>
    !this.#state.started() ? 'loading' : this.#keeper.session() ? 'signed-in' : 'signed-out',
  );
  override readonly isAuthenticated = computed(() => this.status() === 'signed-in');
  override readonly claims = computed(() => this.#keeper.session()?.claims ?? null);
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
    this.#keeper.finishLogoutReturn();
    // The kept session first: a refused callback must leave it exactly as it was.
    this.#keeper.restoreKept();
    let work: Promise<unknown> = Promise.resolve();
    if (isAuthorizationResponse(fragment)) {
      // Land straight on the page the user asked for; the guard waits for `whenReady()` before trusting it.
      const state = stateOfResponse(fragment);
      const pending = state === undefined ? null : this.#keeper.transactions.peek(state);
      this.#keeper.replaceUrl(pending?.returnUrl ?? location.pathname + location.search);
      work = this.#finishSignIn(fragment);
    } else if (!this.#keeper.session() && this.#config.silentRenew && this.#config.silentRenew.restoreSession) {
      const epoch = this.#keeper.epoch;
      if (this.#state.hadSession) work = this.#loadFlows().then((flows) => flows.restore(epoch));
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
    const epoch = this.#keeper.epoch;
    try {
      await (await this.#loadFlows()).signIn(options, epoch);
      this.#redirecting = true;
    } catch (error: unknown) {
      throw this.#keeper.fail(error);
    }
  }

  override async handleCallback(fragment?: string): Promise<boolean> {
    const encoded = fragment ?? this.#window.location.hash;
    if (!isAuthorizationResponse(encoded)) return false;
    const { pathname, search } = this.#window.location;
    if (fragment === undefined) this.#keeper.replaceUrl(pathname + search);
    const returnUrl = await this.#finishSignIn(encoded);
    if (this.#router?.navigated) await this.#router.navigateByUrl(returnUrl);
    return true;
  }

  override async logout(options: LogoutOptions = {}): Promise<void> {
    const keeper = this.#keeper;
    const idToken = keeper.session()?.idToken ?? keeper.keptIdTokenHint();
    // The app's own origin only; the provider's registered list is a second line, not the only one.
    const returnTo =
      options.returnTo === undefined
        ? this.#config.logout.postLogoutRedirectUri
        : sameOriginHref(options.returnTo, this.#window.location.origin);
    if (!returnTo) {
      throw keeper.fail(new ImplicitAuthError('invalid_return_url', "logout returnTo must be on the app's origin"));
    }
    // Signed out here first, whatever happens next (the on-demand code may not even load).
    keeper.signOut('logout');
    if (options.localOnly || this.#config.logout.style === 'local') return;
    const url = await this.#loadFlows()
      .then((flows) => flows.logoutUrl(idToken, returnTo))
      .catch(() => null);
    if (url) this.#redirect(url);
  }

  override currentAccessToken(options: Pick<AccessTokenOptions, 'audience'> = {}): AccessTokenInfo | null {
    const audience = options.audience ?? this.#config.audience;
    const kept = this.#keeper.accessToken(audience);
    return kept && { token: kept.token, audience, scopes: kept.scopes, expiresAt: kept.expiresAt };
  }

  override async getAccessToken(options: AccessTokenOptions = {}): Promise<string> {
    await this.#readyPromise;
    const kept = this.currentAccessToken(options)?.token;
    if (kept && kept !== options.replacing) return kept;
    // Signed out: nothing to renew silently; signing in is the app's (or the guard's) decision, never ours.
    if (!this.#keeper.session()) throw new ImplicitAuthError('not_authenticated', 'Not signed in');
    await this.renew(options);
    const renewed = this.currentAccessToken(options)?.token;
    if (!renewed || renewed === options.replacing) {
      throw new ImplicitAuthError('not_authenticated', 'No valid access token for this audience');
    }
    return renewed;
  }

  override async renew(options: Pick<AccessTokenOptions, 'audience' | 'scope'> = {}): Promise<void> {
    const audience = options.audience ?? this.#config.audience;
    const epoch = this.#keeper.epoch;
    // Concurrent callers (guard, interceptor, timer) share one renewal per audience (inside the flows).
    const flows = await this.#loadFlows().catch((error: unknown) => Promise.reject(this.#keeper.fail(error)));
    return flows.renew(audience, options.scope, epoch);
  }

  ngOnDestroy(): void {
    this.#window.removeEventListener('pageshow', this.#onPageShow);
    this.#keeper.dispose();
  }

  /** The callback's response through the one completion path; returns where to land. */
  async #finishSignIn(encoded: string): Promise<string> {
    const epoch = this.#keeper.epoch;
    const flows = await this.#loadFlows().catch((error: unknown) => Promise.reject(this.#keeper.fail(error, true)));
    return flows.finishSignIn(encoded, epoch);
  }

  /** The on-demand flows, bound to this service's context once loaded (a failed load is retried next time). */
  #loadFlows(): Promise<AuthFlows> {
    const context: FlowContext = {
      config: this.#config,
      clock: this.#keeper.clock,
      window: this.#window,
      keeper: this.#keeper,
      provider: this.#client,
      redirect: this.#redirect,
    };
    return (this.#flows ??= this.#client.onDemand().then(
      ({ createAuthFlows }) => createAuthFlows(context, () => this.login()),
      (error: unknown) => {
        this.#flows = undefined;
        throw error;
      },
    ));
  }
}
