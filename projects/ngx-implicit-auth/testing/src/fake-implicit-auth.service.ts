import { computed, signal } from '@angular/core';
import {
  type AccessTokenInfo,
  type AccessTokenOptions,
  type AuthStatus,
  type Clock,
  type IdTokenClaims,
  ImplicitAuthError,
  type ImplicitAuthEvent,
  ImplicitAuthService,
  type LoginOptions,
  type LogoutOptions,
  isImplicitAuthError,
  isInteractionRequired,
  type SignOutReason,
  ɵisUsable as isUsable,
  ɵresolveConfig as resolveConfig,
  ɵsignedOutMeanwhile as signedOutMeanwhile,
  ɵtoImplicitAuthError as toImplicitAuthError,
} from 'ngx-implicit-auth';
import { BehaviorSubject, distinctUntilChanged, Subject } from 'rxjs';

/** A token a fake renewal hands out, with what it was granted. */
export interface FakeToken {
  readonly token: string;
  /** Granted scopes; default none. */
  readonly scopes?: readonly string[];
  /** Lifetime; default 3600. */
  readonly expiresInSeconds?: number;
}

/** Where and how long a token set with {@link FakeImplicitAuthService.setAccessToken} is kept. */
export interface FakeTokenOptions extends Omit<FakeToken, 'token'> {
  /** The audience; default: the configured one. */
  readonly audience?: string;
}

/** What a renewal does: return (or resolve) the new token; throw (or reject) to refuse. */
export type FakeRenewal = (
  options: Pick<AccessTokenOptions, 'audience' | 'scope'>,
) => string | FakeToken | Promise<string | FakeToken>;

/** A kept token: what the library's lifetime rule (`isUsable`) reads. */
interface KeptToken {
  readonly token: string;
  readonly expiresAt: number;
  readonly receivedAt: number;
  readonly scopes: readonly string[];
}

/** The options the fake shares with the real service's resolved config. */
export interface FakeImplicitAuthOptions {
  /** The time source for token expiry (provide the app's `IMPLICIT_AUTH_CLOCK`). Default: `Date`. */
  readonly clock?: Clock;
  /** The configured audience: the default of every audience option. */
  readonly audience?: string;
  /** The configured `clockSkewSeconds`; default: the library's default. */
  readonly clockSkewSeconds?: number;
  /** The configured issuer: the `iss` of the signed-in user's claims. Default `https://idp.example/`. */
  readonly issuer?: string;
  /** The configured client id: the `aud` of the signed-in user's claims. Default `test-client`. */
  readonly clientId?: string;
}

/**
 * An {@link ImplicitAuthService} for tests, with writable state and controllable behaviour. It never
 * redirects: `login()` records its options (`loginCalls`) and resolves. Only the seam is fake (where tokens come
 * from); the rules are the library's own, proven by a contract spec run against both: a token is handed out
 * while the real lifetime rule allows (expiry less the clock skew, capped at half the token's lifetime); a
 * signed-out user gets `not_authenticated` without a renewal; renewals run one at a time per audience, shared
 * by every caller (`renewCount` counts them); `getAccessToken({ replacing })` never returns the rejected token;
 * a renewal refused because the user must interact (`isInteractionRequired`) signs out (`session_ended`).
 *
 * ```ts
 * TestBed.configureTestingModule({ providers: [provideImplicitAuthTesting({ signedIn: { name: 'Ada' } })] });
 * const auth = TestBed.inject(FakeImplicitAuthService);
 * auth.setAccessToken('token-1', { scopes: ['read:messages'] });
 * auth.renewWith(() => 'token-2');
 * ```
 */
export class FakeImplicitAuthService extends ImplicitAuthService {
  /** The options of every `login()` call, in order. */
  readonly loginCalls: LoginOptions[] = [];
  /** The options of every `logout()` call, in order. */
  readonly logoutCalls: LogoutOptions[] = [];
  /** How many renewals ran (callers sharing one count once). */
  renewCount = 0;

