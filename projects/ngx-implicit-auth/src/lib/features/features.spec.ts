import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ApplicationInitStatus, type EnvironmentProviders, inject, type Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom, of } from 'rxjs';
import type { ImplicitAuthConfig } from '../config/implicit-auth-config';
import { implicitAuthInterceptor } from '../http/auth-interceptor';
import { ImplicitAuthService } from '../implicit-auth.service';
import { provideImplicitAuth } from '../provide-implicit-auth';
import { storageKeys } from '../session/storage-keys';
import { authErrorOf, createTestIssuer, freshPage, type TestIssuer } from '../testing';
import { IMPLICIT_AUTH_CLOCK, IMPLICIT_AUTH_FETCH, IMPLICIT_AUTH_REDIRECT } from '../tokens';
import { withConfigLoader } from './with-config-loader';
import { withLogging, type ImplicitAuthLogger } from './with-logging';
import { withSilentRenew } from './with-silent-renew';
import { withStorage } from './with-storage';
import { withTabSync } from './with-tab-sync';
import { withUserInfo } from './with-user-info';

/**
 * The optional features: each one's behaviour is there with its `withX()` and absent without it (the bench measures
 * that its code is absent too), and contradictory ones fail start-up with a named error.
 */
describe('features: withX()', () => {
  let idp: TestIssuer;
  let redirects: string[];

  beforeAll(async () => {
    idp = await createTestIssuer({ issuer: 'https://idp.example' });
  });

  beforeEach(() => {
    freshPage();
    redirects = [];
  });

  afterEach(() => TestBed.resetTestingModule());

  const base = (): ImplicitAuthConfig => ({
    issuer: idp.issuer,
    clientId: idp.clientId,
    audience: 'https://api.example',
    apis: [{ url: 'https://api.example/v1' }],
  });

  /** One page load with `provide` (the library's providers) and the spec seams. */
  async function boot(provide: EnvironmentProviders, more: (Provider | EnvironmentProviders)[] = []) {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [
        provide,
        { provide: IMPLICIT_AUTH_FETCH, useValue: idp.fetch },
        { provide: IMPLICIT_AUTH_CLOCK, useValue: idp.clock },
        { provide: IMPLICIT_AUTH_REDIRECT, useValue: (url: string) => redirects.push(url) },
        ...more,
      ],
    });
    await TestBed.inject(ApplicationInitStatus).donePromise;
    const auth = TestBed.inject(ImplicitAuthService);
    await auth.whenReady();
    return auth;
  }

  /** Signs in through a real callback, with the features `provide` sets up. */
  async function signIn(provide: () => EnvironmentProviders) {
    await (await boot(provide())).login();
    const request = new URL(redirects.at(-1)!).searchParams;
    const fragment = await idp.authorizationResponse({ state: request.get('state')!, nonce: request.get('nonce')! });
    history.replaceState(null, '', '/' + fragment);
    return boot(provide());
  }

  const iframes = () => document.querySelectorAll('iframe').length;

  describe('withSilentRenew()', () => {
    it('without it, a renewal is renewal_disabled (recorded, with its event) and no iframe is made', async () => {
      const auth = await signIn(() => provideImplicitAuth(base()));
      const events: string[] = [];
      auth.events.subscribe((event) => events.push(event.type));
      expect((await authErrorOf(auth.renew())).code).toBe('renewal_disabled');
      expect(auth.error()?.code).toBe('renewal_disabled');
      expect(events).toContain('renewal_failed');
      expect(iframes()).toBe(0);
    });

    it('without it, a reload of a signed-in browser tries no silent restore; with it, it does', async () => {
      await signIn(() => provideImplicitAuth(base()));
      history.replaceState(null, '', '/');
      const plain = await boot(provideImplicitAuth(base()));
      expect(plain.status()).toBe('signed-out');
      expect(iframes()).toBe(0);

      TestBed.resetTestingModule();
      const renewing = boot(provideImplicitAuth(base(), withSilentRenew({ timeoutMs: 50 })));
      await expect(renewing).resolves.toBeDefined();
      // The restore went to the provider in a hidden iframe (unanswered here, so it timed out).
      expect((await renewing).error()?.code).toBe('timeout');
    });

    it("checks its options like the config's, naming the field", async () => {
      await expect(
        boot(provideImplicitAuth(base(), withSilentRenew({ redirectUri: 'https://cdn.example/s.html' }))),
      ).rejects.toThrow(/silentRenew\.redirectUri/);
    });
  });

  describe('withTabSync()', () => {
    const opened: string[] = [];
    const Real = globalThis.BroadcastChannel;
    beforeEach(() => {
      opened.length = 0;
      globalThis.BroadcastChannel = class extends Real {
        constructor(name: string) {
          super(name);
          opened.push(name);
        }
      };
    });
    afterEach(() => (globalThis.BroadcastChannel = Real));

    it("opens this app's channel with it, none without it", async () => {
      await boot(provideImplicitAuth(base()));
      expect(opened).toEqual([]);
      await boot(provideImplicitAuth(base(), withTabSync()));
      expect(opened).toEqual([storageKeys(idp.issuer, idp.clientId).namespace]);
    });
  });

  describe('withStorage()', () => {
    const kept = () => sessionStorage.getItem(storageKeys(idp.issuer, idp.clientId).session);

    it('without it, tokens stay in memory: nothing is written, a reload starts signed out', async () => {
      const auth = await signIn(() => provideImplicitAuth(base()));
      expect(auth.status()).toBe('signed-in');
      expect(kept()).toBeNull();
      history.replaceState(null, '', '/');
      expect((await boot(provideImplicitAuth(base()))).status()).toBe('signed-out');
    });

    it("with 'session', the session is kept in sessionStorage and a reload is signed in at once", async () => {
      await signIn(() => provideImplicitAuth(base(), withStorage('session')));
      expect(kept()).not.toBeNull();
      history.replaceState(null, '', '/');
      expect((await boot(provideImplicitAuth(base(), withStorage('session')))).status()).toBe('signed-in');
    });

    it('refuses an unknown kind at once, naming it', () => {
      expect(() => withStorage('local' as never)).toThrow(/config\.storage/);
    });
  });

  describe('withUserInfo()', () => {
    const userinfoCalls = () => idp.http.requests.filter((request) => request.url === idp.userinfoEndpoint).length;

    it('loads UserInfo with it, merged under the ID token’s claims; never without it', async () => {
      idp.userinfo = { sub: 'user-1', nickname: 'ada' };
      const before = userinfoCalls();
      const plain = await signIn(() => provideImplicitAuth(base()));
      expect(plain.claims()?.['nickname']).toBeUndefined();
      expect(userinfoCalls()).toBe(before);

      freshPage();
      const enriched = await signIn(() => provideImplicitAuth(base(), withUserInfo()));
      expect(enriched.claims()?.['nickname']).toBe('ada');
      expect(userinfoCalls()).toBe(before + 1);
    });

    it('contradicts a response type without an access token: start-up fails naming both', async () => {
      await expect(
        boot(provideImplicitAuth({ ...base(), apis: [], responseType: 'id_token' }, withUserInfo())),
      ).rejects.toThrow(/withUserInfo\(\) needs an ID token and an access token/);
    });
  });

  it("contradicts withSilentRenew({ idTokenHint: 'session' }) with responseType 'token'", async () => {
    const config = { ...base(), responseType: 'token' as const };
    await expect(boot(provideImplicitAuth(config, withSilentRenew({ idTokenHint: 'session' })))).rejects.toThrow(
      /idTokenHint: 'session'.*responseType 'token'/,
    );
  });

  describe('withConfigLoader()', () => {
    it('loads the config at start-up (a Promise), then works as if it had been given', async () => {
      const auth = await boot(provideImplicitAuth(withConfigLoader(() => Promise.resolve(base()))));
      expect(auth.status()).toBe('signed-out');
      await auth.login();
      expect(redirects[0]).toContain(idp.authorizationEndpoint);
    });

    it('runs the loader in an injection context: HttpClient passes the interceptor untouched until loaded', async () => {
      let seen: string | null | undefined;
      const load = () => {
        const http = inject(HttpClient);
        // The loader's own request: no API is configured yet, so it goes out as it is.
        const request = firstValueFrom(http.get<ImplicitAuthConfig>('https://api.example/v1/auth.json'));
        queueMicrotask(() => {
          const call = TestBed.inject(HttpTestingController).expectOne('https://api.example/v1/auth.json');
          seen = call.request.headers.get('Authorization');
          call.flush(base());
        });
        return request;
      };
      const auth = await boot(provideImplicitAuth(withConfigLoader(load)), [
        provideHttpClient(withInterceptors([implicitAuthInterceptor])),
        provideHttpClientTesting(),
      ]);
      expect(seen).toBeNull();
      expect(auth.status()).toBe('signed-out');
    });

    it('takes an Observable (its first value)', async () => {
      const auth = await boot(provideImplicitAuth(withConfigLoader(() => of(base()))));
      expect(auth.status()).toBe('signed-out');
    });

    it('fails start-up with config_load_failed when the loader fails, its failure as cause', async () => {
      const cause = new TypeError('Failed to fetch');
      const error = await authErrorOf(boot(provideImplicitAuth(withConfigLoader(() => Promise.reject(cause)))));
      expect(error.code).toBe('config_load_failed');
      expect(error.cause).toBe(cause);
    });

    it('fails start-up with network_timeout when the loader never answers', async () => {
      const hung = withConfigLoader(() => new Promise<ImplicitAuthConfig>(() => undefined), { timeoutMs: 20 });
      expect((await authErrorOf(boot(provideImplicitAuth(hung)))).code).toBe('network_timeout');
    });

    it('checks a loaded config like a given one', async () => {
      const error = await authErrorOf(
        boot(provideImplicitAuth(withConfigLoader(() => ({ ...base(), issuer: 'http://idp.example' })))),
      );
      expect(error.code).toBe('invalid_config');
      expect(error.message).toMatch(/config\.issuer/);
    });

    it('refuses a loader that gives no config object, saying so', async () => {
      for (const nothing of [undefined, null, 'issuer']) {
        const error = await authErrorOf(boot(provideImplicitAuth(withConfigLoader(() => nothing as never))));
        expect(error.code).toBe('invalid_config');
        expect(error.message).toMatch(/gave no config object/);
      }
    });

    it('is refused among the features: it takes the config’s place', () => {
      expect(() => provideImplicitAuth(base(), withConfigLoader(base) as never)).toThrow(
        /withConfigLoader\(\) takes the config’s place/,
      );
    });
  });

  describe('withLogging()', () => {
    function recorder() {
      const lines: string[] = [];
      const logger: ImplicitAuthLogger = {
        debug: (line: string) => lines.push(`debug ${line}`),
        info: (line: string) => lines.push(`info ${line}`),
        warn: (line: string) => lines.push(`warn ${line}`),
      };
      return { lines, logger };
    }

    it('writes one line per event at its level, never a token, claims or a fragment', async () => {
      const { lines, logger } = recorder();
      history.replaceState(null, '', '/');
      const auth = await signIn(() => provideImplicitAuth(base(), withLogging({ level: 'debug', logger })));
      expect(auth.status()).toBe('signed-in');
      expect(lines).toContainEqual(expect.stringMatching(/^info ngx-implicit-auth: signed_in \(return to \/\)$/));
      expect(lines).toContainEqual(expect.stringMatching(/^debug ngx-implicit-auth: token_received \(audience/));
      const token = auth.currentAccessToken()!.token;
      for (const line of lines) {
        expect(line).not.toContain(token);
        expect(line).not.toContain('#');
        expect(line).not.toContain('Ada');
      }
    });

    it("is quiet below its level, and silent at 'off'", async () => {
      const info = recorder();
      await signIn(() => provideImplicitAuth(base(), withLogging({ level: 'warn', logger: info.logger })));
      expect(info.lines).toEqual([]);
    });

    it('in dev mode leaves failures to the dev-mode hint (one console line each, not two)', async () => {
      const { lines, logger } = recorder();
      const auth = await signIn(() => provideImplicitAuth(base(), withLogging({ level: 'debug', logger })));
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        await authErrorOf(auth.renew());
        expect(warn).toHaveBeenCalledTimes(1);
        expect(lines.filter((line) => line.startsWith('warn'))).toEqual([]);
      } finally {
        warn.mockRestore();
      }
    });
  });
});
