import { computed, signal } from '@angular/core';
import { BehaviorSubject, distinctUntilChanged, map, type Observable, Subject } from 'rxjs';
import { userFingerprint } from '../claims';
import { ImplicitAuthError } from '../errors';
import type { ImplicitAuthEvent, SignOutReason } from '../events';
import type { Session } from './session';
import type { SessionStore } from './session-store';
import type { HintStorage } from './web-storage';

/**
 * Any failure as an {@link ImplicitAuthError}. Every step throws typed errors, so anything else is a failure the
 * library did not foresee: `internal_error`, with the original as `cause`, never disguised as the provider's fault.
 */
export function toImplicitAuthError(error: unknown): ImplicitAuthError {
  return error instanceof ImplicitAuthError
    ? error
    : new ImplicitAuthError(
        'internal_error',
        typeof ngDevMode === 'undefined' || ngDevMode ? 'Unexpected failure in ngx-implicit-auth' : '',
        {
          cause: error,
        },
      );
}

/** The browser-wide hint of the newest session begun by any tab of this app: when, and for whom. */
export interface BrowserSessionHint {
  readonly at: number;
  readonly user: string;
}

/**
 * What the app holds for the user and how it tells the world: the session (kept in its store), whether
 * start-up has finished, the last error and the event stream; and the two counters that keep a sign-out from
 * being undone: the `epoch` (bumped whenever this tab's session ends, so work begun before cannot store its
 * result or redirect) and `signedOutAt` (the latest sign-out this tab knows of, its own or another tab's, so a
 * session begun before it is never adopted). The flows that change it live in the service.
 */
export class SessionState {
  readonly session = signal<Session | null>(null);
  readonly started = signal(false);
  readonly lastError = signal<ImplicitAuthError | null>(null);
  /** `loading` until start-up has finished, then whether a session is held (the service's `status`). */
  readonly status = computed(() => (!this.started() ? 'loading' : this.session() ? 'signed-in' : 'signed-out'));
  readonly claims = computed(() => this.session()?.claims ?? null);
  readonly events = new Subject<ImplicitAuthEvent>();
  /** Ticks after every change of the signals above, for their observable mirrors. */
  readonly #changed = new BehaviorSubject<void>(undefined);
  #epoch = 0;
  #signedOutAt = Number.NEGATIVE_INFINITY;
  /** Whether the last write to the store failed (reported once until a write works again). */
  #storeFailing = false;

  constructor(
    private readonly store: SessionStore,
    /** localStorage, best effort. */
    private readonly hints: HintStorage,
    /** The key of the {@link BrowserSessionHint}. */
    private readonly hintKey: string,
  ) {}

  get epoch(): number {
    return this.#epoch;
  }

  get signedOutAt(): number {
    return this.#signedOutAt;
  }

  /** Whether this browser held a session when the page was last left. */
  get hadSession(): boolean {
    return this.browserSession() !== null;
  }

  /** The newest session any tab of this app began in this browser, if it has not been signed out since. */
  browserSession(): BrowserSessionHint | null {
    try {
      const hint = JSON.parse(this.hints.get(this.hintKey) ?? 'null') as Partial<BrowserSessionHint> | null;
      return typeof hint?.at === 'number' && typeof hint.user === 'string' ? { at: hint.at, user: hint.user } : null;
    } catch {
      // A corrupt hint is no hint: the worst outcome is a skipped restore or a sign-out broadcast.
      return null;
    }
  }

  /**
   * The session kept in the store from an earlier page load, if still alive and this app's; `clockOffsetMs`: how
   * far the device's clock is ahead of the provider's (see `ProviderTime`).
   */
  load(now: number, clockOffsetMs = 0): Session | null {
    return this.store.load(now, clockOffsetMs);
  }

  /**
   * Makes `session` the current one and keeps it in the store. `began`: it is a new session (not a renewal or
   * another tab's), recorded as the browser's newest. A store that refuses the write leaves the session in
   * memory for this page load, with a `storage_failed` event.
   */
  adopt(session: Session, began = false): void {
    try {
      this.store.save(session);
      this.#storeFailing = false;
    } catch (error: unknown) {
      // Signed in all the same; the app hears why a reload may sign the user out (once per failing streak).
      if (!this.#storeFailing) this.emit({ type: 'storage_failed', error: toImplicitAuthError(error) });
      this.#storeFailing = true;
    }
    if (began) {
      this.hints.set(this.hintKey, JSON.stringify({ at: session.startedAt, user: userFingerprint(session.claims) }));
    }
    this.session.set(session);
    this.#changed.next();
  }

  /**
   * Forgets the session in this tab. With `signedOutAt`, it is a sign-out (this tab's, or heard from another
   * tab): sessions begun before it are refused from now on, and the browser-wide hint goes. Without, only this
   * tab's copy ends (it moves on to the browser's current session).
   */
  end(reason: SignOutReason, signedOutAt?: number): void {
    const hadSession = this.session() !== null;
    this.#epoch++;
    if (signedOutAt !== undefined) {
      this.#signedOutAt = Math.max(this.#signedOutAt, signedOutAt);
      this.hints.remove(this.hintKey);
    }
    this.store.clear();
    this.session.set(null);
    this.#changed.next();
    if (hadSession) this.emit({ type: 'signed_out', reason });
  }

  /** Forgets the hint after a failed restore: the next page load does not probe the provider again. */
  forgetHint(): void {
    this.hints.remove(this.hintKey);
  }

  finishStart(): void {
    this.started.set(true);
    this.#changed.next();
  }

  /** Records `error` as the last error (`null` clears it); for a refused response, also as an event. */
  setError(error: ImplicitAuthError | null, refusedResponse = false): void {
    this.lastError.set(error);
    this.#changed.next();
    if (error && refusedResponse) this.emit({ type: 'validation_failed', error });
  }

  emit(event: ImplicitAuthEvent): void {
    this.events.next(event);
  }

  /** A signal as an observable that replays its current value (without `effect`, which costs bundle size). */
  observe<T>(read: () => T): Observable<T> {
    return this.#changed.pipe(map(read), distinctUntilChanged());
  }

  complete(): void {
    this.events.complete();
    this.#changed.complete();
  }
}

/** `getAccessToken()`'s refusal: no usable token, and none to be had without the user. */
export function notAuthenticated(): ImplicitAuthError {
  const dev = typeof ngDevMode === 'undefined' || ngDevMode;
  return new ImplicitAuthError(
    'not_authenticated',
    dev ? 'No usable access token: signed out, or none to be had silently' : '',
  );
}