  private readonly state = signal<{ status: AuthStatus; claims: IdTokenClaims | null }>({
    status: 'signed-out',
    claims: null,
  });
  private readonly lastError = signal<ImplicitAuthError | null>(null);
  private readonly tokens = new Map<string, KeptToken>();
  private readonly renewals = new Map<string, Promise<void>>();
  private readonly eventSubject = new Subject<ImplicitAuthEvent>();
  private readonly subjects = {
    auth: new BehaviorSubject(false),
    claims: new BehaviorSubject<IdTokenClaims | null>(null),
    error: new BehaviorSubject<ImplicitAuthError | null>(null),
  };
  private ready = Promise.resolve();
  private release = (): void => undefined;
  private renewal: FakeRenewal = () => {
    throw new ImplicitAuthError('not_authenticated', 'FakeImplicitAuthService: no renewal set (renewWith)');
  };
  private loginBehaviour: (options: LoginOptions) => Promise<void> = () => Promise.resolve();

  override readonly status = computed(() => this.state().status);
  override readonly isAuthenticated = computed(() => this.state().status === 'signed-in');
  override readonly claims = computed(() => this.state().claims);
  /** A stand-in ID token while signed in (not a JWT: nothing in a test should verify it), else `null`. */
  override readonly idToken = computed(() => (this.state().status === 'signed-in' ? 'fake-id-token' : null));
  override readonly error = this.lastError.asReadonly();
  override readonly isAuthenticated$ = this.subjects.auth.pipe(distinctUntilChanged());
  override readonly claims$ = this.subjects.claims.pipe(distinctUntilChanged());
  override readonly error$ = this.subjects.error.pipe(distinctUntilChanged());
  override readonly events = this.eventSubject.asObservable();

  private readonly skewMs: number;
  /** Bumped by every sign-out: a renewal begun before one must not keep its result (as in the real service). */
  private epoch = 0;

  constructor(private readonly options: FakeImplicitAuthOptions = {}) {
    super();
    this.skewMs = (options.clockSkewSeconds ?? defaultClockSkewSeconds()) * 1000;
  }

  // --- Controls ---------------------------------------------------------------------------------

  /**
   * Signs in as a user with these claims. Defaults fill in `sub`, `iat`, `exp`, and `iss` and `aud` from the
   * configured issuer and client id, as the real service only ever holds ID tokens issued to the app. Ends loading.
   */
  signIn(claims: Partial<IdTokenClaims> = {}): void {
    const now = Math.floor(this.now() / 1000);
    const full: IdTokenClaims = {
      iss: this.options.issuer ?? 'https://idp.example/',
      sub: 'user-1',
      aud: this.options.clientId ?? 'test-client',
      iat: now,
      exp: now + 3600,
      ...claims,
    };
    this.setState('signed-in', full);
    this.setError(null);
    this.emit({ type: 'signed_in', claims: full, returnUrl: '/' });
  }

  /** Signs out (forgetting every token). Ends loading. */
  signOut(reason: SignOutReason = 'logout'): void {
    const wasSignedIn = this.isAuthenticated();
    this.epoch++;
    this.tokens.clear();
    this.setState('signed-out', null);
    if (wasSignedIn) this.emit({ type: 'signed_out', reason });
  }

  /** Puts the service in start-up: `status` is `loading` and `whenReady()` waits until `signIn`/`signOut`. */
  setLoading(): void {
    this.ready = new Promise((resolve) => (this.release = resolve));
    this.state.update((state) => ({ ...state, status: 'loading' }));
  }

  /**
   * Keeps an access token for an audience, received now and expiring `expiresInSeconds` (default 3600) from the
   * clock's now. Like the real service, it is handed out only while the library's lifetime rule allows.
   */
  setAccessToken(token: string, options: FakeTokenOptions = {}): void {
    const audience = options.audience ?? this.options.audience;
    const receivedAt = this.now();
    const expiresAt = receivedAt + (options.expiresInSeconds ?? 3600) * 1000;
    this.tokens.set(audience ?? '', { token, expiresAt, receivedAt, scopes: options.scopes ?? [] });
    this.emit({ type: 'token_received', audience, expiresAt });
  }

  /** Sets the last error, as a failed sign-in or renewal would. */
  setError(error: ImplicitAuthError | null): void {
    this.lastError.set(error);
    this.subjects.error.next(error);
  }

  /** What renewals do from now on. Default: refuse with `not_authenticated`. */
  renewWith(renewal: FakeRenewal): void {
    this.renewal = renewal;
  }

