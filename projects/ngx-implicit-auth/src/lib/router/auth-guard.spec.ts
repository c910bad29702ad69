import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, type Routes } from '@angular/router';
import { FakeImplicitAuthService, provideImplicitAuthTesting } from '../../../testing/src/public-api';
import { ImplicitAuthError } from '../errors';
import type { ImplicitAuthFeature } from '../features';
import { createFakeClock, type FakeClock } from '../testing';
import { IMPLICIT_AUTH_CLOCK } from '../tokens';
import { AuthGuard, authGuard, authMatchGuard, type AuthRouteRequirements } from './auth-guard';
import { type ImplicitAuthGuardOptions, withGuardOptions } from './guard-options';

@Component({ template: '' })
class Page {}

const ADMIN: AuthRouteRequirements = { scopes: ['read:messages'], claims: { role: 'admin' } };

const routes: Routes = [
  { path: '', component: Page },
  { path: 'profile', component: Page, canActivate: [authGuard] },
  { path: 'admin', component: Page, canActivate: [authGuard], data: { auth: ADMIN } },
  { path: 'lazy', canMatch: [authMatchGuard], loadComponent: () => Promise.resolve(Page), data: { lazy: true } },
  { path: 'both', canMatch: [authMatchGuard], canActivate: [authGuard], component: Page },
  {
    path: 'nested',
    canActivate: [authGuard],
    children: [{ path: 'child', component: Page, canActivate: [authGuard] }],
  },
  { path: 'classy', component: Page, canActivate: [AuthGuard], data: { auth: ADMIN } },
  { path: 'team', component: Page, canActivate: [authGuard], data: { auth: { claims: { groups: ['a', 'b'] } } } },
  {
    path: 'reports',
    component: Page,
    canActivate: [authGuard],
    data: { auth: { scopes: ['read:messages', 'write:messages'], audience: 'reports-api' } },
  },
  { path: 'classy-match', component: Page, canMatch: [AuthGuard] },
  { path: 'sign-in', component: Page },
  { path: 'forbidden', component: Page },
  { path: 'auth-error', component: Page },
  { path: '**', component: Page, data: { notFound: true } },
];

