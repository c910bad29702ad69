import { signal } from '@angular/core';
import { BehaviorSubject, distinctUntilChanged, map, type Observable, Subject } from 'rxjs';
import { ImplicitAuthError } from '../errors';
import type { ImplicitAuthEvent, SignOutReason } from '../events';
import type { Session, SessionStore } from './session-store';

/** Set while this browser holds a session, so a reload tries a silent restore and a first visit does not. */
const SESSION_HINT = 'ngx-implicit-auth.had-session';

/** Any failure as an {@link ImplicitAuthError} (an unexpected one is wrapped, with the original as `cause`). */
export function toImplicitAuthError(error: unknown): ImplicitAuthError {
  return error instanceof ImplicitAuthError
    ? error
    : new ImplicitAuthError('invalid_response', 'Unexpected failure', { cause: error });
}

/**
 * What the app holds for the user and how it tells the world: the session (kept in its store), whether
 * start-up has finished, the last error and the event stream. The flows that change it live in the service.
 */
export class SessionState {
  readonly session = signal<Session | null>(null);
  readonly started = signal(false);
  readonly lastError = signal<ImplicitAuthError | null>(null);
  readonly events = new Subject<ImplicitAuthEvent>();
  /** Ticks after every change of the signals above, for their observable mirrors. */
  readonly #changed = new BehaviorSubject<void>(undefined);
  /** Bumped whenever the session ends, so work that started before (a renewal) cannot bring it back. */
  #epoch = 0;

  constructor(
    private readonly store: SessionStore,
    private readonly hints: Storage | undefined,
  ) {}

  get epoch(): number {
    return this.#epoch;
  }

  /** Whether this browser held a session when the page was last left. */
  get hadSession(): boolean {
    return !!this.hints?.getItem(SESSION_HINT);
  }

  /** The session kept in the store from an earlier page load, if still alive (see `SessionStore.load`). */
  load(now: number): Session | null {
    return this.store.load(now);
  }

  /** Makes `session` the current one, kept in the store. */
  adopt(session: Session): void {
    this.store.save(session);
    this.hints?.setItem(SESSION_HINT, '1');
    this.session.set(session);
    this.#changed.next();
  }

  /** Forgets the session everywhere in this tab. */
  end(reason: SignOutReason): void {
    const hadSession = this.session() !== null;
    this.#epoch++;
    this.store.clear();
    this.hints?.removeItem(SESSION_HINT);
    this.session.set(null);
    this.#changed.next();
    if (hadSession) this.emit({ type: 'signed_out', reason });
  }

  /** Forgets the hint after a failed restore: the next page load does not probe the provider again. */
  forgetHint(): void {
    this.hints?.removeItem(SESSION_HINT);
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