  /** What `login()` does after recording its call (e.g. reject). Default: resolve. */
  loginWith(behaviour: (options: LoginOptions) => Promise<void>): void {
    this.loginBehaviour = behaviour;
  }

  /** Emits an event on `events`. */
  emit(event: ImplicitAuthEvent): void {
    this.eventSubject.next(event);
  }

  // --- ImplicitAuthService ----------------------------------------------------------------------

  override whenReady(): Promise<void> {
    return this.ready;
  }

  override login(options: LoginOptions = {}): Promise<void> {
    this.loginCalls.push(options);
    this.emit({ type: 'login_started', returnUrl: options.returnUrl ?? '/' });
    return this.loginBehaviour(options);
  }

  override handleCallback(): Promise<boolean> {
    return Promise.resolve(false);
  }

  override logout(options: LogoutOptions = {}): Promise<void> {
    this.logoutCalls.push(options);
    this.signOut('logout');
    return Promise.resolve();
  }

  override currentAccessToken(options: Pick<AccessTokenOptions, 'audience'> = {}): AccessTokenInfo | null {
    const audience = options.audience ?? this.options.audience;
    const kept = this.tokens.get(audience ?? '');
    // The library's one lifetime rule, with the configured clock skew.
    if (!kept || !isUsable(kept, this.now(), this.skewMs)) return null;
    return { token: kept.token, audience, scopes: kept.scopes, expiresAt: kept.expiresAt };
  }

  override async getAccessToken(options: AccessTokenOptions = {}): Promise<string> {
    await this.ready;
    const kept = this.currentAccessToken(options)?.token;
    if (kept && kept !== options.replacing) return kept;
    // As the real service: signed out, there is nothing to renew silently (and nothing to record as an error).
    if (!this.isAuthenticated()) throw new ImplicitAuthError('not_authenticated', 'Not signed in');
    await this.renew(options);
    const renewed = this.currentAccessToken(options)?.token;
    if (!renewed || renewed === options.replacing) {
      throw new ImplicitAuthError('not_authenticated', 'No valid access token for this audience');
    }
    return renewed;
  }

  override renew(options: Pick<AccessTokenOptions, 'audience' | 'scope'> = {}): Promise<void> {
    const audience = options.audience ?? this.options.audience;
    let run = this.renewals.get(audience ?? '');
    if (!run) {
      this.renewCount++;
      const epoch = this.epoch;
      run = (async () => {
        this.emit({ type: 'renewal_started', audience });
        const result = await this.renewal({ audience, scope: options.scope });
        if (epoch !== this.epoch) throw signedOutMeanwhile();
        const token = typeof result === 'string' ? { token: result } : result;
        this.setAccessToken(token.token, { ...token, audience });
        this.setError(null);
      })()
        .catch((error: unknown) => {
          // Signed out meanwhile: that outcome stands; whatever the renewal said is neither kept nor reported.
          if (epoch !== this.epoch) throw isImplicitAuthError(error, 'signed_out') ? error : signedOutMeanwhile(error);
          // As the real service: a failed renewal, typed, becomes the last error and an event, then reaches every
          // caller; when only the user can go on (`login_required`, …), the session ends, with no retry.
          const typed = toImplicitAuthError(error);
          this.setError(typed);
          this.emit({ type: 'renewal_failed', error: typed });
          if (isInteractionRequired(typed)) this.signOut('session_ended');
          throw typed;
        })
        .finally(() => this.renewals.delete(audience ?? ''));
      this.renewals.set(audience ?? '', run);
    }
    return run;
  }

  private now(): number {
    return (this.options.clock ?? Date).now();
  }

  private setState(status: AuthStatus, claims: IdTokenClaims | null): void {
    this.state.set({ status, claims });
    this.subjects.auth.next(status === 'signed-in');
    this.subjects.claims.next(claims);
    this.release();
    this.ready = Promise.resolve();
  }
}

/** The library's default `clockSkewSeconds`, from the one place defaults are resolved. */
function defaultClockSkewSeconds(): number {
  return resolveConfig({ issuer: 'https://idp.example/', clientId: 'test-client' }, 'https://app.example')
    .clockSkewSeconds;
}
