import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { type ImplicitAuthConfig, implicitAuthInterceptor, ImplicitAuthService } from 'ngx-implicit-auth';
import {
  FakeImplicitAuthService,
  InMemoryOpenIdProvider,
  provideImplicitAuthTesting,
  provideInMemoryOpenIdProvider,
} from 'ngx-implicit-auth/testing';
import demoSettings from '../../../public/auth.config.json';
import { createAppConfig } from '../app.config';
import { Home } from './home';

/** The settings the demo reads at start-up. */
const AUTH_CONFIG = demoSettings as ImplicitAuthConfig;

/*
 * A component that shows who is signed in, tested two ways: against the fake service (quick: the test sets the
 * state), and against the real service with an in-memory provider (the state comes from a real sign-in).
 */

async function renderHome(): Promise<ComponentFixture<Home>> {
  const fixture = TestBed.createComponent(Home);
  await fixture.whenStable();
  return fixture;
}

/** The greeting's text, or `null` when the page greets no one. */
function greeting(fixture: ComponentFixture<Home>): string | null {
  const paragraphs = [...(fixture.nativeElement as HTMLElement).querySelectorAll('p')];
  return paragraphs.find((p) => p.textContent?.includes('Signed in as'))?.textContent?.trim() ?? null;
}

describe('Home', () => {
  describe('with FakeImplicitAuthService', () => {
    beforeEach(() => {
      TestBed.configureTestingModule({
        providers: [
          provideHttpClient(withInterceptors([implicitAuthInterceptor])),
          provideHttpClientTesting(),
          provideImplicitAuthTesting({ config: AUTH_CONFIG }),
        ],
      });
    });

    it('greets the signed-in user by name', async () => {
      TestBed.inject(FakeImplicitAuthService).signIn({ name: 'Ada Lovelace' });
      expect(greeting(await renderHome())).toBe('Signed in as Ada Lovelace.');
    });

    it('greets a user without a name by subject', async () => {
      TestBed.inject(FakeImplicitAuthService).signIn({ sub: 'auth0|42' });
      expect(greeting(await renderHome())).toBe('Signed in as auth0|42.');
    });

    it('greets no one once the user has signed out', async () => {
      const auth = TestBed.inject(FakeImplicitAuthService);
      auth.signIn({ name: 'Ada Lovelace' });
      const fixture = await renderHome();
      auth.signOut();
      await fixture.whenStable();
      expect(greeting(fixture)).toBeNull();
    });
  });

  describe('with the real service and an in-memory provider', () => {
    beforeEach(() => {
      TestBed.configureTestingModule({
        // The app's own providers (its config, HttpClient with the interceptor, the library's features), plus two.
        providers: [
          ...createAppConfig(AUTH_CONFIG).providers,
          provideHttpClientTesting(),
          provideInMemoryOpenIdProvider(),
        ],
      });
    });

    it('greets the user who signed in at the provider', async () => {
      const fixture = await renderHome();
      expect(greeting(fixture)).toBeNull();
      await TestBed.inject(InMemoryOpenIdProvider).signInAs({ sub: 'ada', name: 'Ada Lovelace' });
      await fixture.whenStable();
      expect(greeting(fixture)).toBe('Signed in as Ada Lovelace.');
    });

    it('greets no one once a renewal finds the session at the provider ended', async () => {
      const idp = TestBed.inject(InMemoryOpenIdProvider);
      await idp.signInAs({ sub: 'ada', name: 'Ada Lovelace' });
      const fixture = await renderHome();
      idp.signOut();
      await expect(TestBed.inject(ImplicitAuthService).renew()).rejects.toMatchObject({ error: 'login_required' });
      await fixture.whenStable();
      expect(greeting(fixture)).toBeNull();
    });
  });
});
