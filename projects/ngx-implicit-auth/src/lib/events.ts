import type { IdTokenClaims } from './claims';
import type { ImplicitAuthError } from './errors';

/** Why the session ended. */
export type SignOutReason = 'logout' | 'other_tab' | 'session_ended' | 'user_switched';

/** What happened, in order, for apps that log, audit or react (`ImplicitAuthService.events`). */
export type ImplicitAuthEvent =
  | { readonly type: 'login_started'; readonly returnUrl: string }
  /** `appState`: what `login({ appState })` asked to have back, after an interactive sign-in. */
  | {
      readonly type: 'signed_in';
      readonly claims: IdTokenClaims | null;
      readonly returnUrl: string;
      readonly appState?: unknown;
    }
  | { readonly type: 'token_received'; readonly audience: string | undefined; readonly expiresAt: number }
  /**
   * The session's token is about to stop being handed out (`silentRenew.marginSeconds`, 60 s without silent
   * renewal, before the access token's expiry less `clockSkewSeconds`, or the ID token's `exp` without one; half the
   * time left for a short-lived token): automatic renewal starts right after; without it, the app may ask the user
   * to sign in again. `expiresAt` is the token's real expiry.
   */
  | { readonly type: 'token_expiring'; readonly audience: string | undefined; readonly expiresAt: number }
  | { readonly type: 'validation_failed'; readonly error: ImplicitAuthError }
  | { readonly type: 'renewal_started'; readonly audience: string | undefined }
  | { readonly type: 'renewal_failed'; readonly error: ImplicitAuthError }
  | { readonly type: 'third_party_cookies_blocked'; readonly error: ImplicitAuthError }
  | { readonly type: 'signed_out'; readonly reason: SignOutReason }
  /**
   * The session could not be written to its storage (`storage: 'session'` or a `TokenStore`): the user stays
   * signed in for this page load, and a reload restores the session silently or signs in again.
   */
  | { readonly type: 'storage_failed'; readonly error: ImplicitAuthError };
