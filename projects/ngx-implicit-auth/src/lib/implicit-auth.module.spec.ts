import { HttpClient, provideHttpClient, withInterceptorsFromDi } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { ImplicitAuthModule } from './implicit-auth.module';
import { ImplicitAuthService } from './implicit-auth.service';
import { createTestIssuer, type TestIssuer, freshPage } from './testing';
import { IMPLICIT_AUTH_CLOCK, IMPLICIT_AUTH_FETCH, IMPLICIT_AUTH_REDIRECT } from './tokens';

/**
 * An NgModule app: `ImplicitAuthModule.forRoot(config)` in the root module's imports and
 * `provideHttpClient(withInterceptorsFromDi())`, as the README shows. It signs in through a real callback (a token
 * signed by the in-memory provider) and its HttpClient calls to the configured API carry the token.
 */
describe('ImplicitAuthModule.forRoot (NgModule apps)', () => {
  let idp: TestIssuer;
  const redirects: string[] = [];

  beforeAll(async () => {
    idp = await createTestIssuer({ issuer: 'https://idp.example' });
  });

  beforeEach(() => {
    freshPage();
    redirects.length = 0;
  });

  afterEach(() => TestBed.resetTestingModule());

  /** One page load of the NgModule app; resolves once start-up has finished. */
  async function loadApp(): Promise<ImplicitAuthService> {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      imports: [
        ImplicitAuthModule.forRoot({
          issuer: idp.issuer,
          clientId: idp.clientId,
          audience: 'https://api.example',
          apis: [{ url: 'https://api.example/v1' }],
        }),
      ],
      providers: [
        provideHttpClient(withInterceptorsFromDi()),
        provideHttpClientTesting(),
        { provide: IMPLICIT_AUTH_FETCH, useValue: idp.fetch },
        { provide: IMPLICIT_AUTH_CLOCK, useValue: idp.clock },
        { provide: IMPLICIT_AUTH_REDIRECT, useValue: (url: string) => redirects.push(url) },
      ],
    });
    const auth = TestBed.inject(ImplicitAuthService);
    await auth.whenReady();
    return auth;
  }

  it('signs in through the callback and sends the token to the configured API only', async () => {
    await (await loadApp()).login();
    const request = new URL(redirects.at(-1)!).searchParams;
    const fragment = await idp.authorizationResponse({ state: request.get('state')!, nonce: request.get('nonce')! });
    history.replaceState(null, '', '/' + fragment);
    const auth = await loadApp();
    expect(auth.status()).toBe('signed-in');
    const token = auth.currentAccessToken()!.token;

    const http = TestBed.inject(HttpClient);
    const backend = TestBed.inject(HttpTestingController);
    const toApi = firstValueFrom(http.get('https://api.example/v1/messages'));
    const elsewhere = firstValueFrom(http.get('https://other.example/v1/messages'));
    const api = backend.expectOne('https://api.example/v1/messages');
    expect(api.request.headers.get('Authorization')).toBe(`Bearer ${token}`);
    api.flush([]);
    const other = backend.expectOne('https://other.example/v1/messages');
    expect(other.request.headers.has('Authorization')).toBe(false);
    other.flush([]);
    await Promise.all([toApi, elsewhere]);
    backend.verify();
  });

  it('runs the class interceptor: signed out, a request to a configured API fails with 401 and is never sent', async () => {
    const auth = await loadApp();
    expect(auth.status()).toBe('signed-out');
    const http = TestBed.inject(HttpClient);
    const backend = TestBed.inject(HttpTestingController);
    // Signed out, a configured API gets no request at all: the interceptor ran (a 401 without sending).
    await expect(firstValueFrom(http.get('https://api.example/v1/messages'))).rejects.toMatchObject({ status: 401 });
    backend.expectNone('https://api.example/v1/messages');
  });
});
