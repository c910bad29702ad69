import { TestBed } from '@angular/core/testing';
import { userFingerprint, type IdTokenClaims } from './claims';
import type { TokenStore } from './config/implicit-auth-config';
import { DefaultImplicitAuthService } from './default-implicit-auth.service';
import type { ImplicitAuthEvent } from './events';
import { storageKeys } from './session/storage-keys';
import {
  answerSilentRequests,
  createTestIssuer,
  jsonResponse,
  loadPage as loadPageOf,
  type SilentAnswers,
  type TestIssuer,
  freshPage,
  type SpecConfig,
} from './testing';

/**
 * The session as one app's own, in one tab and across tabs: two apps on one origin never share it, a sign-out
 * holds against everything that finishes after it, and a storage that refuses writes never breaks a sign-in.
 */
describe('ImplicitAuthService (session isolation, sign-out, storage)', () => {
  let idp: TestIssuer;
  let silent: SilentAnswers;
  let redirects: string[];
  const channels: BroadcastChannel[] = [];

  beforeAll(async () => {
    idp = await createTestIssuer({ issuer: 'https://idp.example' });
  });

  beforeEach(() => {
    freshPage();
    redirects = [];
    silent = answerSilentRequests(idp);
  });

  afterEach(() => {
    silent.dispose();
    channels.splice(0).forEach((channel) => channel.close());
    jest.restoreAllMocks();
    TestBed.resetTestingModule();
  });

  const keys = (clientId = idp.clientId) => storageKeys(idp.issuer, clientId);

  function loadPage(config: SpecConfig = {}, waitForStart = true) {
    return loadPageOf(
      DefaultImplicitAuthService,
      idp,
      {
        audience: 'https://api.example',
        apis: [{ url: 'https://api.example/v1' }],
        silentRenew: { timeoutMs: 5000, automatic: false },
        ...config,
      },
      redirects,
      { waitForStart },
    );
  }

  /** Leaves for the provider and comes back with a valid response in the address bar; returns that page. */
  async function arriveSignedIn(config: SpecConfig = {}, waitForStart = true) {
    await (await loadPage(config)).login();
    const request = new URL(redirects.at(-1)!).searchParams;
    const fragment = await idp.authorizationResponse({ state: request.get('state')!, nonce: request.get('nonce')! });
    history.replaceState(null, '', '/' + fragment);
    return loadPage(config, waitForStart);
  }

  async function signedIn(config: SpecConfig = {}) {
    const auth = await arriveSignedIn(config);
    expect(auth.status()).toBe('signed-in');
    return auth;
  }

  /** Another tab of the app `clientId`, speaking on its channel. */
  function otherTab(clientId = idp.clientId) {
    const channel = new BroadcastChannel(keys(clientId).namespace);
    channels.push(channel);
    const heard: unknown[] = [];
    channel.addEventListener('message', (event) => heard.push(event.data));
    return {
      heard,
      send: (data: object) => channel.postMessage({ ns: 'ngx-implicit-auth', from: 'other-tab', ...data }),
    };
  }

  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  /** A promise and the function that settles it: holds a fake provider's answer until the test says. */
  function gate() {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { open, opened };
  }

  describe('two apps on one origin', () => {
    it('never see each other’s session, hints or sign-out (storage: session, same tab)', async () => {
      await signedIn({ storage: 'session' });
      const other = await loadPage({ clientId: 'another-app', storage: 'session' });
      expect(other.status()).toBe('signed-out');
      expect(other.currentAccessToken()).toBeNull();
      // The first app's hint does not make the second one probe its provider.
      expect(silent.requests).toHaveLength(0);
      await other.logout({ localOnly: true });
      const first = await loadPage({ storage: 'session' });
      expect(first.status()).toBe('signed-in');
    });

    it('write every key under their own issuer and client id', async () => {
      await signedIn({ storage: 'session' });
      const written = [...Object.keys(sessionStorage), ...Object.keys(localStorage)];
      expect(written.length).toBeGreaterThan(0);
      for (const key of written) expect(key.startsWith(keys().namespace + '.')).toBe(true);
    });

    it('discard a stored session issued to another client, even under their own key', async () => {
      await signedIn({ storage: 'session' });
      sessionStorage.setItem(keys('another-app').session, sessionStorage.getItem(keys().session)!);
      const other = await loadPage({ clientId: 'another-app', storage: 'session' });
      expect(other.status()).toBe('signed-out');
      expect(sessionStorage.getItem(keys('another-app').session)).toBeNull();
    });

    it('discard a stored session whose ID token names another audience', async () => {
      await signedIn({ storage: 'session' });
      const kept = JSON.parse(sessionStorage.getItem(keys().session)!);
      sessionStorage.setItem(
        keys().session,
        JSON.stringify({ ...kept, claims: { ...kept.claims, aud: 'another-app' } }),
      );
      expect((await loadPage({ storage: 'session', silentRenew: false })).status()).toBe('signed-out');
      expect(sessionStorage.getItem(keys().session)).toBeNull();
    });

    it('ignore a session another tab sends when it was issued to another app', async () => {
      const auth = await loadPage();
      const tab = otherTab();
      const foreign = {
        issuer: 'https://elsewhere.example',
        clientId: idp.clientId,
        startedAt: idp.clock.now(),
        claims: idp.claims({ iss: 'https://elsewhere.example' }),
        accessTokens: { 'https://api.example': { token: 'foreign', expiresAt: idp.clock.now() + 60_000, scopes: [] } },
      };
      tab.send({ type: 'tokens_updated', audience: 'https://api.example', tokens: foreign });
      await settle();
      expect(auth.status()).toBe('signed-out');
    });
  });

  describe('sign-out holds', () => {
    it('a tab signed out by the provider refuses a session another tab renewed before that', async () => {
      const auth = await signedIn();
      await auth.renew(); // cookies work: the next login_required means the provider session ended
      const claims = auth.claims()!;
      const startedAt = idp.clock.now() - 1000;
      silent.answer = async (request) => `#error=login_required&state=${request.get('state')}`;
      await expect(auth.renew()).rejects.toMatchObject({ error: 'login_required' });
      expect(auth.status()).toBe('signed-out');
      const tab = otherTab();
      const late = { token: 'late', expiresAt: idp.clock.now() + 60_000, scopes: [] };
      const session = { issuer: idp.issuer, clientId: idp.clientId, startedAt, claims, accessTokens: { x: late } };
      tab.send({ type: 'tokens_updated', audience: 'https://api.example', tokens: session });
      await settle();
      expect(auth.status()).toBe('signed-out');
    });

    it('logout() while a callback is being checked: nothing is stored, no error is shown', async () => {
      const jwks = gate();
      idp.http.on(idp.jwksUri, async () => (await jwks.opened, jsonResponse(idp.jwks)));
      const auth = await arriveSignedIn({ storage: 'session' }, false);
      const tab = otherTab();
      await auth.logout({ localOnly: true });
      jwks.open();
      await auth.whenReady();
      idp.http.json(idp.jwksUri, () => idp.jwks);
      expect(auth.status()).toBe('signed-out');
      expect(auth.error()).toBeNull();
      expect(sessionStorage.getItem(keys().session)).toBeNull();
      await settle();
      expect(tab.heard.map((message) => (message as { type: string }).type)).toEqual(['signed_out']);
    });

    it('logout() during a session restore: the restored session is dropped', async () => {
      await signedIn();
      const answer = gate();
      const valid = silent.answer;
      silent.answer = async (request) => (await answer.opened, valid(request));
      const reloaded = await loadPage({}, false);
      await settle(); // the restore's iframe is out
      expect(silent.requests).toHaveLength(1);
      await reloaded.logout({ localOnly: true });
      answer.open();
      await reloaded.whenReady();
      expect(reloaded.status()).toBe('signed-out');
      expect(localStorage.getItem(keys().hadSession)).toBeNull();
    });

    it('logout() while a renewal that will find blocked cookies is out: no fallback sign-in starts', async () => {
      const auth = await signedIn({ silentRenew: { timeoutMs: 5000, automatic: false, onCookiesBlocked: 'redirect' } });
      const answer = gate();
      silent.answer = async (request) => (await answer.opened, `#error=login_required&state=${request.get('state')}`);
      const renewal = auth.renew();
      await settle();
      const before = redirects.length;
      await auth.logout({ localOnly: true });
      answer.open();
      await expect(renewal).rejects.toMatchObject({ code: 'signed_out' });
      await settle();
      expect(redirects.length).toBe(before);
      expect(auth.error()).toBeNull();
    });

    it('a stale tab that meets the user another tab signed in moves on to that session, signing no one out', async () => {
      const auth = await signedIn();
      const tab = otherTab();
      const newcomer = { iss: idp.issuer, sub: 'grace' } as IdTokenClaims;
      // Another tab signed out and signed Grace in; this tab missed it.
      localStorage.setItem(
        keys().hadSession,
        JSON.stringify({ at: idp.clock.now() + 1, user: userFingerprint(newcomer) }),
      );
      silent.answer = (request) =>
        idp.authorizationResponse({
          state: request.get('state')!,
          nonce: request.get('nonce')!,
          claims: { sub: 'grace' },
        });
      await expect(auth.renew()).rejects.toMatchObject({ code: 'user_switched' });
      expect(auth.claims()?.sub).toBe('grace');
      await settle();
      expect(tab.heard.map((message) => (message as { type: string }).type)).not.toContain('signed_out');
    });

    it('a user switch nobody knew of signs the user out in every tab', async () => {
      const auth = await signedIn();
      const tab = otherTab();
      silent.answer = (request) =>
        idp.authorizationResponse({
          state: request.get('state')!,
          nonce: request.get('nonce')!,
          claims: { sub: 'grace' },
        });
      await expect(auth.renew()).rejects.toMatchObject({ code: 'user_switched' });
      expect(auth.status()).toBe('signed-out');
      await settle();
      expect(tab.heard).toContainEqual(expect.objectContaining({ type: 'signed_out', at: expect.any(Number) }));
    });
  });

  describe('storage that refuses writes', () => {
    const quotaExceeded = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

    it('a full localStorage costs only the hints: the sign-in succeeds, one dev-mode warning', async () => {
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const setItem = Storage.prototype.setItem;
      jest.spyOn(Storage.prototype, 'setItem').mockImplementation(function (this: Storage, key, value) {
        if (this === localStorage) throw quotaExceeded();
        setItem.call(this, key, value);
      });
      const auth = await signedIn();
      await auth.renew();
      expect(auth.status()).toBe('signed-in');
      expect(warn.mock.calls.filter(([text]) => String(text).includes('localStorage'))).toHaveLength(1);
    });

    it('a session too large for sessionStorage: signed in for this page load, a storage_failed event, nothing half-kept', async () => {
      await loadPage({ storage: 'session' });
      const setItem = Storage.prototype.setItem;
      jest.spyOn(Storage.prototype, 'setItem').mockImplementation(function (this: Storage, key, value) {
        if (key === keys().session) throw quotaExceeded();
        setItem.call(this, key, value);
      });
      const auth = await arriveSignedIn({ storage: 'session' }, false);
      const events: ImplicitAuthEvent[] = [];
      auth.events.subscribe((event) => events.push(event));
      await auth.whenReady();
      expect(auth.status()).toBe('signed-in');
      expect(auth.error()).toBeNull();
      expect(events).toContainEqual({
        type: 'storage_failed',
        error: expect.objectContaining({ code: 'storage_failed' }),
      });
      expect(sessionStorage.getItem(keys().session)).toBeNull();
    });

    it('a TokenStore that throws: signed in, a storage_failed event', async () => {
      const store: TokenStore = {
        get: () => null,
        set: () => {
          throw new Error('disk full');
        },
        remove: () => undefined,
      };
      const auth = await arriveSignedIn({ storage: store }, false);
      const events: ImplicitAuthEvent[] = [];
      auth.events.subscribe((event) => events.push(event));
      await auth.whenReady();
      expect(auth.status()).toBe('signed-in');
      expect(events.map((event) => event.type)).toContain('storage_failed');
    });

    it('no room for the pending sign-in: login() rejects with storage_failed and does not leave', async () => {
      const auth = await loadPage();
      jest.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
        throw quotaExceeded();
      });
      await expect(auth.login()).rejects.toMatchObject({ code: 'storage_failed' });
      expect(redirects).toHaveLength(0);
      expect(auth.error()?.code).toBe('storage_failed');
    });
  });

  describe('providers that need more', () => {
    it("silentRenew.idTokenHint 'session': a reload's restore sends the last ID token as id_token_hint", async () => {
      const config = { silentRenew: { timeoutMs: 5000, automatic: false, idTokenHint: 'session' as const } };
      const auth = await signedIn(config);
      await auth.renew();
      const idToken = silent.requests[0].get('id_token_hint');
      expect(idToken).toMatch(/^ey/);
      const lastIssued = sessionStorage.getItem(keys().idTokenHint);
      await loadPage(config);
      expect(silent.requests[1].get('id_token_hint')).toBe(lastIssued);
      await (await loadPage(config)).logout({ localOnly: true });
      expect(sessionStorage.getItem(keys().idTokenHint)).toBeNull();
    });

    it('by default a reload keeps no ID token: the restore goes without a hint', async () => {
      const auth = await signedIn();
      await auth.renew();
      await loadPage();
      expect(silent.requests[1].has('id_token_hint')).toBe(false);
      expect(Object.values(sessionStorage).some((value) => value.startsWith('ey'))).toBe(false);
    });

    it('a restore the provider refuses for another reason than an interaction is shown in error()', async () => {
      await (await signedIn()).renew();
      silent.answer = async (request) =>
        `#error=invalid_request&error_description=id_token_hint+required&state=${request.get('state')}`;
      const reloaded = await loadPage();
      expect(reloaded.status()).toBe('signed-out');
      expect(reloaded.error()).toMatchObject({ code: 'provider_error', error: 'invalid_request' });
    });

    it('a restore that fails on the network keeps the hint: the next reload tries again', async () => {
      await (await signedIn()).renew();
      idp.http.unreachable(idp.jwksUri);
      try {
        const reloaded = await loadPage();
        expect(reloaded.error()?.code).toBe('network_error');
        expect(localStorage.getItem(keys().hadSession)).not.toBeNull();
      } finally {
        idp.http.json(idp.jwksUri, () => idp.jwks);
      }
      expect((await loadPage()).status()).toBe('signed-in');
    });

    it('a restore that meets login_required just means signed out: no error', async () => {
      await (await signedIn()).renew();
      silent.answer = async (request) => `#error=login_required&state=${request.get('state')}`;
      const reloaded = await loadPage();
      expect(reloaded.status()).toBe('signed-out');
      expect(reloaded.error()).toBeNull();
      expect(localStorage.getItem(keys().hadSession)).toBeNull();
    });

    it('hands login({ appState }) back in the signed_in event, and keeps it out of the authorize request', async () => {
      await (await loadPage()).login({ appState: { draft: 'half a message', step: 2 } });
      const request = new URL(redirects.at(-1)!);
      expect(request.href).not.toContain('half');
      const fragment = await idp.authorizationResponse({
        state: request.searchParams.get('state')!,
        nonce: request.searchParams.get('nonce')!,
      });
      history.replaceState(null, '', '/' + fragment);
      const events: ImplicitAuthEvent[] = [];
      const auth = await loadPage({}, false);
      auth.events.subscribe((event) => events.push(event));
      await auth.whenReady();
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'signed_in', appState: { draft: 'half a message', step: 2 } }),
      );
    });

    it('announces token_expiring before expiry; renews right after only when renewal is automatic', async () => {
      for (const automatic of [false, true]) {
        const auth = await signedIn({ silentRenew: { timeoutMs: 5000, automatic, marginSeconds: 60 } });
        const events: ImplicitAuthEvent[] = [];
        auth.events.subscribe((event) => events.push(event));
        const { expiresAt } = auth.currentAccessToken()!;
        const before = silent.requests.length;
        idp.clock.advance(3600 - 59);
        try {
          // Timers of a sleeping tab are late: the planned moment is checked again when the page gets focus.
          window.dispatchEvent(new Event('focus'));
          await settle();
          expect(events[0]).toEqual({ type: 'token_expiring', audience: 'https://api.example', expiresAt });
          expect(silent.requests.length - before).toBe(automatic ? 1 : 0);
        } finally {
          idp.clock.advance(-(3600 - 59));
        }
        TestBed.resetTestingModule();
      }
    });

    it('exposes the raw ID token while signed in, and null after sign-out', async () => {
      const auth = await signedIn();
      expect(auth.idToken()).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(JSON.parse(atob(auth.idToken()!.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).sub).toBe(
        auth.claims()?.sub,
      );
      await auth.logout({ localOnly: true });
      expect(auth.idToken()).toBeNull();
    });

    it('adds logout({ params }) to the provider logout URL, and refuses to override its own parameters', async () => {
      const auth = await signedIn();
      await expect(
        auth.logout({ params: { post_logout_redirect_uri: 'https://evil.example/' } }),
      ).rejects.toMatchObject({ code: 'invalid_config' });
      expect(auth.status()).toBe('signed-in'); // refused before anything was signed out
      await auth.logout({ params: { federated: '', logout_hint: 'ada' } });
      const url = new URL(redirects.at(-1)!);
      expect(url.searchParams.get('federated')).toBe('');
      expect(url.searchParams.get('logout_hint')).toBe('ada');
      expect(url.searchParams.get('post_logout_redirect_uri')).toBe('http://localhost/');
    });

    it('logout sends a fresh state and takes exactly that state out of the address bar on return', async () => {
      const auth = await signedIn();
      await auth.logout();
      const state = new URL(redirects.at(-1)!).searchParams.get('state');
      expect(state?.length).toBeGreaterThanOrEqual(22);
      history.replaceState(null, '', `/?state=${state}&tab=2`);
      await loadPage();
      expect(location.pathname + location.search).toBe('/?tab=2');
      history.replaceState(null, '', `/?state=${state}`);
      await loadPage();
      expect(location.search).toBe(`?state=${state}`); // used once; now it may be the app's own
    });
  });
});
