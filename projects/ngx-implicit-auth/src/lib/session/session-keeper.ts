import { sameUser } from '../claims';
import type { Clock } from '../clock';
import type { ResolvedImplicitAuthConfig } from '../config/implicit-auth-config';
import { reportInDevMode } from '../dev-hints';
import { ImplicitAuthError } from '../errors';
import { RESERVED_LOGOUT_PARAMETERS } from '../protocol/reserved-parameters';
import { sameOriginHref } from '../protocol/same-origin-href';
import type { SignOutReason } from '../events';
import { createRenewalScheduler, type RenewalScheduler } from '../renewal/renewal-scheduler';
import type { TabSync, TabSyncMessage } from '../renewal/tab-sync';
import type { ImplicitAuthParts } from '../tokens';
import { belongsTo, isUsable, type Session, type StoredAccessToken, usableUntil } from './session';
import { SessionState, toImplicitAuthError } from './session-state';
import type { SessionStore } from './session-store';
import { createProviderTime, type ProviderTime } from './provider-time';
import { type StorageKeys, storageKeys } from './storage-keys';
import { type PendingTransactions, pendingTransactions } from './pending-transaction';
import { type HintStorage, hintStorage, storageOf } from './web-storage';

/**
 * The one owner of the session: what is accepted (validated tokens only), what is adopted (a kept session, another
 * tab's), when it ends (the sign-out epoch and generation), what the other tabs hear, and when it is renewed. Every
 * flow goes through it; nothing else writes the session.
 */
/** Without silent renewal, how many seconds before the token stops being handed out `token_expiring` is heard. */
const DEFAULT_EXPIRY_NOTICE_SECONDS = 60;

/** Without `withStorage()`: the session lives in memory only, and a reload starts without one. */
const IN_MEMORY: SessionStore = { load: () => null, save: () => undefined, clear: () => undefined };

/** Without `withTabSync()`: this tab alone (renewals take no cross-tab lock, nothing is told or heard). */
const THIS_TAB_ONLY: TabSync<Session> = {
  runExclusive: async (_audience, renew) => (await renew(), true),
  publish: () => undefined,
  onMessage: () => () => undefined,
  close: () => undefined,
};

