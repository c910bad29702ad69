import { isPlatformBrowser } from '@angular/common';
import { DOCUMENT, inject, Injectable, PLATFORM_ID } from '@angular/core';
import {
  type ActivatedRouteSnapshot,
  type CanActivate,
  type CanActivateFn,
  type CanMatch,
  type CanMatchFn,
  type Data,
  type Route,
  Router,
  type RouterStateSnapshot,
  type UrlSegment,
  type UrlTree,
} from '@angular/router';
import { type ImplicitAuthError, type ImplicitAuthErrorCode, isInteractionRequired } from '../errors';
import { ImplicitAuthService } from '../implicit-auth.service';
import { storageKeys } from '../session/storage-keys';
import { hintStorage, storageOf } from '../session/web-storage';
import { IMPLICIT_AUTH_CLOCK, IMPLICIT_AUTH_CONFIG } from '../tokens';
import { IMPLICIT_AUTH_GUARD_OPTIONS } from './guard-options';

/**
 * What a route needs beyond a signed-in user, under the `auth` key of its `data`:
 * `{ path: 'admin', canActivate: [authGuard], data: { auth: { scopes: ['read:messages'], claims: { role: 'admin' } } } }`.
 * A user lacking any of it goes to `forbiddenRoute` (see `withGuardOptions`).
 */
export interface AuthRouteRequirements {
  /** Scopes the access token of `audience` must have been granted. */
  readonly scopes?: readonly string[];
  /**
   * ID token claims the user must have: equal to the value, or containing it when the claim is an array; an
   * array value needs every element. Namespaced claims work too: `{ 'https://example.com/roles': 'admin' }`.
   */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** The audience whose token `scopes` are checked on; default: the configured one. */
  readonly audience?: string;
}

/**
 * Failures of silent renewal or session restore: the remedy is an interactive sign-in, not an error page (as for
 * every error `isInteractionRequired` names, `third_party_cookies_blocked` included).
 */
const SILENT_FAILURES: readonly ImplicitAuthErrorCode[] = [
  'not_authenticated',
  'timeout',
  'renewal_disabled',
  'user_switched',
];

function guardContext() {
  return {
    auth: inject(ImplicitAuthService),
    router: inject(Router),
    options: inject(IMPLICIT_AUTH_GUARD_OPTIONS),
    config: inject(IMPLICIT_AUTH_CONFIG),
    clock: inject(IMPLICIT_AUTH_CLOCK),
    browser: isPlatformBrowser(inject(PLATFORM_ID)),
    /** The page's document; its window (storage, navigation timing) is read only in the browser. */
    document: inject(DOCUMENT),
  };
}
type GuardContext = ReturnType<typeof guardContext>;

/**
 * Returns the remembered sign-in attempt (`<time> <url>`) and forgets it, or with `url` replaces it. Kept in
 * sessionStorage, best effort: where storage is blocked or full, the Back-button loop breaker is lost, nothing else.
 */
function attempt(ctx: GuardContext, url?: string): string | null {
  const storage = hintStorage(storageOf(ctx.document.defaultView, 'sessionStorage'), 'sessionStorage');
  const key = storageKeys(ctx.config.issuer, ctx.config.clientId).guardAttempt;
  const last = storage.get(key);
  if (url === undefined) storage.remove(key);
  else storage.set(key, `${ctx.clock.now()} ${url}`);
  return last;
}

function isBackForwardLoad(window: Window | null): boolean {
  const entry = window?.performance?.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined;
  return entry?.type === 'back_forward';
}

function hasClaim(actual: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted)) return wanted.every((value) => hasClaim(actual, value));
  return Array.isArray(actual) ? actual.includes(wanted) : actual === wanted;
}

async function meets(ctx: GuardContext, needs: AuthRouteRequirements | undefined): Promise<boolean> {
  const claims: Readonly<Record<string, unknown>> = ctx.auth.claims() ?? {};
  for (const [name, wanted] of Object.entries(needs?.claims ?? {})) {
    if (!hasClaim(claims[name], wanted)) return false;
  }
  const scopes = needs?.scopes ?? [];
  if (scopes.length === 0) return true;
  const audience = needs?.audience;
  const info =
    ctx.auth.currentAccessToken({ audience }) ??
    (await ctx.auth.getAccessToken({ audience }).then(
      () => ctx.auth.currentAccessToken({ audience }),
      // No token to be had silently: its scopes cannot be shown, so the route is forbidden (no sign-in loop).
      () => null,
    ));
  return !!info && scopes.every((scope) => info.scopes.includes(scope));
}

/**
 * Where a refused, cancelled or failed sign-in lands: `errorRoute`, by default the app's root, where `auth.error()`
 * says what happened — a page the app renders, never a refused navigation that leaves a blank screen. Only when
 * that very page is the one refused does the navigation stay refused (no redirect loop).
 */
