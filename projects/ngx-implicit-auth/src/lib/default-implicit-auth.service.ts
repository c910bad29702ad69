import { computed, DOCUMENT, inject, Injectable, type OnDestroy } from '@angular/core';
import { Router } from '@angular/router';
import { flowContext } from './flows/flow-context';
import type { AccessTokenOptions, LoginOptions, LogoutOptions } from './implicit-auth.service';
import { ImplicitAuthService } from './implicit-auth.service';
import { isAuthorizationResponse } from './protocol/callback-detection';
import { type BoundFlows, onDemandFlows } from './on-demand-loader';
import { finishLogoutReturn, takeCallback } from './session/address-bar';
import { SessionKeeper } from './session/session-keeper';
import { notAuthenticated } from './session/session-state';
import { IMPLICIT_AUTH_CLOCK, IMPLICIT_AUTH_CONFIG, IMPLICIT_AUTH_FETCH } from './tokens';
import { IMPLICIT_AUTH_ON_DEMAND_LOADER, IMPLICIT_AUTH_PARTS, IMPLICIT_AUTH_REDIRECT } from './tokens';

/**
 * The library's {@link ImplicitAuthService}, a facade: the session and its rules live in the `SessionKeeper`; sign-in,
 * callback, restore and renewal in the flows (`flows/`, `renewal/`), loaded on demand. Map: `lib/README.md`.
 */
@Injectable()
export class DefaultImplicitAuthService extends ImplicitAuthService implements OnDestroy {
  readonly #config = inject(IMPLICIT_AUTH_CONFIG);
  readonly #redirect = inject(IMPLICIT_AUTH_REDIRECT);
  readonly #router = inject(Router, { optional: true });
  readonly #parts = inject(IMPLICIT_AUTH_PARTS);
  readonly #keeper = new SessionKeeper(
    this.#config,
    inject(IMPLICIT_AUTH_CLOCK),
    inject(DOCUMENT).defaultView as Window,
    () => this.renew().catch(() => undefined),
    this.#parts,
  );
  readonly #state = this.#keeper.state;
  readonly #flowsOnce = onDemandFlows(
    inject(IMPLICIT_AUTH_ON_DEMAND_LOADER),
    this.#config.networkTimeoutMs,
    flowContext(this.#keeper, this.#redirect, this.#parts.userInfo),
    inject(IMPLICIT_AUTH_FETCH),
    () => this.login(),
  );
  #readyPromise: Promise<void> = Promise.resolve();

  override readonly status = this.#state.status;
  override readonly isAuthenticated = computed(() => this.status() === 'signed-in');
  override readonly claims = this.#state.claims;
  override readonly idToken = computed(() => this.#keeper.session()?.idToken ?? null);
  override readonly error = this.#state.lastError.asReadonly();
  override readonly isAuthenticated$ = this.#state.observe(this.isAuthenticated);
  override readonly claims$ = this.#state.observe(this.claims);
  override readonly error$ = this.#state.observe(this.error);
  override readonly events = this.#state.events.asObservable();

  /**
   * Runs at start-up, before the router's first navigation (an app initializer): takes a callback out of the address
   * bar at once, then finishes sign-in (or restores the session) in the background; `status` is `loading` until done.
   */
  start(): void {
    const keeper = this.#keeper;
    const renew = this.#config.silentRenew;
    finishLogoutReturn(keeper);
    // The kept session first: a refused callback must leave it exactly as it was.
    keeper.restoreKept();
    const callback = takeCallback(keeper);
    const epoch = keeper.epoch;
    let work: Promise<unknown> = Promise.resolve();
    if (callback) work = this.#finishSignIn(callback);
    else if (!keeper.session() && renew && renew.restoreSession && this.#state.hadSession) {
      work = this.#loadFlows().then((flows) => flows.renewal.restore(epoch));
    }
    // Start-up failures are already in `error` and `events`; start-up itself must always finish.
    this.#readyPromise = work.catch(() => undefined).then(() => this.#state.finishStart());
  }

  override whenReady(): Promise<void> {
    return this.#readyPromise;
  }

  override async login(options: LoginOptions = {}): Promise<void> {
    // One redirect at a time: a guard and an interceptor asking together must not start two sign-ins.
    if (this.#keeper.redirecting) return;
    const epoch = this.#keeper.epoch;
    try {
      await (await this.#loadFlows(false)).signIn(options, epoch);
      this.#keeper.redirecting = true;
    } catch (error: unknown) {
      throw this.#keeper.fail(error);
    }
  }

  override async handleCallback(fragment?: string): Promise<boolean> {
    const encoded = fragment === undefined ? takeCallback(this.#keeper) : fragment;
    if (!encoded || !isAuthorizationResponse(encoded)) return false;
    const returnUrl = await this.#finishSignIn(encoded);
    if (this.#router?.navigated) await this.#router.navigateByUrl(returnUrl);
    return true;
  }

  override async logout(options: LogoutOptions = {}): Promise<void> {
    // Signed out here first, whatever happens next (the on-demand code may not even load).
    const { idToken, returnTo } = this.#keeper.logOut(options.returnTo, options.params);
    if (options.localOnly || this.#config.logout.style === 'local') return;
    // Then the provider's session too, where it offers a way (a failure there leaves this sign-out standing).
    const flows = await this.#loadFlows(false).catch(() => null);
    const url = await flows?.logoutUrl(idToken, returnTo, options.params).catch(() => null);
    if (url) this.#redirect(url);
  }

  override currentAccessToken(options: Pick<AccessTokenOptions, 'audience'> = {}) {
    const audience = options.audience ?? this.#config.audience;
    const kept = this.#keeper.accessToken(audience);
    return kept && { token: kept.token, audience, scopes: kept.scopes, expiresAt: kept.expiresAt };
  }

  override async getAccessToken(options: AccessTokenOptions = {}): Promise<string> {
    await this.#readyPromise;
    // A token an API just refused (`replacing`) is never handed out again.
    const usable = () => [this.currentAccessToken(options)?.token].find((token) => token !== options.replacing);
    // Signed out: nothing to renew silently; signing in is the app's (or the guard's) decision, never ours.
    if (!usable() && this.#keeper.session()) await this.renew(options);
    const token = usable();
    if (token) return token;
    throw notAuthenticated();
  }

  override async renew(options: Pick<AccessTokenOptions, 'audience' | 'scope'> = {}): Promise<void> {
    const audience = options.audience ?? this.#config.audience;
    const epoch = this.#keeper.epoch;
    // Concurrent callers (guard, interceptor, timer) share one renewal per audience (inside the coordinator).
    return (await this.#loadFlows()).renewal.renew(audience, options.scope, epoch);
  }

  ngOnDestroy(): void {
    this.#keeper.dispose();
  }

  /** The callback's response through the one completion path; returns where to land. */
  async #finishSignIn(encoded: string): Promise<string> {
    const epoch = this.#keeper.epoch;
    const flows = await this.#loadFlows(true);
    const returnUrl = await flows.finishSignIn(encoded, epoch);
    flows.renewal.signedInInteractively();
    return returnUrl;
  }

  /** The flows; a failed load is recorded as the last error (a refused response with `refused`; `false`: not). */
  #loadFlows(refused?: boolean): Promise<BoundFlows> {
    const flows = this.#flowsOnce();
    return refused === false
      ? flows
      : flows.catch((error: unknown) => Promise.reject(this.#keeper.fail(error, refused)));
  }
}
