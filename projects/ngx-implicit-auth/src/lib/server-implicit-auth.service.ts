import { signal } from '@angular/core';
import { BehaviorSubject, NEVER, type Observable } from 'rxjs';
import type { IdTokenClaims } from './claims';
import { ImplicitAuthError } from './errors';
import type { ImplicitAuthEvent } from './events';
import { type AccessTokenInfo, type AuthStatus, ImplicitAuthService } from './implicit-auth.service';

/**
 * The {@link ImplicitAuthService} of a server-side render (`@angular/platform-server`), provided instead of the
 * browser's when `PLATFORM_ID` is not a browser's. The session lives in the browser only (its storage, its memory,
 * the callback's fragment, which no server ever receives), so a server cannot know it:
 *
 * - `status` stays `loading`, never `signed-out`: a signed-in user must not see a "Sign in" button flash before
 *   the browser takes over after hydration; `whenReady()` resolves at once, so nothing waiting for it holds up
 *   the render.
 * - Nothing is read or written: no `window`, storage, `history`, `BroadcastChannel`, timers or `crypto`.
 * - Every call that needs the session or the browser (`login`, `logout`, `getAccessToken`, `renew`, a given
 *   callback) rejects with `ImplicitAuthError('unavailable_on_server')`; `currentAccessToken()` is `null`. The
 *   interceptor therefore fails requests to configured APIs with that error (status 401, never sent) and sends
 *   everything else untouched, as for a signed-out user.
 */
export class ServerImplicitAuthService extends ImplicitAuthService {
  override readonly status = signal<AuthStatus>('loading').asReadonly();
  override readonly isAuthenticated = signal(false).asReadonly();
  override readonly claims = signal<IdTokenClaims | null>(null).asReadonly();
  override readonly idToken = signal<string | null>(null).asReadonly();
  override readonly error = signal<ImplicitAuthError | null>(null).asReadonly();
  override readonly isAuthenticated$: Observable<boolean> = new BehaviorSubject(false).asObservable();
  override readonly claims$: Observable<IdTokenClaims | null> = new BehaviorSubject(null).asObservable();
  override readonly error$: Observable<ImplicitAuthError | null> = new BehaviorSubject(null).asObservable();
  /** Nothing happens on the server: no event is ever emitted. */
  override readonly events: Observable<ImplicitAuthEvent> = NEVER;

  override whenReady(): Promise<void> {
    return Promise.resolve();
  }

  override login(): Promise<void> {
    return refuse('login');
  }

  /** No callback reaches a server (a fragment is never sent): `false`, unless one is given to validate. */
  override handleCallback(fragment?: string): Promise<boolean> {
    return fragment === undefined ? Promise.resolve(false) : refuse('handleCallback');
  }

  override logout(): Promise<void> {
    return refuse('logout');
  }

  override getAccessToken(): Promise<string> {
    return refuse('getAccessToken');
  }

  override currentAccessToken(): AccessTokenInfo | null {
    return null;
  }

  override renew(): Promise<void> {
    return refuse('renew');
  }
}

function refuse(call: string): Promise<never> {
  return Promise.reject(
    new ImplicitAuthError(
      'unavailable_on_server',
      typeof ngDevMode === 'undefined' || ngDevMode
        ? `${call}() needs the browser: during server-side rendering the session is unknown`
        : '',
    ),
  );
}
