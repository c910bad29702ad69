import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { type ImplicitAuthConfig, implicitAuthInterceptor, withGuardOptions } from 'ngx-implicit-auth';
import {
  FakeImplicitAuthService,
  InMemoryOpenIdProvider,
  provideImplicitAuthTesting,
  provideInMemoryOpenIdProvider,
} from 'ngx-implicit-auth/testing';
import demoSettings from '../../public/auth.config.json';
import { createAppConfig } from './app.config';
import { routes } from './app.routes';

/** The settings the demo reads at start-up. */
const AUTH_CONFIG = demoSettings as ImplicitAuthConfig;
const ada = { sub: 'ada', name: 'Ada Lovelace' };

/*
 * The app's guarded routes (`/profile` needs a signed-in user, `/admin` also the `write:messages` scope), tested two
 * ways: against the fake service, and with the app's own providers (`createAppConfig`) and an in-memory provider,
 * where a signed-out visitor really goes to the provider and comes back to the page they asked for.
 */

/** The text of the page the router shows. */
function page(harness: RouterTestingHarness): string {
  return harness.routeNativeElement?.textContent ?? '';
}

describe('app routes', () => {
  describe('with FakeImplicitAuthService', () => {
    let auth: FakeImplicitAuthService;

    beforeEach(() => {
      TestBed.configureTestingModule({
        providers: [
          provideRouter(routes),
          provideHttpClient(withInterceptors([implicitAuthInterceptor])),
          provideHttpClientTesting(),
          provideImplicitAuthTesting(
            { config: AUTH_CONFIG },
            withGuardOptions({ forbiddenRoute: '/forbidden', errorRoute: '/' }),
          ),
        ],
      });
      auth = TestBed.inject(FakeImplicitAuthService);
    });

    it('sends a signed-out visitor to sign in, to come back to the page asked for', async () => {
      const harness = await RouterTestingHarness.create('/');
      await harness.navigateByUrl('/profile?tab=claims');
      expect(auth.loginCalls).toEqual([{ returnUrl: '/profile?tab=claims' }]);
      expect(TestBed.inject(Router).url).toBe('/');
    });

    it('shows a signed-in user their profile', async () => {
      auth.signIn(ada);
      const harness = await RouterTestingHarness.create('/profile');
      expect(page(harness)).toContain('"name": "Ada Lovelace"');
    });

    it('forbids the admin page to a user without the write:messages scope', async () => {
      auth.signIn(ada);
      auth.setAccessToken('token-1', { scopes: ['read:messages'] });
      const harness = await RouterTestingHarness.create('/admin');
      expect(TestBed.inject(Router).url).toBe('/forbidden');
      auth.setAccessToken('token-2', { scopes: ['read:messages', 'write:messages'] });
      await harness.navigateByUrl('/admin');
      expect(TestBed.inject(Router).url).toBe('/admin');
    });
  });

  describe('with the real service and an in-memory provider', () => {
    let idp: InMemoryOpenIdProvider;

    beforeEach(() => {
      TestBed.configureTestingModule({
        providers: [
          ...createAppConfig(AUTH_CONFIG).providers,
          provideHttpClientTesting(),
          provideInMemoryOpenIdProvider(),
        ],
      });
      idp = TestBed.inject(InMemoryOpenIdProvider);
    });

    it('sends a signed-out visitor to the provider and, once signed in there, to the page asked for', async () => {
      const harness = await RouterTestingHarness.create('/');
      await harness.navigateByUrl('/profile?tab=claims');
      expect(TestBed.inject(Router).url).toBe('/');
      expect(idp.pendingSignIn?.params.get('client_id')).toBe(AUTH_CONFIG.clientId);

      await idp.signInAs(ada);
      await harness.fixture.whenStable();
      expect(TestBed.inject(Router).url).toBe('/profile?tab=claims');
      expect(page(harness)).toContain('"name": "Ada Lovelace"');
    });

    it('opens the admin page only to a user who granted the write:messages scope', async () => {
      await idp.signInAs(ada);
      const harness = await RouterTestingHarness.create('/admin');
      expect(TestBed.inject(Router).url).toBe('/forbidden');

      await idp.signInAs(ada, { scopes: ['openid', 'profile', 'read:messages', 'write:messages'] });
      await harness.navigateByUrl('/admin');
      expect(TestBed.inject(Router).url).toBe('/admin');
    });
  });
});
