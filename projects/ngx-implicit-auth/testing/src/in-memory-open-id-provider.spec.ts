import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import {
  authGuard,
  IMPLICIT_AUTH_CLOCK,
  IMPLICIT_AUTH_FETCH,
  type ImplicitAuthConfig,
  type ImplicitAuthFeature,
  ImplicitAuthService,
  provideImplicitAuth,
  withConfigLoader,
  withSilentRenew,
  withStorage,
  withTabSync,
  withUserInfo,
} from 'ngx-implicit-auth';
import {
  InMemoryOpenIdProvider,
  type InMemoryOpenIdProviderOptions,
  provideInMemoryOpenIdProvider,
} from 'ngx-implicit-auth/testing';
import { storageKeys } from '../../src/lib/session/storage-keys';

@Component({ template: '' })
class BlankPage {}

/** On the app's host name (jsdom's `localhost`), as a provider must be for silent renewal to keep its cookie. */
const ISSUER = 'https://localhost:8443';
const CLIENT_ID = 'spa';
const API = 'https://api.example';
const ada = { sub: 'ada', name: 'Ada Lovelace', email: 'ada@example.com' };
const grace = { sub: 'grace', name: 'Grace Hopper' };

/** An app set up as the README's quick start says, with the provider in memory. */
interface AppSetUp {
  readonly config?: Partial<ImplicitAuthConfig>;
  /** Default: the quick start's, `withSilentRenew()` and `withTabSync()`. */
  readonly features?: readonly ImplicitAuthFeature[];
  readonly provider?: InMemoryOpenIdProviderOptions;
}

/** A page load of the app. */
async function startApp({ config, features = [withSilentRenew(), withTabSync()], provider }: AppSetUp = {}) {
  TestBed.configureTestingModule({
    providers: [
      provideRouter([
        { path: 'private', canActivate: [authGuard], component: BlankPage },
        { path: '**', component: BlankPage },
      ]),
      provideImplicitAuth(
        { issuer: ISSUER, clientId: CLIENT_ID, audience: API, apis: [{ url: API }], ...config },
        ...features,
      ),
      provideInMemoryOpenIdProvider(provider),
    ],
  });
  const auth = TestBed.inject(ImplicitAuthService);
  await auth.whenReady();
  return { auth, idp: TestBed.inject(InMemoryOpenIdProvider) };
}

