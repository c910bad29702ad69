import { ImplicitAuthError, isImplicitAuthError } from '../errors';
import type { HintStorage } from '../session/web-storage';

/** Default for {@link ThirdPartyCookieEvidence.windowMs}: 10 minutes. */
export const THIRD_PARTY_COOKIE_WINDOW_MS = 10 * 60_000;

/** What the service knows when a `prompt=none` renewal has just failed. */
export interface ThirdPartyCookieEvidence {
  /**
   * When this tab last finished an interactive sign-in (ms since the epoch), if it did. Keep it in
   * sessionStorage (it is no secret) so a reload right after sign-in, which restores the session silently,
   * still counts.
   */
  readonly interactiveSignInAt?: number;
  readonly now: number;
  /** Whether the provider is on the app's host name: its cookie is then first-party, never blocked as third-party. */
  readonly sameHost?: boolean;
  /** How soon after that sign-in a `login_required` means blocked cookies rather than an ended session. */
  readonly windowMs?: number;
}

/**
 * Whether a failed silent renewal looks like blocked third-party cookies (Safari ITP, Brave, Firefox strict,
 * incognito) rather than an ended session: the provider answered `login_required` or `interaction_required`
 * although this tab signed in interactively moments ago. The IdP
 * then cannot see its session cookie inside our iframe, and every silent renewal will fail the same way: stop
 * renewing silently and fall back to an interactive sign-in on next need (never a retry loop).
 *
 * The remedy is to make the IdP first-party: serve it from a custom domain on the app's site (app on
 * `app.example.com`, IdP on `login.example.com`, e.g. an Auth0 custom domain). Its cookies are then same-site
 * in our iframe and no browser blocks them. Ports may differ; host names must share the registrable domain.
 *
 * @see https://openid.net/specs/openid-connect-session-1_0.html#rfc.section.5.1
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError (login_required, §3.1.2.6)
 */
export function isThirdPartyCookieBlock(error: unknown, evidence: ThirdPartyCookieEvidence): boolean {
  if (!isImplicitAuthError(error, 'provider_error') || evidence.sameHost) return false;
  if (error.error !== 'login_required' && error.error !== 'interaction_required') return false;
  const since = evidence.now - (evidence.interactiveSignInAt ?? Number.NEGATIVE_INFINITY);
  return since >= 0 && since <= (evidence.windowMs ?? THIRD_PARTY_COOKIE_WINDOW_MS);
}

/**
 * The distinct error to raise (and emit as `third_party_cookies_blocked`) instead of `cause`.
 * @see https://openid.net/specs/openid-connect-session-1_0.html#rfc.section.5.1
 */
export function thirdPartyCookiesBlockedError(cause: ImplicitAuthError): ImplicitAuthError {
  return new ImplicitAuthError(
    'third_party_cookies_blocked',
    typeof ngDevMode === 'undefined' || ngDevMode
      ? 'Silent renewal failed: the browser seems to block third-party cookies'
      : '',
    { error: cause.error, errorDescription: cause.errorDescription, cause },
  );
}

/**
 * What the service tells it (an interactive sign-in, a silent request that worked) and what it answers: whether a
 * silent request's `login_required` means blocked cookies. Only the first silent request after an interactive
 * sign-in can show that — once one has worked, cookies do — and never with the provider on the app's host name.
 */
export function createCookieBlockDetector(options: {
  /** sessionStorage, best effort: when this tab last signed in interactively (survives the reload right after). */
  readonly storage: HintStorage;
  /** The key that time is kept under. */
  readonly key: string;
  readonly issuer: string;
  readonly appHostname: string;
  readonly now: () => number;
}) {
  const { storage, key } = options;
  return {
    signedInInteractively(): void {
      storage.set(key, String(options.now()));
    },
    silentRequestWorked(): void {
      storage.remove(key);
    },
    /** `error` typed, or turned into `third_party_cookies_blocked` when the evidence says so. */
    classify(error: ImplicitAuthError): ImplicitAuthError {
      const blocked = isThirdPartyCookieBlock(error, {
        now: options.now(),
        interactiveSignInAt: Number(storage.get(key)) || undefined,
        sameHost: new URL(options.issuer).hostname === options.appHostname,
      });
      return blocked ? thirdPartyCookiesBlockedError(error) : error;
    },
  };
}

export type CookieBlockDetector = ReturnType<typeof createCookieBlockDetector>;