function errorLanding({ router, options }: GuardContext, returnUrl: string): UrlTree | false {
  const route = options.errorRoute ?? '/';
  return returnUrl.split(/[?#]/)[0] === route.split(/[?#]/)[0] ? false : router.parseUrl(route);
}

/** Whether an error from the last attempt must stop the guard from starting another sign-in by itself. */
function blocksSignIn(error: ImplicitAuthError | null): boolean {
  return !!error && !SILENT_FAILURES.includes(error.code) && !isInteractionRequired(error);
}

/**
 * The decision behind every guard form. Waits for start-up, then: signed in → the route's requirements or
 * `forbiddenRoute`; the last sign-in failed → `errorRoute`; `signInRoute` set → there, with `returnUrl`;
 * otherwise starts a sign-in that returns to `returnUrl` and refuses the navigation.
 */
async function check(ctx: GuardContext, data: Data | undefined, returnUrl: string): Promise<boolean | UrlTree> {
  const { auth, router, options } = ctx;
  // Server-side rendering: the session is the browser's, unknown here. Refusing (rather than redirecting) keeps
  // protected content out of the server's HTML and sends no redirect to the provider or `signInRoute` that a
  // signed-in user would follow; the browser runs its own first navigation after hydration and decides there.
  if (!ctx.browser) return false;
  // Start-up may still be validating a callback or restoring the session: deciding now would start a needless sign-in.
  await auth.whenReady();
  const to = (route: string | undefined) => (route ? router.parseUrl(route) : false);
  if (auth.isAuthenticated()) {
    attempt(ctx);
    return (await meets(ctx, data?.['auth'] as AuthRouteRequirements | undefined)) || to(options.forbiddenRoute);
  }
  // A refused callback, `access_denied`, …: signing in again by itself would cycle through the provider.
  if (blocksSignIn(auth.error())) {
    attempt(ctx);
    return errorLanding(ctx, returnUrl);
  }
  if (options.signInRoute) {
    const tree = router.parseUrl(options.signInRoute);
    tree.queryParams = { ...tree.queryParams, returnUrl };
    return tree;
  }
  const last = attempt(ctx, returnUrl);
  const space = last?.indexOf(' ') ?? -1;
  // Loaded by Back/Forward for the URL this guard just sent to the provider, and no session came back: the
  // user pressed Back on the provider's page. Sending them straight back there would trap them.
  if (
    last?.slice(space + 1) === returnUrl &&
    !router.navigated &&
    isBackForwardLoad(ctx.document.defaultView) &&
    ctx.clock.now() - Number(last.slice(0, space)) < ctx.config.transactionTtlSeconds * 1000
  ) {
    attempt(ctx);
    return false;
  }
  try {
    // The service starts one redirect at a time, so guards running together never start two sign-ins.
    await auth.login({ returnUrl });
  } catch {
    // The sign-in could not start (provider unreachable, unsafe URL); the service holds the error to show.
    attempt(ctx);
    return errorLanding(ctx, returnUrl);
  }
  return false;
}

/** The full URL a `CanMatch` check is for (path, query, fragment); segments only outside a navigation. */
function matchUrl(router: Router, segments: readonly UrlSegment[]): string {
  const navigation = router.currentNavigation();
  return navigation ? router.serializeUrl(navigation.extractedUrl) : `/${segments.map((s) => s.path).join('/')}`;
}

/**
 * Lets signed-in users in (meeting the route's {@link AuthRouteRequirements}); sends others to sign in,
 * returning afterwards to the full URL asked for, query and fragment included. Never loops: after a failed
 * sign-in it goes to `errorRoute`, and after a Back from the provider it does not start another. Works as
 * `canActivate` and `canActivateChild`. See `withGuardOptions` for where it sends users. During server-side
 * rendering it refuses the navigation (the server cannot know the session): the server's HTML shows no protected
 * content, and the browser decides after hydration.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.11 (the return URL stays in the app: no open redirect)
 */
export const authGuard: CanActivateFn = (route, state) => check(guardContext(), route.data, state.url);

/**
 * {@link authGuard} as `canMatch`, which also keeps a lazy route's code from loading for signed-out users.
 * Refusing a match lets the router try later routes (e.g. `**`) while the browser leaves for the provider:
 * set `signInRoute` for a calmer experience. On the server it always refuses the match, so a later route (a
 * `**` page) is what the server renders for a protected URL: prefer {@link authGuard} on server-rendered routes.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError
 */
export const authMatchGuard: CanMatchFn = (route, segments) => {
  const ctx = guardContext();
  return check(ctx, route.data, matchUrl(ctx.router, segments));
};

/**
 * The class form of {@link authGuard} and {@link authMatchGuard} for NgModule apps:
 * `canActivate: [AuthGuard]`, `canMatch: [AuthGuard]`.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError
 */
@Injectable({ providedIn: 'root' })
export class AuthGuard implements CanActivate, CanMatch {
  private readonly ctx = guardContext();

  canActivate(route: ActivatedRouteSnapshot, state: RouterStateSnapshot): Promise<boolean | UrlTree> {
    return check(this.ctx, route.data, state.url);
  }

  canMatch(route: Route, segments: UrlSegment[]): Promise<boolean | UrlTree> {
    return check(this.ctx, route.data, matchUrl(this.ctx.router, segments));
  }
}