describe('InMemoryOpenIdProvider', () => {
  beforeEach(() => history.replaceState(null, '', '/'));

  describe('signInAs', () => {
    it("signs the user in through the app's login() and callback, with tokens bound to the request", async () => {
      const { auth, idp } = await startApp();
      const tokens = await idp.signInAs(ada);

      expect(auth.status()).toBe('signed-in');
      expect(auth.claims()).toMatchObject({ ...ada, iss: ISSUER, aud: CLIENT_ID });
      expect(auth.idToken()).toBe(tokens.idToken);
      expect(auth.currentAccessToken()?.token).toBe(tokens.accessToken);
      expect(idp.user).toEqual(ada);
      expect(idp.pendingSignIn).toBeNull();
      const [request] = idp.requests;
      expect(idp.requests).toHaveLength(1);
      expect(request?.silent).toBe(false);
      expect(request?.params.get('client_id')).toBe(CLIENT_ID);
      expect(request?.params.get('response_type')).toBe('id_token token');
      // A real ID token: signed with the provider's key (the app checked it against the JWK Set), for this request.
      expect(decodeProtectedHeader(tokens.idToken!)).toMatchObject({ alg: 'RS256', typ: 'JWT' });
      const claims = decodeJwt(tokens.idToken!);
      expect(claims['nonce']).toBe(request?.params.get('nonce'));
      expect(claims['at_hash']).toEqual(expect.any(String));
      expect(claims['auth_time']).toBe(claims.iat);
    });

    it('answers the sign-in the guard started, and the app lands on the page asked for', async () => {
      const { auth, idp } = await startApp();
      const router = TestBed.inject(Router);
      await router.navigateByUrl('/');
      expect(await router.navigateByUrl('/private?tab=2')).toBe(false);
      expect(idp.pendingSignIn?.silent).toBe(false);
      await idp.signInAs(ada);
      expect(router.url).toBe('/private?tab=2');
      expect(auth.claims()?.sub).toBe('ada');
      expect(idp.requests).toHaveLength(1);
    });

    it('signs another user in after the first, as the same page can again', async () => {
      const { auth, idp } = await startApp();
      await idp.signInAs(ada);
      await idp.signInAs(grace);
      expect(auth.claims()).toMatchObject(grace);
      expect(idp.requests.map((request) => request.silent)).toEqual([false, false]);
    });

    it('grants the scopes given, for renewals too', async () => {
      const { auth, idp } = await startApp();
      await idp.signInAs(ada, { scopes: ['openid', 'read:messages'] });
      expect(auth.currentAccessToken()?.scopes).toEqual(['openid', 'read:messages']);
      await auth.renew();
      expect(auth.currentAccessToken()?.scopes).toEqual(['openid', 'read:messages']);
    });

    it("rejects with the app's error when the app refuses the response", async () => {
      const { auth, idp } = await startApp({ config: { algorithms: ['ES256'] }, provider: { algorithm: 'RS256' } });
      await expect(idp.signInAs(ada)).rejects.toMatchObject({ code: 'unsupported_algorithm' });
      expect(auth.status()).toBe('signed-out');
    });
  });

  describe('silent renewal', () => {
    it('renews expired tokens for the signed-in user through the hidden iframe', async () => {
      const { auth, idp } = await startApp();
      const first = await idp.signInAs(ada);
      idp.expireTokens();
      expect(auth.currentAccessToken()).toBeNull();

      const renewed = await auth.getAccessToken();
      expect(renewed).not.toBe(first.accessToken);
      expect(auth.claims()?.sub).toBe('ada');
      const silent = idp.requests.filter((request) => request.silent);
      expect(silent).toHaveLength(1);
      expect(silent[0]?.params.get('prompt')).toBe('none');
      expect(silent[0]?.params.get('id_token_hint')).toBe(first.idToken);
    });

    it('fails the next renewal only with the error set, and the app signs out on login_required', async () => {
      const { auth, idp } = await startApp();
      await idp.signInAs(ada);
      idp.failNextRenewal('login_required', 'Session gone');

      await expect(auth.renew()).rejects.toMatchObject({
        code: 'provider_error',
        error: 'login_required',
        errorDescription: 'Session gone',
      });
      expect(auth.status()).toBe('signed-out');
      // Once: the provider's session is still there, so the next sign-in's renewal works again.
      expect(idp.user).toEqual(ada);
      await idp.signInAs(ada);
      await expect(auth.renew()).resolves.toBeUndefined();
      expect(auth.isAuthenticated()).toBe(true);
    });

    it('keeps the session after a refusal that needs no interaction', async () => {
      const { auth, idp } = await startApp();
      await idp.signInAs(ada);
      idp.failNextRenewal('temporarily_unavailable');
      await expect(auth.renew()).rejects.toMatchObject({ error: 'temporarily_unavailable' });
      expect(auth.isAuthenticated()).toBe(true);
    });

    it('answers login_required once the session at the provider has ended', async () => {
      const { auth, idp } = await startApp();
      await idp.signInAs(ada);
      idp.signOut();
      expect(idp.user).toBeNull();
      await expect(auth.renew()).rejects.toMatchObject({ error: 'login_required' });
      expect(auth.status()).toBe('signed-out');
    });

    it("ends the provider's session when the app logs out there", async () => {
      const { auth, idp } = await startApp();
      await idp.signInAs(ada);
      await auth.logout();
      expect(auth.status()).toBe('signed-out');
      expect(idp.user).toBeNull();
    });

    it.each<[string, AppSetUp]>([
      ['response_mode=web_message', { features: [withSilentRenew({ webMessage: true })] }],
      ['an ID token only', { config: { responseType: 'id_token', audience: undefined, apis: [] } }],
      ['ES256', { config: { algorithms: ['ES256'] } }],
      [
        'EdDSA, chosen for the provider',
        { config: { algorithms: ['RS256', 'EdDSA'] }, provider: { algorithm: 'EdDSA' } },
      ],
    ])('signs in and renews with %s', async (_name, setUp) => {
      const { auth, idp } = await startApp(setUp);
      const { idToken } = await idp.signInAs(ada);
      await auth.renew();
      expect(auth.idToken()).not.toBe(idToken);
      expect(auth.claims()?.sub).toBe('ada');
      expect(idp.requests.filter((request) => request.silent)).toHaveLength(1);
    });
  });

  describe('time', () => {
    it('supplies the clock the app runs on, starting where asked', async () => {
      const { auth, idp } = await startApp({
        provider: { startTime: Date.UTC(2030, 0, 1), tokenLifetimeSeconds: 600 },
      });
      const clock = TestBed.inject(IMPLICIT_AUTH_CLOCK);
      expect(clock.now()).toBe(Date.UTC(2030, 0, 1));
      await idp.signInAs(ada);
      expect(auth.currentAccessToken()?.expiresAt).toBe(Date.UTC(2030, 0, 1) + 600_000);
      idp.advanceClock(60);
      expect(clock.now()).toBe(Date.UTC(2030, 0, 1) + 60_000);
      idp.expireTokens();
      expect(clock.now()).toBe(Date.UTC(2030, 0, 1) + 600_000);
    });
  });

  it("serves UserInfo for its access tokens until they expire, for the app's loadUserInfo", async () => {
    const { auth, idp } = await startApp({ features: [withSilentRenew(), withUserInfo()] });
    const { accessToken } = await idp.signInAs({ ...ada, locale: 'en-GB' });
    expect(auth.claims()).toMatchObject({ locale: 'en-GB' });
    const appFetch = TestBed.inject(IMPLICIT_AUTH_FETCH);
    const userinfo = `${ISSUER}/userinfo`;
    const ask = (token: string) => appFetch(userinfo, { headers: { Authorization: `Bearer ${token}` } });
    await expect((await ask(accessToken!)).json()).resolves.toEqual({ ...ada, locale: 'en-GB' });
    expect((await ask('forged')).status).toBe(401);
    idp.expireTokens();
    expect((await ask(accessToken!)).status).toBe(401);
  });

  it('starts on a fresh browser: what the library kept in storage in an earlier test is forgotten', async () => {
    const { hadSession, session } = storageKeys(ISSUER, CLIENT_ID);
    const otherApp = storageKeys('https://other.example', 'other-client');
    localStorage.setItem(hadSession, '1');
    sessionStorage.setItem(session, '{}');
    localStorage.setItem(otherApp.hadSession, '1');
    localStorage.setItem('the-apps-own', 'kept');
    const { auth, idp } = await startApp({ features: [withSilentRenew(), withStorage('session')] });
    // No session restore at start-up: nothing told the app that this browser held a session.
    expect(idp.requests).toEqual([]);
    expect(auth.status()).toBe('signed-out');
    expect(localStorage.getItem(hadSession)).toBeNull();
    expect(sessionStorage.getItem(session)).toBeNull();
    expect(localStorage.getItem(otherApp.hadSession)).toBeNull();
    expect(localStorage.getItem('the-apps-own')).toBe('kept');
    localStorage.removeItem('the-apps-own');
  });

  it('serves a config loaded at start-up (withConfigLoader)', async () => {
    TestBed.configureTestingModule({
      providers: [
        provideImplicitAuth(
          withConfigLoader(async () => ({ issuer: ISSUER, clientId: CLIENT_ID, audience: API, apis: [{ url: API }] })),
          withSilentRenew(),
        ),
        provideInMemoryOpenIdProvider(),
      ],
    });
    const idp = TestBed.inject(InMemoryOpenIdProvider);
    await idp.signInAs(ada);
    idp.expireTokens();
    const auth = TestBed.inject(ImplicitAuthService);
    await expect(auth.getAccessToken()).resolves.toEqual(expect.any(String));
    expect(auth.claims()?.sub).toBe('ada');
  });

  it('answers only its own iframes, and stops when the test bed is destroyed', async () => {
    const { idp } = await startApp();
    const frame = document.createElement('iframe');
    frame.src = `https://elsewhere.example/authorize?prompt=none&state=x`;
    document.body.appendChild(frame);
    await new Promise((resolve) => setTimeout(resolve));
    expect(idp.requests).toEqual([]);
    frame.remove();
    TestBed.resetTestingModule();
    const late = document.createElement('iframe');
    late.src = `${ISSUER}/authorize?prompt=none&state=y`;
    document.body.appendChild(late);
    await new Promise((resolve) => setTimeout(resolve));
    expect(idp.requests).toEqual([]);
    late.remove();
  });
});
