import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
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
import { ApiConsole } from './api-console';

/** The settings the demo reads at start-up: the demo API takes anonymous calls too (`allowAnonymous`). */
const AUTH_CONFIG = demoSettings as ImplicitAuthConfig;
const API_URL = 'http://localhost:4401/api/messages';
const ada = { sub: 'ada', name: 'Ada Lovelace' };

/*
 * An HTTP call through HttpClient and the library's interceptor, tested two ways: against the fake service (the
 * test sets the token), and against the real service with an in-memory provider (the token comes from a real
 * sign-in, and is renewed through the real hidden iframe when it has expired or the API refuses it).
 */

async function renderConsole(): Promise<ComponentFixture<ApiConsole>> {
  const fixture = TestBed.createComponent(ApiConsole);
  await fixture.whenStable();
  return fixture;
}

/** Types `url` into the console and presses Call. */
async function call(fixture: ComponentFixture<ApiConsole>, url = API_URL): Promise<void> {
  const element = fixture.nativeElement as HTMLElement;
  const input = element.querySelector<HTMLInputElement>('[data-testid=api-url]')!;
  input.value = url;
  input.dispatchEvent(new Event('input'));
  await fixture.whenStable();
  element.querySelector<HTMLButtonElement>('[data-testid=api-call]')!.click();
}

/**
 * The request to `url`, once it has left: the interceptor may first wait for a token (a renewal through the
 * provider), so it is looked for until a deadline rather than at once.
 */
async function sentRequest(url = API_URL, deadlineMs = 2000): Promise<TestRequest> {
  const http = TestBed.inject(HttpTestingController);
  for (const until = Date.now() + deadlineMs; Date.now() < until;) {
    const [request] = http.match(url);
    if (request) return request;
    await new Promise((resolve) => setTimeout(resolve));
  }
  return http.expectOne(url);
}

function result(fixture: ComponentFixture<ApiConsole>): string {
  return (fixture.nativeElement as HTMLElement).querySelector('[data-testid=api-result]')?.textContent ?? '';
}

/** What the demo API answers to a token it no longer accepts (RFC 6750 §3.1). */
const INVALID_TOKEN = {
  status: 401,
  statusText: 'Unauthorized',
  headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
};

describe('ApiConsole', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  describe('with FakeImplicitAuthService', () => {
    let auth: FakeImplicitAuthService;

    beforeEach(() => {
      TestBed.configureTestingModule({
        providers: [
          provideHttpClient(withInterceptors([implicitAuthInterceptor])),
          provideHttpClientTesting(),
          provideImplicitAuthTesting({ config: AUTH_CONFIG }),
        ],
      });
      auth = TestBed.inject(FakeImplicitAuthService);
    });

    it("sends the signed-in user's token to the demo API and shows its answer", async () => {
      auth.signIn(ada);
      auth.setAccessToken('token-1');
      const fixture = await renderConsole();
      await call(fixture);
      const request = await sentRequest();
      expect(request.request.headers.get('Authorization')).toBe('Bearer token-1');
      request.flush('hello');
      await fixture.whenStable();
      expect(result(fixture)).toBe('200 hello');
    });

    it('sends no token to another origin', async () => {
      auth.signIn(ada);
      auth.setAccessToken('token-1');
      const fixture = await renderConsole();
      await call(fixture, 'https://elsewhere.example/api/messages');
      const request = await sentRequest('https://elsewhere.example/api/messages');
      expect(request.request.headers.has('Authorization')).toBe(false);
      request.flush('');
    });

    it('replays a call the API refused once, with a new token', async () => {
      auth.signIn(ada);
      auth.setAccessToken('token-1');
      auth.renewWith(() => 'token-2');
      const fixture = await renderConsole();
      await call(fixture);
      (await sentRequest()).flush('expired', INVALID_TOKEN);
      const replay = await sentRequest();
      expect(replay.request.headers.get('Authorization')).toBe('Bearer token-2');
      replay.flush('hello');
      await fixture.whenStable();
      expect(result(fixture)).toBe('200 hello');
    });
  });

  describe('with the real service and an in-memory provider', () => {
    let idp: InMemoryOpenIdProvider;

    beforeEach(() => {
      TestBed.configureTestingModule({
        // The app's own providers (its config, HttpClient with the interceptor, the library's features), plus two.
        providers: [
          ...createAppConfig(AUTH_CONFIG).providers,
          provideHttpClientTesting(),
          provideInMemoryOpenIdProvider(),
        ],
      });
      idp = TestBed.inject(InMemoryOpenIdProvider);
    });

    it("sends the signed-in user's token to the demo API and shows its answer", async () => {
      const { accessToken } = await idp.signInAs(ada);
      const fixture = await renderConsole();
      await call(fixture);
      const request = await sentRequest();
      expect(request.request.headers.get('Authorization')).toBe(`Bearer ${accessToken}`);
      request.flush('hello');
      await fixture.whenStable();
      expect(result(fixture)).toBe('200 hello');
    });

    it('sends no token to another origin', async () => {
      await idp.signInAs(ada);
      const fixture = await renderConsole();
      await call(fixture, 'https://elsewhere.example/api/messages');
      const request = await sentRequest('https://elsewhere.example/api/messages');
      expect(request.request.headers.has('Authorization')).toBe(false);
      request.flush('');
    });

    it('renews an expired token at the provider before the call', async () => {
      const first = await idp.signInAs(ada);
      idp.expireTokens();
      const fixture = await renderConsole();
      await call(fixture);
      const request = await sentRequest();
      const renewed = TestBed.inject(ImplicitAuthService).currentAccessToken()?.token;
      expect(renewed).not.toBe(first.accessToken);
      expect(request.request.headers.get('Authorization')).toBe(`Bearer ${renewed}`);
      expect(idp.requests.filter((r) => r.silent)).toHaveLength(1);
      request.flush('hello');
    });

    it('replays a call the API refused once, with a token renewed at the provider', async () => {
      const first = await idp.signInAs(ada);
      const fixture = await renderConsole();
      await call(fixture);
      (await sentRequest()).flush('expired', INVALID_TOKEN);
      const replay = await sentRequest();
      const authorization = replay.request.headers.get('Authorization');
      expect(authorization).toMatch(/^Bearer \S+$/);
      expect(authorization).not.toBe(`Bearer ${first.accessToken}`);
      replay.flush('hello');
      await fixture.whenStable();
      expect(result(fixture)).toBe('200 hello');
    });

    it('calls without a token, signed out, once the provider says the session has ended', async () => {
      await idp.signInAs(ada);
      idp.failNextRenewal('login_required');
      idp.expireTokens();
      const fixture = await renderConsole();
      await call(fixture);
      const request = await sentRequest();
      expect(request.request.headers.has('Authorization')).toBe(false);
      expect(TestBed.inject(ImplicitAuthService).status()).toBe('signed-out');
      request.flush('public messages');
    });
  });
});