export class SessionKeeper {
  /** Every key, the tab channel and the lock are this app's own (issuer + client id). */
  readonly keys: StorageKeys;
  /** sessionStorage for optional values: a full or disabled storage never breaks a sign-in. */
  readonly hints: HintStorage;
  /** The page's sessionStorage (`undefined` where it is disabled), read once. */
  readonly sessionStorage: Storage | undefined;
  /** The pending sign-ins, read only (kept and taken by the on-demand code: `transaction-store.ts`). */
  readonly transactions: PendingTransactions;
  readonly state: SessionState;
  readonly session: SessionState['session'];
  readonly tabs: TabSync<Session>;
  /** What this tab knows of the provider's clock (`clock: 'provider'`); the device's clock measures the rest. */
  readonly providerTime: ProviderTime;
  readonly #scheduler: RenewalScheduler;
  readonly #stopListening: () => void;
  /** Whether this page is leaving for the provider: one redirect at a time (see `redirecting`). */
  #leaving = false;
  /** A page restored from the back/forward cache after leaving for the provider may sign in again. */
  readonly #onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) this.#leaving = false;
  };

  constructor(
    readonly config: ResolvedImplicitAuthConfig,
    readonly clock: Clock,
    readonly window: Window,
    /** Called when a token is due for renewal (`silentRenew.automatic`). */
    onDue: () => void,
    /** What the features in use bring: the tab channel, the store, the log (`withTabSync/Storage/Logging()`). */
    parts: Pick<ImplicitAuthParts, 'tabSync' | 'storage' | 'log'> = {},
  ) {
    this.keys = storageKeys(config.issuer, config.clientId);
    const sessionStorage = (this.sessionStorage = storageOf(window, 'sessionStorage'));
    this.hints = hintStorage(sessionStorage, 'sessionStorage');
    this.transactions = pendingTransactions(sessionStorage, this.keys.transactionPrefix);
    this.providerTime = createProviderTime(config.clock, this.hints, this.keys.clockOffset);
    this.state = new SessionState(
      parts.storage?.create(config.storage, sessionStorage, this.keys.session, config, this.#skewMs()) ?? IN_MEMORY,
      hintStorage(storageOf(window, 'localStorage'), 'localStorage'),
      this.keys.hadSession,
    );
    this.session = this.state.session;
    // `withLogging()` hears every event; the subscription ends with the events (`dispose`).
    if (parts.log) this.state.events.subscribe(parts.log);
    this.tabs = parts.tabSync?.(this.keys.namespace) ?? THIS_TAB_ONLY;
    this.#stopListening = this.tabs.onMessage((message) => this.#onTabMessage(message));
    window.addEventListener('pageshow', this.#onPageShow);
    // Planned for every session: `token_expiring` is announced whether or not renewal is automatic.
    this.#scheduler = createRenewalScheduler(() => this.#due(onDue), {
      clock,
      window,
      marginMs: (config.silentRenew ? config.silentRenew.marginSeconds : DEFAULT_EXPIRY_NOTICE_SECONDS) * 1000,
    });
  }

  get epoch(): number {
    return this.state.epoch;
  }

  /**
   * Whether the page is already leaving for the provider: a guard and an interceptor asking together must not
   * start two sign-ins. Set once a redirect has started; reset when the page comes back from the back/forward cache.
   */
  get redirecting(): boolean {
    return this.#leaving;
  }

  set redirecting(leaving: boolean) {
    this.#leaving = leaving;
  }

  /** Adopts the session kept from an earlier page load, if any is alive and this app's. */
  restoreKept(): void {
    const kept = this.state.load(this.clock.now(), this.providerTime.offsetMs);
    if (kept) this.adopt(kept);
  }

  /** The usable access token for `audience` (see `isUsable`), or `null`. */
  accessToken(audience: string | undefined): StoredAccessToken | null {
    const kept = this.session()?.accessTokens[audience ?? ''];
    return kept && isUsable(kept, this.clock.now(), this.#skewMs()) ? kept : null;
  }

  /** Makes `session` the current one and plans its renewal (and the `token_expiring` notice). */
  adopt(session: Session, began = false): void {
    this.state.adopt(session, began);
    const renewBy = this.#renewBy(session);
    if (renewBy) this.#scheduler.schedule(renewBy);
  }

  /**
   * The moment the renewal plan (and `token_expiring`) works back from (`0`: unknown): when the configured
   * audience's access token stops being handed out (the one lifetime rule, `usableUntil`), so renewal is under
   * way while `accessToken()` still returns it; without an access token, the ID token's `exp`.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.2 (expires_in)
   */
  #renewBy(session: Session): number {
    const token = session.accessTokens[this.config.audience ?? ''];
    return token ? usableUntil(token, this.#skewMs()) : this.#expiresAt(session);
  }

  /** When `session` expires (`0`: unknown): what `token_expiring` reports. */
  #expiresAt(session: Session): number {
    // An access token's expiry is the device's (measured from `expires_in`); an ID token's `exp` is the provider's.
    return (
      session.accessTokens[this.config.audience ?? '']?.expiresAt ??
      (session.claims ? session.claims.exp * 1000 + this.providerTime.offsetMs : 0)
    );
  }

  /** The planned moment (see `#renewBy`): the app hears `token_expiring`, then automatic renewal (if on) starts. */
  #due(renewNow: () => void): void {
    const session = this.session();
    if (!session) return;
    this.state.emit({ type: 'token_expiring', audience: this.config.audience, expiresAt: this.#expiresAt(session) });
    const renew = this.config.silentRenew;
    if (renew && renew.automatic) renewNow();
  }

  /**
   * `logout()`'s own part, done before anything else can fail: `returnTo` checked to be on the app's origin (the
   * provider's registered list is a second line, not the only one), then a sign-out in every tab. Returns the ID
   * token to send as `id_token_hint` and the checked `returnTo`.
   * @throws {ImplicitAuthError} `invalid_return_url`, or `invalid_config` for a reserved `params` name; nothing is
   *   signed out then.
   * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.11 (open redirection)
   */
  logOut(
    returnTo: string | undefined,
    params: Readonly<Record<string, string>> = {},
  ): { readonly idToken?: string; readonly returnTo: string } {
    const idToken = this.session()?.idToken ?? this.keptIdTokenHint();
    const reserved = Object.keys(params).find((name) => RESERVED_LOGOUT_PARAMETERS.includes(name));
    // The texts written out at each use: a local constant declared here would keep them in production builds.
    if (reserved) {
      throw this.fail(
        new ImplicitAuthError(
          'invalid_config',
          typeof ngDevMode === 'undefined' || ngDevMode ? `logout params: ${reserved} is reserved` : '',
        ),
      );
    }
    const checked =
      returnTo === undefined
        ? this.config.logout.postLogoutRedirectUri
        : sameOriginHref(returnTo, this.window.location.origin);
    if (!checked) {
      throw this.fail(
        new ImplicitAuthError(
          'invalid_return_url',
          typeof ngDevMode === 'undefined' || ngDevMode ? "logout returnTo must be on the app's origin" : '',
        ),
      );
    }
    this.signOut('logout');
    return { idToken, returnTo: checked };
  }

  /** Signs out in this tab and every other one of this app. */
  signOut(reason: SignOutReason): void {
    const at = this.clock.now();
    this.end(reason, at);
    this.tabs.publish({ type: 'signed_out', at });
  }

  /** Ends this tab's session; with `signedOutAt`, as a sign-out (see `SessionState.end`). */
  end(reason: SignOutReason, signedOutAt?: number): void {
    this.#scheduler.cancel();
    if (signedOutAt !== undefined) this.hints.remove(this.keys.idTokenHint);
    this.state.end(reason, signedOutAt);
  }

  /** Throws `signed_out` when the session ended since `epoch` was read: what began before must not finish. */
  checkEpoch(epoch: number): void {
    if (epoch !== this.state.epoch) throw signedOutMeanwhile();
  }

  /** The ID token kept as `id_token_hint` across reloads (`silentRenew.idTokenHint: 'session'`). */
  keptIdTokenHint(): string | undefined {
    const renew = this.config.silentRenew;
    return (renew && renew.idTokenHint === 'session' && this.hints.get(this.keys.idTokenHint)) || undefined;
  }

  /** Records an error as the last error (and, for a refused response, as an event); returns it typed. */
  fail(error: unknown, refusedResponse = false): ImplicitAuthError {
    const typed = toImplicitAuthError(error);
    // A token contradicted the learned clock (the device's was set since): the next token teaches it anew.
    if (typed.code === 'clock_skew' || typed.code === 'invalid_iat') this.providerTime.forget();
    // A result dropped because the user signed out is the user's choice, not an error to show.
    if (typed.code !== 'signed_out') {
      this.state.setError(typed, refusedResponse);
      reportInDevMode(typed);
    }
    return typed;
  }

  dispose(): void {
    this.window.removeEventListener('pageshow', this.#onPageShow);
    this.#scheduler.dispose();
    this.#stopListening();
    this.tabs.close();
    this.state.complete();
  }

  /**
   * Another tab signed out (so does this one), or renewed: its session is taken if it is this app's, began after
   * the last sign-out this tab knows of (a renewal finishing late elsewhere must not sign the user back in), and
   * is for the same user (or this tab has none).
   */
  #onTabMessage(message: TabSyncMessage<Session>): void {
    if (message.type === 'signed_out') {
      this.end('other_tab', message.at);
      return;
    }
    const { tokens } = message;
    const current = this.session();
    if (
      tokens.startedAt > this.state.signedOutAt &&
      belongsTo(tokens, this.config) &&
      (!current || sameUser(current.claims, tokens.claims))
    ) {
      this.adopt(tokens);
    }
  }

  #skewMs(): number {
    return this.config.clockSkewSeconds * 1000;
  }
}

/** The outcome of work that was under way when the user signed out: dropped, never stored. */
export function signedOutMeanwhile(cause?: unknown): ImplicitAuthError {
  const dev = typeof ngDevMode === 'undefined' || ngDevMode;
  return new ImplicitAuthError(
    'signed_out',
    dev ? 'Signed out while this was under way; its result was discarded' : '',
    {
      cause,
    },
  );
}
