import type { Signal } from '@angular/core';
import type { Observable } from 'rxjs';
import type { IdTokenClaims } from './claims';
import type { ImplicitAuthError } from './errors';
import type { ImplicitAuthEvent } from './events';

/** Where the app stands: `loading` until start-up (callback, session restore) has finished. */
export type AuthStatus = 'loading' | 'signed-in' | 'signed-out';

export interface LoginOptions {
  /** Same-origin, relative URL to land on after sign-in. Default: the current URL. */
  readonly returnUrl?: string;
  /** OIDC `prompt` (e.g. `login`, `consent`, `select_account`). */
  readonly prompt?: string;
  /** Request a token for this audience instead of the configured one. */
  readonly audience?: string;
  /**
   * OIDC `max_age` for this sign-in, in seconds, instead of the configured `maxAgeSeconds`: the provider asks a
   * user who authenticated longer ago to sign in again, and the ID token's `auth_time` must show it did.
   */
  readonly maxAge?: number;
  /** Request this scope instead of the configured one. */
  readonly scope?: string;
  /** Extra authorize parameters for this request only (e.g. `{ login_hint: 'ada@example.com' }`). */
  readonly authorizeParams?: Readonly<Record<string, string>>;
  /**
   * Anything JSON-serialisable to have back after the callback, in the `signed_in` event's `appState` (e.g. the
   * form the user was filling in). Kept in sessionStorage with the pending sign-in, never sent to the provider.
   */
  readonly appState?: unknown;
}

export interface LogoutOptions {
  /** Where the provider sends the user after logout; default: `config.logout.postLogoutRedirectUri`. */
  readonly returnTo?: string;
  /** Whether to forget the tokens in this app only, without visiting the provider. */
  readonly localOnly?: boolean;
  /**
   * Extra parameters for the provider's logout URL (e.g. Auth0's `{ federated: '' }`, `logout_hint`). The library's
   * own (`id_token_hint`, `client_id`, `post_logout_redirect_uri`, `state`, `returnTo`) cannot be overridden.
   */
  readonly params?: Readonly<Record<string, string>>;
}

export interface AccessTokenOptions {
  /** The API audience; default: the configured `audience`. */
  readonly audience?: string;
  /** The scope to request if a token must be obtained; default: the configured `scope`. */
  readonly scope?: string;
  /**
   * A token an API just rejected (401 `invalid_token`): it is never returned again. If a newer token is
   * already kept it is returned; otherwise one renewal is started (shared by all callers).
   */
  readonly replacing?: string;
}

/** A kept access token and what it was granted for. */
export interface AccessTokenInfo {
  readonly token: string;
  readonly audience: string | undefined;
  /** Granted scopes (the response's `scope`, else the requested scope per RFC 6749 §5.1). */
  readonly scopes: readonly string[];
  /** Absolute expiry, milliseconds since the epoch. */
  readonly expiresAt: number;
}

/**
 * Signs the user in with the implicit flow, keeps validated tokens, renews them and signs out.
 *
 * Inject it anywhere. Tests can provide a fake that extends it (see `ngx-implicit-auth/testing`).
 */
export abstract class ImplicitAuthService {
  /** Whether start-up has finished and the app holds a valid session. */
  abstract readonly isAuthenticated: Signal<boolean>;
  /** `loading` until start-up has finished, then `signed-in` or `signed-out`. */
  abstract readonly status: Signal<AuthStatus>;
  /** Claims of the current ID token (plus UserInfo when enabled), or `null`. */
  abstract readonly claims: Signal<IdTokenClaims | null>;
  /**
   * The current ID token as received (a compact JWT), e.g. to send to a backend that verifies it; `null` when
   * signed out or with `responseType: 'token'`. It proves who the user is to this app: never send it elsewhere.
   */
  abstract readonly idToken: Signal<string | null>;
  /** The last error, or `null`; cleared by the next successful sign-in. */
  abstract readonly error: Signal<ImplicitAuthError | null>;
  abstract readonly isAuthenticated$: Observable<boolean>;
  abstract readonly claims$: Observable<IdTokenClaims | null>;
  abstract readonly error$: Observable<ImplicitAuthError | null>;
  /** A stream of what happens; hot, does not replay. */
  abstract readonly events: Observable<ImplicitAuthEvent>;

  /** Resolves once start-up (callback handling, session restore) has finished. Never rejects. */
  abstract whenReady(): Promise<void>;

  /**
   * Starts an interactive sign-in: stores a fresh transaction and redirects to the provider.
   * Rejects (without navigating) when the return URL is unsafe or the provider cannot be reached.
   */
  abstract login(options?: LoginOptions): Promise<void>;

  /**
   * Processes an authorization response in the URL fragment (`location.hash` by default). Runs by itself
   * at start-up. Resolves `true` when a callback was found and accepted, `false` when there was none;
   * rejects with an {@link ImplicitAuthError} when one was found and refused (the session is untouched).
   */
  abstract handleCallback(fragment?: string): Promise<boolean>;

  /** Forgets the tokens and ends the session at the provider (redirect), as configured. */
  abstract logout(options?: LogoutOptions): Promise<void>;

  /** A valid access token for the audience, renewed silently when needed; rejects when there is none. */
  abstract getAccessToken(options?: AccessTokenOptions): Promise<string>;

  /** The kept access token for the audience if it is valid now (with clock skew), else `null`. Synchronous. */
  abstract currentAccessToken(options?: Pick<AccessTokenOptions, 'audience'>): AccessTokenInfo | null;

  /** Runs one silent renewal (shared with any renewal already under way for the audience). */
  abstract renew(options?: Pick<AccessTokenOptions, 'audience' | 'scope'>): Promise<void>;
}
