import { TestBed } from '@angular/core/testing';
import { firstValueFrom, toArray, take } from 'rxjs';
import { ImplicitAuthError } from './errors';
import type { ImplicitAuthEvent } from './events';
import { ImplicitAuthService } from './implicit-auth.service';
import { storageKeys } from './session/storage-keys';
import {
  createTestIssuer,
  loadPage as loadPageOf,
  type TestIssuer,
  type SpecConfig,
  provideImplicitAuthAsSpecsDo,
} from './testing';
import { IMPLICIT_AUTH_CLOCK, IMPLICIT_AUTH_FETCH } from './tokens';

/**
 * Whole sign-in round trips: each "page load" is a fresh TestBed (which runs the app initializer, like a
 * real bootstrap) over the same jsdom location and sessionStorage, against an in-memory provider that signs
 * real tokens.
 */
describe('ImplicitAuthService (sign-in, callback, logout)', () => {
  let idp: TestIssuer;
  let redirects: string[];

  beforeAll(async () => {
    idp = await createTestIssuer({ issuer: 'https://idp.example' });
  });

  beforeEach(() => {
    sessionStorage.clear();
    redirects = [];
    history.replaceState(null, '', '/');
  });

  afterEach(() => TestBed.resetTestingModule());

  /** Boots the app at the current jsdom URL and waits for start-up to finish. */
  function loadPage(config: SpecConfig = {}): Promise<ImplicitAuthService> {
    return loadPageOf(
      ImplicitAuthService,
      idp,
      {
        audience: 'https://api.example',
        apis: [{ url: 'https://api.example/v1' }],
        silentRenew: false,
        ...config,
      },
      redirects,
    );
  }

  /** Starts a sign-in and returns the authorize request's parameters. */
  async function startLogin(auth: ImplicitAuthService, returnUrl?: string): Promise<URLSearchParams> {
    await auth.login(returnUrl === undefined ? {} : { returnUrl });
    return new URL(redirects.at(-1)!).searchParams;
  }

  /** Comes back from the provider with `fragment` in the address bar. */
  function arriveWith(fragment: string, path = '/'): Promise<ImplicitAuthService> {
    history.replaceState(null, '', path + fragment);
    return loadPage();
  }

  async function signIn(returnUrl?: string): Promise<{ auth: ImplicitAuthService; fragment: string }> {
    const request = await startLogin(await loadPage(), returnUrl);
    const fragment = await idp.authorizationResponse({ state: request.get('state')!, nonce: request.get('nonce')! });
    return { auth: await arriveWith(fragment), fragment };
  }

  describe('authorization request', () => {
    it('sends every parameter of the flow, correctly encoded, to the discovered endpoint', async () => {
      const auth = await loadPage({ authorizeParams: { connection: 'github' } });
      await auth.login({ prompt: 'login', authorizeParams: { login_hint: 'ada@example.com' } });
      const url = new URL(redirects[0]);
      expect(url.origin + url.pathname).toBe(idp.authorizationEndpoint);
      const params = url.searchParams;
      expect(params.get('response_type')).toBe('id_token token');
      expect(params.get('client_id')).toBe(idp.clientId);
      expect(params.get('redirect_uri')).toBe('http://localhost/');
      expect(params.get('scope')).toBe('openid profile email');
      expect(params.get('audience')).toBe('https://api.example');
      expect(params.get('prompt')).toBe('login');
      expect(params.get('connection')).toBe('github');
      expect(params.get('login_hint')).toBe('ada@example.com');
      expect(url.search).toContain('scope=openid+profile+email');
    });

    it('uses a fresh state and nonce of at least 128 bits for every request, stored per transaction', async () => {
      const first = await startLogin(await loadPage());
      const second = await startLogin(await loadPage());
      for (const name of ['state', 'nonce']) {
        expect(first.get(name)).not.toBe(second.get(name));
        // base64url: 22 characters carry 132 bits.
        expect(first.get(name)!.length).toBeGreaterThanOrEqual(22);
      }
      const { transactionPrefix } = storageKeys(idp.issuer, idp.clientId);
      expect(sessionStorage.getItem(transactionPrefix + first.get('state'))).not.toBeNull();
      expect(sessionStorage.getItem(transactionPrefix + second.get('state'))).not.toBeNull();
    });

    it('keeps two sign-ins under way at once apart: the older one still completes', async () => {
      const first = await startLogin(await loadPage(), '/first');
      await startLogin(await loadPage(), '/second');
      const fragment = await idp.authorizationResponse({ state: first.get('state')!, nonce: first.get('nonce')! });
      const auth = await arriveWith(fragment);
      expect(auth.status()).toBe('signed-in');
      expect(location.pathname).toBe('/first');
    });

    it.each<Record<string, string>>([
      { request_uri: 'https://evil.example/req' },
      { request: 'eyJ.x.y' },
      { max_age: '99999' },
    ])(
      'refuses login({ authorizeParams: %j }) without leaving the app or storing anything',
      async (authorizeParams) => {
        const auth = await loadPage();
        await expect(auth.login({ authorizeParams })).rejects.toMatchObject({ code: 'invalid_config' });
        expect(redirects).toEqual([]);
        expect(sessionStorage.length).toBe(0);
      },
    );

    it('refuses an unsafe return URL without leaving the app', async () => {
      const auth = await loadPage();
      for (const returnUrl of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
        await expect(auth.login({ returnUrl })).rejects.toMatchObject({ code: 'invalid_return_url' });
      }
      expect(redirects).toEqual([]);
      expect(sessionStorage.length).toBe(0);
    });

    it('reports an unreachable provider as discovery_failed and stores nothing', async () => {
      const auth = await loadPage({ issuer: 'https://down.example' });
      await expect(auth.login()).rejects.toMatchObject({ code: 'discovery_failed' });
      expect(auth.error()?.code).toBe('discovery_failed');
      expect(redirects).toEqual([]);
      expect(sessionStorage.length).toBe(0);
    });
  });

  describe('callback', () => {
    it('signs in, keeps the tokens, and lands on the page asked for without the fragment', async () => {
      const { auth } = await signIn('/profile?tab=x#y');
      expect(auth.status()).toBe('signed-in');
      expect(auth.isAuthenticated()).toBe(true);
      expect(auth.claims()?.sub).toBe('user-1');
      expect(auth.claims()?.name).toBe('Ada Lovelace');
      expect(auth.error()).toBeNull();
      const token = auth.currentAccessToken();
      expect(token?.audience).toBe('https://api.example');
      expect(token?.expiresAt).toBe(idp.clock.now() + 3600_000);
      expect(location.pathname + location.search + location.hash).toBe('/profile?tab=x#y');
      expect(location.href).not.toContain('access_token');
    });

    it('emits signed_in and token_received', async () => {
      const request = await startLogin(await loadPage());
      const fragment = await idp.authorizationResponse({ state: request.get('state')!, nonce: request.get('nonce')! });
      history.replaceState(null, '', '/' + fragment);
      TestBed.resetTestingModule();
      TestBed.configureTestingModule({
        providers: [
          provideImplicitAuthAsSpecsDo({
            issuer: idp.issuer,
            clientId: idp.clientId,
            silentRenew: false,
            apis: [{ url: 'https://api.example/v1' }],
          }),
          { provide: IMPLICIT_AUTH_FETCH, useValue: idp.fetch },
          { provide: IMPLICIT_AUTH_CLOCK, useValue: idp.clock },
        ],
      });
      const events: ImplicitAuthEvent[] = [];
      // The events stream is hot: subscribe before the initializer runs (first inject runs it).
      const { DefaultImplicitAuthService } = await import('./default-implicit-auth.service');
      const service = TestBed.inject(DefaultImplicitAuthService);
      service.events.subscribe((event) => events.push(event));
      await service.whenReady();
      expect(events.map((e) => e.type)).toEqual(['token_received', 'signed_in']);
    });

    it('refuses a replayed response: a state is good once', async () => {
      const { fragment } = await signIn();
      const auth = await arriveWith(fragment);
      expect(auth.status()).toBe('signed-out');
      expect(auth.error()?.code).toBe('state_mismatch');
      expect(location.hash).toBe('');
    });

    it('refuses a response nobody asked for, even one with valid tokens', async () => {
      const fragment = await idp.authorizationResponse({ state: 'forged-state', nonce: 'n' });
      const auth = await arriveWith(fragment);
      expect(auth.error()?.code).toBe('state_mismatch');
      expect(auth.currentAccessToken()).toBeNull();
      expect(location.href).toBe('http://localhost/');
    });

    it('refuses a response whose transaction expired', async () => {
      const request = await startLogin(await loadPage());
      const fragment = await idp.authorizationResponse({ state: request.get('state')!, nonce: request.get('nonce')! });
      idp.clock.advance(601);
      try {
        const auth = await arriveWith(fragment);
        expect(auth.error()?.code).toBe('transaction_expired');
        expect(auth.status()).toBe('signed-out');
      } finally {
        idp.clock.advance(-601);
      }
    });

    it('refuses a 1 MB callback with invalid_response before reading it: nothing fetched, stored or consumed', async () => {
      const request = await startLogin(await loadPage());
      const state = request.get('state')!;
      const valid = await idp.authorizationResponse({ state, nonce: request.get('nonce')! });
      const fetched = idp.http.requests.length;
      const auth = await arriveWith(`${valid}&pad=${'x'.repeat(1024 * 1024)}`);
      expect(auth.error()?.code).toBe('invalid_response');
      expect(auth.status()).toBe('signed-out');
      expect(location.hash).toBe('');
      // Not validated at all (no discovery, no keys), nothing kept, and the pending sign-in left as it was.
      expect(idp.http.requests.length).toBe(fetched);
      const keys = storageKeys(idp.issuer, idp.clientId);
      expect(sessionStorage.getItem(keys.session)).toBeNull();
      expect(sessionStorage.getItem(keys.transactionPrefix + state)).not.toBeNull();
    });

    it('refuses a wrong nonce, stores nothing and strips the fragment', async () => {
      const request = await startLogin(await loadPage());
      const fragment = await idp.authorizationResponse({ state: request.get('state')!, nonce: 'other-nonce' });
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const auth = await arriveWith(fragment);
      // Never silent: one dev-mode line says what was refused and what to check.
      expect(
        warn.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('nonce_mismatch')),
      ).toHaveLength(1);
      warn.mockRestore();
      expect(auth.error()?.code).toBe('nonce_mismatch');
      expect(auth.currentAccessToken()).toBeNull();
      expect(auth.claims()).toBeNull();
      expect(location.hash).toBe('');
    });

    it('refuses an ID token also meant for another party unless trustedAudiences lists it (rule 3)', async () => {
      const extra = { aud: [idp.clientId, 'https://reports.example'], azp: idp.clientId };
      const arrive = async (config: SpecConfig) => {
        const request = await startLogin(await loadPage(config));
        const response = { state: request.get('state')!, nonce: request.get('nonce')!, claims: extra };
        history.replaceState(null, '', '/' + (await idp.authorizationResponse(response)));
        return loadPage(config);
      };
      expect((await arrive({})).error()?.code).toBe('invalid_audience');
      const trusting = await arrive({ trustedAudiences: ['https://reports.example'] });
      expect(trusting.status()).toBe('signed-in');
      expect(trusting.claims()?.aud).toEqual(extra.aud);
    });

    it('refuses an ID token issued before the sign-in started (its nonce did not exist yet) as a clock difference', async () => {
      const request = await startLogin(await loadPage());
      const startedAt = idp.clock.nowSeconds();
      idp.clock.advance(120);
      const fragment = await idp.authorizationResponse({
        state: request.get('state')!,
        nonce: request.get('nonce')!,
        claims: { iat: startedAt - 301 },
      });
      const auth = await arriveWith(fragment);
      // The first token, bound to this request's nonce: only a clock 7 min off explains it (the default skew is 300 s).
      expect(auth.error()).toMatchObject({ code: 'clock_skew', clockOffsetSeconds: 421 });
      expect(auth.status()).toBe('signed-out');
      expect(sessionStorage.getItem(storageKeys(idp.issuer, idp.clientId).session)).toBeNull();
    });

    describe('max_age', () => {
      /** Signs in with `options`, the provider reporting an authentication `ageSeconds` old. */
      async function signInAuthenticated(ageSeconds: number, maxAge?: number, config: SpecConfig = {}) {
        const auth = await loadPage(config);
        await auth.login(maxAge === undefined ? {} : { maxAge });
        const request = new URL(redirects.at(-1)!).searchParams;
        const fragment = await idp.authorizationResponse({
          state: request.get('state')!,
          nonce: request.get('nonce')!,
          claims: { auth_time: idp.clock.nowSeconds() - ageSeconds },
        });
        history.replaceState(null, '', '/' + fragment);
        return { request, auth: await loadPage(config) };
      }

      it('sends the configured maxAgeSeconds and accepts a recent enough authentication', async () => {
        const { request, auth } = await signInAuthenticated(100, undefined, { maxAgeSeconds: 600 });
        expect(request.get('max_age')).toBe('600');
        expect(auth.status()).toBe('signed-in');
      });

      it('refuses an authentication older than max_age, and lets login({ maxAge }) override the config', async () => {
        // 700 s: older than max_age (300 s) plus the default skew (300 s).
        const { request, auth } = await signInAuthenticated(700, 300, { maxAgeSeconds: 3600 });
        expect(request.get('max_age')).toBe('300');
        expect(auth.error()?.code).toBe('auth_time_too_old');
        expect(auth.status()).toBe('signed-out');
        expect(sessionStorage.getItem(storageKeys(idp.issuer, idp.clientId).session)).toBeNull();
      });

      it('sends no max_age and checks no auth_time unless asked', async () => {
        const { request, auth } = await signInAuthenticated(86_400);
        expect(request.has('max_age')).toBe(false);
        expect(auth.status()).toBe('signed-in');
      });
    });

    it('refuses duplicated response parameters', async () => {
      const request = await startLogin(await loadPage());
      const fragment = await idp.authorizationResponse({ state: request.get('state')!, nonce: request.get('nonce')! });
      const auth = await arriveWith(`${fragment}&access_token=injected`);
      expect(auth.error()?.code).toBe('duplicate_parameter');
      expect(auth.currentAccessToken()).toBeNull();
    });

    it("surfaces the provider's error verbatim when the state matches", async () => {
      const request = await startLogin(await loadPage());
      const auth = await arriveWith(
        `#error=access_denied&error_description=User%20cancelled&state=${request.get('state')}`,
      );
      expect(auth.error()).toBeInstanceOf(ImplicitAuthError);
      expect(auth.error()).toMatchObject({
        code: 'provider_error',
        error: 'access_denied',
        errorDescription: 'User cancelled',
      });
      expect(auth.status()).toBe('signed-out');
    });

    it('refuses an error response from a mixed-up provider (RFC 9207 iss on errors too)', async () => {
      const request = await startLogin(await loadPage());
      const state = request.get('state')!;
      const auth = await arriveWith(`#error=access_denied&state=${state}&iss=https%3A%2F%2Fevil.example`);
      expect(auth.error()?.code).toBe('response_issuer_mismatch');
      expect(auth.error()?.error).toBeUndefined();
    });

    it("does not surface a provider error whose state matches nothing (an attacker's text stays hidden)", async () => {
      const auth = await arriveWith('#error=access_denied&error_description=Call%20evil.example&state=nope');
      expect(auth.error()?.code).toBe('state_mismatch');
      expect(auth.error()?.errorDescription).toBeUndefined();
    });

    it('leaves the current session untouched when a later response is refused', async () => {
      const request = await startLogin(await loadPage({ storage: 'session' }));
      const fragment = await idp.authorizationResponse({ state: request.get('state')!, nonce: request.get('nonce')! });
      history.replaceState(null, '', '/' + fragment);
      const before = await loadPage({ storage: 'session' });
      const token = before.currentAccessToken()!.token;
      // A second response for a real pending transaction, but with a forged ID token: refused, session kept.
      const second = await startLogin(before);
      const forged = await idp.authorizationResponse({ state: second.get('state')!, nonce: 'attacker-nonce' });
      history.replaceState(null, '', '/' + forged);
      const after = await loadPage({ storage: 'session' });
      expect(after.error()?.code).toBe('nonce_mismatch');
      expect(after.status()).toBe('signed-in');
      expect(after.currentAccessToken()?.token).toBe(token);
      expect(after.claims()?.sub).toBe('user-1');
    });

    it('handleCallback() resolves false when the URL carries no response', async () => {
      const auth = await loadPage();
      await expect(auth.handleCallback('#section-2')).resolves.toBe(false);
    });
  });

  describe('response types', () => {
    it("'id_token' keeps no access token even if one arrives", async () => {
      const auth = await loadPage({ responseType: 'id_token', apis: [] });
      const request = await startLogin(auth);
      expect(request.get('response_type')).toBe('id_token');
      const fragment = await idp.authorizationResponse({
        state: request.get('state')!,
        nonce: request.get('nonce')!,
        responseType: 'id_token',
      });
      history.replaceState(null, '', `/${fragment}&access_token=smuggled&token_type=Bearer&expires_in=60`);
      const next = await loadPage({ responseType: 'id_token', apis: [] });
      expect(next.status()).toBe('signed-in');
      expect(next.currentAccessToken()).toBeNull();
    });

    it("'token' signs in without an ID token and sends no nonce", async () => {
      const auth = await loadPage({ responseType: 'token', scope: 'read:messages' });
      const request = await startLogin(auth);
      expect(request.get('nonce')).toBeNull();
      const fragment = await idp.authorizationResponse({ state: request.get('state')!, responseType: 'token' });
      history.replaceState(null, '', '/' + fragment);
      const next = await loadPage({ responseType: 'token', scope: 'read:messages' });
      expect(next.status()).toBe('signed-in');
      expect(next.claims()).toBeNull();
      expect(next.currentAccessToken()?.scopes).toEqual(['read:messages']);
    });

    it("'token' by default is a pure OAuth 2.0 request: no openid, no scope, no nonce", async () => {
      const request = await startLogin(await loadPage({ responseType: 'token' }));
      expect(request.get('response_type')).toBe('token');
      expect(request.has('scope')).toBe(false);
      expect(request.has('nonce')).toBe(false);
    });

    it("'token' with openid in the scope sends a nonce, fresh per request and kept with the transaction", async () => {
      const first = await startLogin(await loadPage({ responseType: 'token', scope: 'openid read:messages' }));
      const second = await startLogin(await loadPage({ responseType: 'token', scope: 'openid read:messages' }));
      expect(first.get('scope')).toBe('openid read:messages');
      expect(first.get('nonce')!.length).toBeGreaterThanOrEqual(22);
      expect(first.get('nonce')).not.toBe(second.get('nonce'));
      // No ID token comes back, so the nonce checks nothing; the access token still signs in.
      const fragment = await idp.authorizationResponse({ state: first.get('state')!, responseType: 'token' });
      history.replaceState(null, '', '/' + fragment);
      const next = await loadPage({ responseType: 'token', scope: 'openid read:messages' });
      expect(next.status()).toBe('signed-in');
      expect(next.claims()).toBeNull();
    });
  });

  describe('session', () => {
    it("forgets the tokens on reload with 'memory' storage", async () => {
      await signIn();
      const auth = await loadPage();
      expect(auth.status()).toBe('signed-out');
    });

    it("restores the session on reload with 'session' storage, dropping expired access tokens", async () => {
      const request = await startLogin(await loadPage({ storage: 'session' }));
      const fragment = await idp.authorizationResponse({
        state: request.get('state')!,
        nonce: request.get('nonce')!,
        expiresIn: 300,
      });
      history.replaceState(null, '', '/' + fragment);
      await loadPage({ storage: 'session' });
      const reloaded = await loadPage({ storage: 'session' });
      expect(reloaded.status()).toBe('signed-in');
      expect(reloaded.currentAccessToken()).not.toBeNull();
      idp.clock.advance(301);
      try {
        const later = await loadPage({ storage: 'session' });
        expect(later.status()).toBe('signed-in'); // the ID token still lives
        expect(later.currentAccessToken()).toBeNull();
      } finally {
        idp.clock.advance(-301);
      }
    });

    it('never hands out a token within the clock skew of its expiry', async () => {
      const request = await startLogin(await loadPage());
      const fragment = await idp.authorizationResponse({
        state: request.get('state')!,
        nonce: request.get('nonce')!,
        expiresIn: 120,
      });
      const auth = await arriveWith(fragment);
      idp.clock.advance(59);
      expect(auth.currentAccessToken()).not.toBeNull();
      idp.clock.advance(2);
      try {
        expect(auth.currentAccessToken()).toBeNull();
        await expect(auth.getAccessToken()).rejects.toBeInstanceOf(ImplicitAuthError);
      } finally {
        idp.clock.advance(-61);
      }
    });

    it('loads UserInfo when enabled and refuses one for another subject', async () => {
      idp.userinfo = { sub: 'user-1', nickname: 'ada' };
      const request = await startLogin(await loadPage({ loadUserInfo: true }));
      let fragment = await idp.authorizationResponse({ state: request.get('state')!, nonce: request.get('nonce')! });
      history.replaceState(null, '', '/' + fragment);
      const auth = await loadPage({ loadUserInfo: true });
      expect(auth.claims()?.['nickname']).toBe('ada');

      idp.userinfo = { sub: 'someone-else' };
      const second = await startLogin(await loadPage({ loadUserInfo: true }));
      fragment = await idp.authorizationResponse({ state: second.get('state')!, nonce: second.get('nonce')! });
      history.replaceState(null, '', '/' + fragment);
      const refused = await loadPage({ loadUserInfo: true });
      expect(refused.error()?.code).toBe('userinfo_sub_mismatch');
      expect(refused.status()).toBe('signed-out');
      idp.userinfo = { sub: 'user-1' };
    });
  });

  describe('logout', () => {
    it("ends the provider session with id_token_hint and forgets the tokens ('oidc')", async () => {
      const { auth } = await signIn();
      const signedOut = firstValueFrom(auth.events.pipe(take(1), toArray()));
      await auth.logout();
      expect(auth.status()).toBe('signed-out');
      expect(auth.currentAccessToken()).toBeNull();
      expect((await signedOut)[0]).toEqual({ type: 'signed_out', reason: 'logout' });
      const url = new URL(redirects.at(-1)!);
      expect(url.origin + url.pathname).toBe(idp.endSessionEndpoint);
      expect(url.searchParams.get('id_token_hint')).toMatch(/^ey/);
      expect(url.searchParams.get('post_logout_redirect_uri')).toBe('http://localhost/');
    });

    it("uses Auth0's /v2/logout with client_id and returnTo ('auth0')", async () => {
      const auth = await loadPage({ logout: { style: 'auth0', postLogoutRedirectUri: 'http://localhost/bye' } });
      await auth.logout();
      const url = new URL(redirects[0]);
      expect(url.pathname).toBe('/v2/logout');
      expect(url.searchParams.get('client_id')).toBe(idp.clientId);
      expect(url.searchParams.get('returnTo')).toBe('http://localhost/bye');
    });

    it('refuses a returnTo on another origin, before forgetting anything', async () => {
      const { auth } = await signIn();
      await expect(auth.logout({ returnTo: 'https://evil.example/' })).rejects.toMatchObject({
        code: 'invalid_return_url',
      });
      expect(auth.status()).toBe('signed-in');
    });

    it('forgets the tokens without leaving the app when asked', async () => {
      const { auth } = await signIn();
      const count = redirects.length;
      await auth.logout({ localOnly: true });
      expect(auth.status()).toBe('signed-out');
      expect(redirects.length).toBe(count);
    });
  });
});