const ALL_ROUTES: ImplicitAuthGuardOptions = { forbiddenRoute: '/forbidden', errorRoute: '/auth-error' };
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('authGuard', () => {
  let router: Router;
  let auth: FakeImplicitAuthService;
  let clock: FakeClock;

  beforeEach(() => (clock = createFakeClock()));

  function setup(signedIn: boolean | Record<string, unknown>, ...features: ImplicitAuthFeature[]): void {
    TestBed.configureTestingModule({
      providers: [
        provideRouter(routes),
        provideImplicitAuthTesting({ config: { audience: 'api' }, signedIn }, ...features),
        { provide: IMPLICIT_AUTH_CLOCK, useValue: clock },
      ],
    });
    router = TestBed.inject(Router);
    auth = TestBed.inject(FakeImplicitAuthService);
  }

  beforeEach(() => sessionStorage.clear());

  it('lets a signed-in user in', async () => {
    setup(true);
    expect(await router.navigateByUrl('/profile?tab=x#y')).toBe(true);
    expect(router.url).toBe('/profile?tab=x#y');
    expect(auth.loginCalls).toEqual([]);
  });

  it('starts one sign-in carrying the full URL (path, query, fragment) and refuses the navigation', async () => {
    setup(false);
    expect(await router.navigateByUrl('/profile?tab=x#y')).toBe(false);
    expect(auth.loginCalls).toEqual([{ returnUrl: '/profile?tab=x#y' }]);
    expect(router.url).toBe('/');
  });

  it('sends a signed-out user to the sign-in page with the return URL when one is configured', async () => {
    setup(false, withGuardOptions({ signInRoute: '/sign-in?from=guard' }));
    await router.navigateByUrl('/profile?tab=x#y');
    expect(router.url).toBe('/sign-in?from=guard&returnUrl=%2Fprofile%3Ftab%3Dx%23y');
    expect(auth.loginCalls).toEqual([]);
  });

  it('waits for start-up before deciding', async () => {
    setup(false);
    auth.setLoading();
    const navigation = router.navigateByUrl('/profile');
    await settle();
    expect(auth.loginCalls).toEqual([]);
    auth.signIn();
    expect(await navigation).toBe(true);
    expect(router.url).toBe('/profile');
    expect(auth.loginCalls).toEqual([]);
  });

  describe('route requirements', () => {
    it('lets in a user with the claims and the scopes', async () => {
      setup({ role: 'admin' }, withGuardOptions(ALL_ROUTES));
      auth.setAccessToken('t', { scopes: ['openid', 'read:messages'] });
      await router.navigateByUrl('/admin');
      expect(router.url).toBe('/admin');
    });

    it('matches a claim held in an array', async () => {
      setup({ role: ['user', 'admin'] }, withGuardOptions(ALL_ROUTES));
      auth.setAccessToken('t', { scopes: ['read:messages'] });
      await router.navigateByUrl('/admin');
      expect(router.url).toBe('/admin');
    });

    it.each([
      ['a missing claim', { name: 'Ada' }, ['read:messages']],
      ['another claim value', { role: 'user' }, ['read:messages']],
      ['a missing scope', { role: 'admin' }, ['openid']],
    ])('sends a user with %s to the forbidden route', async (_why, claims, scopes) => {
      setup(claims, withGuardOptions(ALL_ROUTES));
      auth.setAccessToken('t', { scopes });
      await router.navigateByUrl('/admin');
      expect(router.url).toBe('/forbidden');
      expect(auth.loginCalls).toEqual([]);
    });

    it('needs every element of a claim given as an array', async () => {
      setup({ groups: ['a'] }, withGuardOptions(ALL_ROUTES));
      await router.navigateByUrl('/team');
      expect(router.url).toBe('/forbidden');
      auth.signOut();
      auth.signIn({ groups: ['c', 'b', 'a'] });
      await router.navigateByUrl('/team');
      expect(router.url).toBe('/team');
    });

    it("needs every scope, on the token of the route's own audience", async () => {
      setup({ role: 'user' }, withGuardOptions(ALL_ROUTES));
      auth.setAccessToken('t', { audience: 'reports-api', scopes: ['read:messages'] });
      await router.navigateByUrl('/reports');
      expect(router.url).toBe('/forbidden');
      auth.setAccessToken('t', { audience: 'reports-api', scopes: ['write:messages', 'read:messages'] });
      await router.navigateByUrl('/reports');
      expect(router.url).toBe('/reports');
    });

    it("checks the scopes of the token renewed for the route's own audience, not the default one's", async () => {
      setup({ role: 'user' }, withGuardOptions(ALL_ROUTES));
      auth.renewWith(({ audience }) =>
        audience === 'reports-api'
          ? { token: 'r', scopes: ['read:messages', 'write:messages'] }
          : Promise.reject(new ImplicitAuthError('timeout', 'x')),
      );
      await router.navigateByUrl('/reports');
      expect(router.url).toBe('/reports');
    });

    it("renews silently for the route's own audience to check its scopes", async () => {
      setup({ role: 'user' }, withGuardOptions(ALL_ROUTES));
      auth.setAccessToken('t', { scopes: ['read:messages', 'write:messages'] });
      const asked: (string | undefined)[] = [];
      auth.renewWith(({ audience }) => {
        asked.push(audience);
        return { token: 'r', scopes: ['read:messages', 'write:messages'] };
      });
      await router.navigateByUrl('/reports');
      expect(asked).toEqual(['reports-api']);
      expect(router.url).toBe('/reports');
    });

    it('refuses the navigation when no forbidden route is configured', async () => {
      setup({ role: 'user' });
      expect(await router.navigateByUrl('/admin')).toBe(false);
      expect(router.url).toBe('/');
    });

    it('obtains a token silently to check its scopes, and forbids when none can be had', async () => {
      setup({ role: 'admin' }, withGuardOptions(ALL_ROUTES));
      auth.renewWith(() => ({ token: 't', scopes: ['read:messages'] }));
      await router.navigateByUrl('/admin');
      expect(router.url).toBe('/admin');

      auth.signOut();
      auth.signIn({ role: 'admin' });
      auth.renewWith(() => Promise.reject(new ImplicitAuthError('timeout', 'no answer')));
      await router.navigateByUrl('/');
      await router.navigateByUrl('/admin');
      expect(router.url).toBe('/forbidden');
      expect(auth.loginCalls).toEqual([]);
    });
  });

  describe('no loops', () => {
    it.each([
      [
        'a provider error (access_denied)',
        new ImplicitAuthError('provider_error', 'denied', { error: 'access_denied' }),
      ],
      ['a refused callback', new ImplicitAuthError('state_mismatch', 'no pending sign-in')],
      ['an invalid ID token', new ImplicitAuthError('nonce_mismatch', 'nonce')],
    ])('goes to the error route after %s instead of signing in again', async (_why, error) => {
      setup(false, withGuardOptions(ALL_ROUTES));
      auth.setError(error);
      await router.navigateByUrl('/profile');
      expect(router.url).toBe('/auth-error');
      expect(auth.loginCalls).toEqual([]);
    });

    it('lands on the app root after a refused or cancelled sign-in when no error route is configured', async () => {
      setup(false);
      auth.setError(new ImplicitAuthError('provider_error', 'denied', { error: 'access_denied' }));
      expect(await router.navigateByUrl('/profile?tab=1')).toBe(true);
      expect(router.url).toBe('/');
      expect(auth.loginCalls).toEqual([]);
    });

    it('refuses, rather than loops, when the refused page is the error route itself', async () => {
      setup(false, withGuardOptions({ errorRoute: '/profile' }));
      auth.setError(new ImplicitAuthError('provider_error', 'denied', { error: 'access_denied' }));
      expect(await router.navigateByUrl('/profile')).toBe(false);
      expect(auth.loginCalls).toEqual([]);
    });

    it.each([
      [
        'login_required from a silent renewal',
        new ImplicitAuthError('provider_error', 'x', { error: 'login_required' }),
      ],
      ['a renewal timeout', new ImplicitAuthError('timeout', 'x')],
      ['no token', new ImplicitAuthError('not_authenticated', 'x')],
      [
        'blocked third-party cookies',
        new ImplicitAuthError('third_party_cookies_blocked', 'x', { error: 'login_required' }),
      ],
    ])('still signs in after %s (the remedy is an interactive sign-in)', async (_why, error) => {
      setup(false, withGuardOptions(ALL_ROUTES));
      auth.setError(error);
      await router.navigateByUrl('/profile');
      expect(auth.loginCalls).toEqual([{ returnUrl: '/profile' }]);
    });

    it('goes to the error route when the sign-in cannot start', async () => {
      setup(false, withGuardOptions(ALL_ROUTES));
      auth.loginWith(() => Promise.reject(new ImplicitAuthError('discovery_failed', 'unreachable')));
      await router.navigateByUrl('/profile');
      expect(router.url).toBe('/auth-error');
      expect(auth.loginCalls).toHaveLength(1);
    });

    describe('after Back from the provider', () => {
      const getEntriesByType = performance.getEntriesByType;
      const loadedBy = (type: string) =>
        Object.defineProperty(performance, 'getEntriesByType', { configurable: true, value: () => [{ type }] });
      afterEach(() =>
        Object.defineProperty(performance, 'getEntriesByType', { configurable: true, value: getEntriesByType }),
      );

      /** The first page load started a sign-in for /profile; the user pressed Back on the provider's page. */
      async function returnFromProvider(type: string): Promise<void> {
        setup(false);
        await router.navigateByUrl('/profile?tab=x');
        expect(auth.loginCalls).toHaveLength(1);
        TestBed.resetTestingModule();
        loadedBy(type);
        setup(false);
        await router.navigateByUrl('/profile?tab=x');
      }

      it('does not send the user straight back to the provider', async () => {
        await returnFromProvider('back_forward');
        expect(auth.loginCalls).toEqual([]);
        expect(router.url).toBe('/');
      });

      it('signs in again once the user navigates there on purpose', async () => {
        await returnFromProvider('back_forward');
        await router.navigateByUrl('/');
        await router.navigateByUrl('/profile?tab=x');
        expect(auth.loginCalls).toEqual([{ returnUrl: '/profile?tab=x' }]);
      });

      it('signs in again on a reload', async () => {
        await returnFromProvider('reload');
        expect(auth.loginCalls).toEqual([{ returnUrl: '/profile?tab=x' }]);
      });

      /** As {@link returnFromProvider}, `seconds` after the sign-in was started. */
      async function returnAfter(seconds: number): Promise<boolean | null> {
        setup(false);
        await router.navigateByUrl('/profile?tab=x');
        TestBed.resetTestingModule();
        clock.advance(seconds);
        loadedBy('back_forward');
        setup(false);
        return router.navigateByUrl('/profile?tab=x');
      }

      it('stays on the page Back led to while the sign-in it started could still complete', async () => {
        expect(await returnAfter(599)).toBe(false);
        expect(auth.loginCalls).toEqual([]);
      });

      it('signs in again once the sign-in it started has expired (transactionTtlSeconds)', async () => {
        await returnAfter(600);
        expect(auth.loginCalls).toEqual([{ returnUrl: '/profile?tab=x' }]);
      });

      it('signs in on a first load that the browser reports no navigation type for', async () => {
        setup(false);
        await router.navigateByUrl('/profile?tab=x');
        TestBed.resetTestingModule();
        Object.defineProperty(performance, 'getEntriesByType', { configurable: true, value: () => [] });
        setup(false);
        await router.navigateByUrl('/profile?tab=x');
        expect(auth.loginCalls).toEqual([{ returnUrl: '/profile?tab=x' }]);
      });

      it('signs in when Back lands on another page than the one the sign-in was for', async () => {
        setup(false);
        await router.navigateByUrl('/profile?tab=x');
        TestBed.resetTestingModule();
        loadedBy('back_forward');
        setup(false);
        await router.navigateByUrl('/profile?tab=y');
        expect(auth.loginCalls).toEqual([{ returnUrl: '/profile?tab=y' }]);
      });
    });

    it('starts one sign-in when several guards guard one navigation', async () => {
      setup(false);
      await router.navigateByUrl('/nested/child');
      await router.navigateByUrl('/both?q=1');
      expect(auth.loginCalls).toEqual([{ returnUrl: '/nested/child' }, { returnUrl: '/both?q=1' }]);
    });
  });

  describe('authMatchGuard (canMatch)', () => {
    it('loads the route for a signed-in user', async () => {
      setup(true);
      await router.navigateByUrl('/lazy');
      expect(router.url).toBe('/lazy');
      expect(router.routerState.snapshot.root.firstChild?.data).toEqual({ lazy: true });
    });

    it('starts a sign-in with the full URL and does not match', async () => {
      setup(false);
      await router.navigateByUrl('/lazy?x=1#f');
      expect(auth.loginCalls).toEqual([{ returnUrl: '/lazy?x=1#f' }]);
      expect(router.routerState.snapshot.root.firstChild?.data).toEqual({ notFound: true });
    });

    it('redirects to the sign-in page when one is configured', async () => {
      setup(false, withGuardOptions({ signInRoute: '/sign-in' }));
      await router.navigateByUrl('/lazy?x=1#f');
      expect(router.url).toBe('/sign-in?returnUrl=%2Flazy%3Fx%3D1%23f');
    });
  });

  describe('AuthGuard (class form)', () => {
    it('applies route requirements as canActivate', async () => {
      setup({ role: 'user' }, withGuardOptions(ALL_ROUTES));
      auth.setAccessToken('t', { scopes: ['read:messages'] });
      await router.navigateByUrl('/classy');
      expect(router.url).toBe('/forbidden');
    });

    it('starts a sign-in as canActivate and as canMatch', async () => {
      setup(false);
      await router.navigateByUrl('/classy?a=1#b');
      await router.navigateByUrl('/classy-match#c');
      expect(auth.loginCalls).toEqual([{ returnUrl: '/classy?a=1#b' }, { returnUrl: '/classy-match#c' }]);
    });
  });

  it('refuses guard options that are not absolute app routes, in dev mode only', () => {
    let error: unknown;
    try {
      withGuardOptions({ forbiddenRoute: ['/forbidden'] as unknown as string });
    } catch (caught: unknown) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ImplicitAuthError);
    expect((error as ImplicitAuthError).code).toBe('invalid_config');
    expect((error as ImplicitAuthError).message).toBe(
      "ngx-implicit-auth: withGuardOptions forbiddenRoute must be an absolute app route such as '/sign-in'",
    );
    expect(() => withGuardOptions({ signInRoute: undefined, errorRoute: '/oops' })).not.toThrow();
    const global = globalThis as { ngDevMode?: unknown };
    const devMode = global.ngDevMode;
    global.ngDevMode = undefined;
    try {
      expect(() => withGuardOptions({ signInRoute: 'sign-in' })).toThrow(/absolute app route/);
    } finally {
      global.ngDevMode = devMode;
    }
    global.ngDevMode = false;
    try {
      expect(() => withGuardOptions({ signInRoute: 'sign-in' })).not.toThrow();
    } finally {
      global.ngDevMode = devMode;
    }
    global.ngDevMode = {};
    try {
      expect(() => withGuardOptions({ signInRoute: 'sign-in' })).toThrow(/absolute app route/);
    } finally {
      global.ngDevMode = devMode;
    }
    expect(() => withGuardOptions({ signInRoute: 'sign-in' })).toThrow(/absolute app route/);
    expect(() => withGuardOptions({ errorRoute: '//evil.example' })).toThrow(/absolute app route/);
    expect(() => withGuardOptions({ forbiddenRoute: '/forbidden' })).not.toThrow();
  });
});
