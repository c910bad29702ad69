import { TestBed } from '@angular/core/testing';
import { DefaultImplicitAuthService } from './default-implicit-auth.service';
import type { ImplicitAuthEvent } from './events';
import { storageKeys } from './session/storage-keys';
import {
  answerSilentRequests,
  createFakeLocks,
  createTestIssuer,
  type FakeLocks,
  loadPage as loadPageOf,
  type SilentAnswers,
  type TestIssuer,
  freshPage,
  type SpecConfig,
} from './testing';

/**
 * Silent renewal through the real hidden-iframe channel: a fake provider watches for the library's iframe,
 * reads its authorize URL and answers the way `silent-callback.html` does, with a message from the iframe's
 * window on the app's origin. Every response gets the library's full validation.
 */
describe('ImplicitAuthService (silent renewal)', () => {
  let idp: TestIssuer;
  let silent: SilentAnswers;
  let requests: URLSearchParams[];
  let redirects: string[];

  beforeAll(async () => {
    idp = await createTestIssuer({ issuer: 'https://idp.example' });
  });

  beforeEach(() => {
    freshPage();
    redirects = [];
    silent = answerSilentRequests(idp);
    requests = silent.requests;
  });

  afterEach(() => {
    silent.dispose();
    TestBed.resetTestingModule();
  });

  const keys = () => storageKeys(idp.issuer, idp.clientId);

  /** A session as another tab of this app would share it, begun at `startedAt` (default: now). */
  function sessionFromOtherTab(auth: DefaultImplicitAuthService, token: string, startedAt = idp.clock.now()) {
    return {
      issuer: idp.issuer,
      clientId: idp.clientId,
      startedAt,
      idToken: 'x',
      claims: { ...auth.claims()! },
      accessTokens: { 'https://api.example': { token, expiresAt: idp.clock.now() + 3600_000, scopes: [] } },
    };
  }

  function loadPage(config: SpecConfig = {}): Promise<DefaultImplicitAuthService> {
    return loadPageOf(
      DefaultImplicitAuthService,
      idp,
      {
        audience: 'https://api.example',
        apis: [
          { url: 'https://api.example/v1' },
          { url: 'https://reports.example', audience: 'https://reports', scope: 'read:reports' },
        ],
        silentRenew: { timeoutMs: 200, automatic: false },
        ...config,
      },
      redirects,
    );
  }

  /** An interactive sign-in round trip, leaving a signed-in page. */
  async function signedIn(
    config: SpecConfig = {},
    claims: Record<string, unknown> = {},
  ): Promise<DefaultImplicitAuthService> {
    await (await loadPage(config)).login();
    const request = new URL(redirects.at(-1)!).searchParams;
    const fragment = await idp.authorizationResponse({
      state: request.get('state')!,
      nonce: request.get('nonce')!,
      claims,
    });
    history.replaceState(null, '', '/' + fragment);
    const auth = await loadPage(config);
    expect(auth.status()).toBe('signed-in');
    return auth;
  }

  it('renews with prompt=none, id_token_hint, the audience and a fresh state and nonce', async () => {
    const auth = await signedIn();
    const before = auth.currentAccessToken()!.token;
    await auth.renew();
    expect(requests).toHaveLength(1);
    const request = requests[0];
    expect(request.get('prompt')).toBe('none');
    expect(request.get('id_token_hint')).toMatch(/^ey/);
    expect(request.get('audience')).toBe('https://api.example');
    expect(request.get('redirect_uri')).toBe('http://localhost/silent-callback.html');
    expect(request.get('state')!.length).toBeGreaterThanOrEqual(22);
    expect(auth.currentAccessToken()!.token).not.toBe(before);
    // The iframe goes in the task after the answer, off the renewal's critical path.
    await new Promise((resolve) => setTimeout(resolve));
    expect(document.querySelector('iframe')).toBeNull();
  });

  it('refuses a renewal answered with an ID token issued before the renewal started', async () => {
    const auth = await signedIn();
    const signedInAt = idp.clock.nowSeconds();
    idp.clock.advance(1800);
    // Fresh nonce and state, but minted at sign-in time: older than this renewal's own request.
    silent.answer = (request) =>
      idp.authorizationResponse({
        state: request.get('state')!,
        nonce: request.get('nonce')!,
        claims: { iat: signedInAt },
      });
    await expect(auth.renew()).rejects.toMatchObject({ code: 'invalid_iat' });
    expect(requests).toHaveLength(1);
  });

  it('carries the configured max_age and checks the renewed ID token’s auth_time', async () => {
    const authenticatedAt = idp.clock.nowSeconds();
    silent.answer = (request) =>
      idp.authorizationResponse({
        state: request.get('state')!,
        nonce: request.get('nonce')!,
        claims: { auth_time: authenticatedAt },
      });
    const auth = await signedIn({ maxAgeSeconds: 900 }, { auth_time: authenticatedAt });
    idp.clock.advance(600);
    await auth.renew();
    expect(requests[0].get('max_age')).toBe('900');
    // Past max_age (and the 300 s skew), a provider that renews anyway without signing the user in again is not
    // believed.
    idp.clock.advance(700);
    await expect(auth.renew()).rejects.toMatchObject({ code: 'auth_time_too_old' });
    expect(requests[1].get('max_age')).toBe('900');
  });

  it('shares one renewal among concurrent callers', async () => {
    const auth = await signedIn();
    const rejected = auth.currentAccessToken()!.token;
    const tokens = await Promise.all(Array.from({ length: 5 }, () => auth.getAccessToken({ replacing: rejected })));
    expect(requests).toHaveLength(1);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(rejected);
  });

  it('gets a token for another audience with that API’s scope, keeping the first one', async () => {
    const auth = await signedIn();
    const first = auth.currentAccessToken()!.token;
    const reports = await auth.getAccessToken({ audience: 'https://reports' });
    expect(requests[0].get('audience')).toBe('https://reports');
    // The API's own scope, with `openid` added: an ID token comes back with every renewal.
    expect(requests[0].get('scope')).toBe('openid read:reports');
    expect(reports).not.toBe(first);
    expect(auth.currentAccessToken()!.token).toBe(first);
    expect(auth.currentAccessToken({ audience: 'https://reports' })!.token).toBe(reports);
  });

  it('signs out cleanly on login_required and starts no retry', async () => {
    const auth = await signedIn();
    await auth.renew(); // cookies work: a later login_required means the provider session really ended
    const events: ImplicitAuthEvent[] = [];
    auth.events.subscribe((event) => events.push(event));
    silent.answer = async (request) => `#error=login_required&state=${request.get('state')}`;
    await expect(auth.renew()).rejects.toMatchObject({ code: 'provider_error', error: 'login_required' });
    expect(auth.status()).toBe('signed-out');
    expect(auth.error()?.error).toBe('login_required');
    expect(events.map((e) => e.type)).toContain('signed_out');
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'not_authenticated' });
    expect(requests).toHaveLength(2);
  });

  it('reports blocked third-party cookies when the first renewal after sign-in needs login', async () => {
    const auth = await signedIn();
    const events: ImplicitAuthEvent[] = [];
    auth.events.subscribe((event) => events.push(event));
    silent.answer = async (request) => `#error=login_required&state=${request.get('state')}`;
    await expect(auth.renew()).rejects.toMatchObject({ code: 'third_party_cookies_blocked', error: 'login_required' });
    expect(events.map((e) => e.type)).toContain('third_party_cookies_blocked');
    expect(auth.status()).toBe('signed-out');
    // No loop: nothing retries by itself.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requests).toHaveLength(1);
  });

  it('does not sign the user back in when they log out while a renewal is under way', async () => {
    const auth = await signedIn({ storage: 'session' });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    silent.answer = async (request) => {
      await released;
      return idp.authorizationResponse({ state: request.get('state')!, nonce: request.get('nonce')! });
    };
    const renewal = auth.renew();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await auth.logout({ localOnly: true });
    release();
    await expect(renewal).rejects.toMatchObject({ code: 'signed_out' });
    expect(auth.status()).toBe('signed-out');
    expect(auth.error()).toBeNull();
    expect(sessionStorage.getItem(keys().session)).toBeNull();
    expect(localStorage.getItem(keys().hadSession)).toBeNull();
  });

  it('ignores tokens another tab renewed after this tab signed out', async () => {
    const auth = await signedIn();
    const claims = { ...auth.claims()! };
    await auth.logout({ localOnly: true });
    const otherTab = new BroadcastChannel(keys().namespace);
    try {
      // Begun before the sign-out (a renewal that finished late in another tab): refused.
      otherTab.postMessage({
        ns: 'ngx-implicit-auth',
        from: 'other-tab',
        type: 'tokens_updated',
        audience: 'https://api.example',
        tokens: { ...sessionFromOtherTab(auth, 'late', idp.clock.now() - 1000), claims },
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(auth.status()).toBe('signed-out');
      // Begun after it (an interactive sign-in in another tab): adopted.
      idp.clock.advance(1);
      otherTab.postMessage({
        ns: 'ngx-implicit-auth',
        from: 'other-tab',
        type: 'tokens_updated',
        audience: 'https://api.example',
        tokens: { ...sessionFromOtherTab(auth, 'signed-in-again'), claims },
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(auth.currentAccessToken()?.token).toBe('signed-in-again');
    } finally {
      otherTab.close();
    }
  });

  it('treats a renewal for another user as a user switch: session cleared, nothing adopted', async () => {
    const auth = await signedIn();
    silent.answer = (request) =>
      idp.authorizationResponse({
        state: request.get('state')!,
        nonce: request.get('nonce')!,
        claims: { sub: 'mallory' },
      });
    await expect(auth.renew()).rejects.toMatchObject({ code: 'user_switched' });
    expect(auth.status()).toBe('signed-out');
    expect(auth.currentAccessToken()).toBeNull();
  });

  it('refuses a renewal response that fails validation and keeps the current tokens', async () => {
    const auth = await signedIn();
    const kept = auth.currentAccessToken()!.token;
    silent.answer = (request) => idp.authorizationResponse({ state: request.get('state')!, nonce: 'replayed-nonce' });
    await expect(auth.renew()).rejects.toMatchObject({ code: 'nonce_mismatch' });
    expect(auth.status()).toBe('signed-in');
    expect(auth.currentAccessToken()!.token).toBe(kept);
  });

  it('times out when the provider never answers, removing the iframe', async () => {
    const auth = await signedIn();
    silent.answer = async () => null;
    await expect(auth.renew()).rejects.toMatchObject({ code: 'timeout' });
    expect(document.querySelector('iframe')).toBeNull();
    expect(auth.error()?.code).toBe('timeout');
  });

  it('restores the session silently on reload when this browser had one', async () => {
    await signedIn();
    history.replaceState(null, '', '/profile');
    const reloaded = await loadPage();
    expect(reloaded.status()).toBe('signed-in');
    expect(reloaded.currentAccessToken()).not.toBeNull();
    expect(requests.at(-1)!.get('prompt')).toBe('none');
  });

  it('fetches the key set for a restore on reload while the iframe is out, not after the answer', async () => {
    await signedIn();
    const jwksFetches = () => idp.http.count(idp.jwksUri);
    const before = jwksFetches();
    let fetchedWhenAnswered: number | undefined;
    silent.answer = async (request) => {
      const response = await idp.authorizationResponse({ state: request.get('state')!, nonce: request.get('nonce')! });
      fetchedWhenAnswered = jwksFetches();
      return response;
    };
    // A new page load keeps no key set and (storage: memory) no ID token to name a key: the set still comes early.
    const reloaded = await loadPage();
    expect(reloaded.status()).toBe('signed-in');
    expect(fetchedWhenAnswered).toBe(before + 1);
    expect(jwksFetches()).toBe(before + 1);
  });

  it('does not probe the provider on a first visit, and a failed restore is no error', async () => {
    const first = await loadPage();
    expect(first.status()).toBe('signed-out');
    expect(requests).toHaveLength(0);

    const auth = await signedIn();
    await auth.renew(); // cookies known to work: a later login_required means the provider session ended
    silent.answer = async (request) => `#error=login_required&state=${request.get('state')}`;
    const reloaded = await loadPage();
    expect(reloaded.status()).toBe('signed-out');
    expect(reloaded.error()).toBeNull();
    // The hint is gone: the next load does not probe again.
    await loadPage();
    expect(requests).toHaveLength(2);
  });

  it("starts one interactive sign-in on blocked cookies with onCookiesBlocked: 'redirect', none by default", async () => {
    const config = { silentRenew: { timeoutMs: 200, automatic: false, onCookiesBlocked: 'redirect' as const } };
    const auth = await signedIn(config);
    const before = redirects.length;
    silent.answer = async (request) => `#error=login_required&state=${request.get('state')}`;
    await expect(auth.renew()).rejects.toMatchObject({ code: 'third_party_cookies_blocked' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(redirects.slice(before).map((url) => new URL(url).searchParams.get('prompt'))).toEqual([null]);

    const quiet = await signedIn();
    const count = redirects.length;
    await expect(quiet.renew()).rejects.toMatchObject({ code: 'third_party_cookies_blocked' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(redirects.length).toBe(count);
  });

  it('reports blocked third-party cookies when the restore right after sign-in needs login', async () => {
    await signedIn();
    silent.answer = async (request) => `#error=login_required&state=${request.get('state')}`;
    const reloaded = await loadPage();
    expect(reloaded.status()).toBe('signed-out');
    expect(reloaded.error()?.code).toBe('third_party_cookies_blocked');
  });

  it('hands out a token that lives less than the clock skew, until half its lifetime is left', async () => {
    silent.answer = (request) =>
      idp.authorizationResponse({ state: request.get('state')!, nonce: request.get('nonce')!, expiresIn: 30 });
    const auth = await signedIn();
    await auth.renew();
    expect(auth.currentAccessToken()).not.toBeNull();
    idp.clock.advance(14);
    try {
      expect(auth.currentAccessToken()).not.toBeNull();
      idp.clock.advance(2);
      expect(auth.currentAccessToken()).toBeNull();
    } finally {
      idp.clock.advance(-16);
    }
  });

  it('fetches a key set that has aged while the iframe is out, so validating the answer does not wait for it', async () => {
    const auth = await signedIn();
    const jwksFetches = () => idp.http.count(idp.jwksUri);
    const before = jwksFetches();
    // Older than the key set's 600 s: the answer's signature needs the set fetched again.
    idp.clock.advance(601);
    let fetchedWhenAnswered: number | undefined;
    silent.answer = async (request) => {
      const response = await idp.authorizationResponse({ state: request.get('state')!, nonce: request.get('nonce')! });
      fetchedWhenAnswered = jwksFetches();
      return response;
    };
    await auth.renew();
    expect(fetchedWhenAnswered).toBe(before + 1);
    expect(jwksFetches()).toBe(before + 1);
  });

  describe('while another tab holds the renewal lock', () => {
    let locks: FakeLocks;
    let otherTab: BroadcastChannel;

    beforeEach(() => {
      locks = createFakeLocks();
      Object.defineProperty(navigator, 'locks', { configurable: true, value: locks });
      otherTab = new BroadcastChannel(keys().namespace);
    });

    afterEach(() => {
      delete (navigator as { locks?: unknown }).locks;
      // An open channel keeps the test process alive.
      otherTab.close();
    });

    /** Holds this app's renewal lock for the API's audience, as another tab renewing does, until released. */
    function holdLock(): () => Promise<void> {
      let release!: () => void;
      const held = locks.request(
        `${keys().namespace}:renew:https://api.example`,
        {},
        () => new Promise<boolean>((resolve) => (release = () => resolve(true))),
      );
      return async () => {
        release();
        await held;
      };
    }

    it('sends nothing while waiting, and nothing at all once that tab’s tokens arrive', async () => {
      const auth = await signedIn();
      const release = holdLock();
      const renewal = auth.renew();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(requests).toHaveLength(0);
      expect(document.querySelector('iframe')).toBeNull();
      const tokens = sessionFromOtherTab(auth, 'from-other-tab');
      otherTab.postMessage({
        ns: 'ngx-implicit-auth',
        from: 'other-tab',
        type: 'tokens_updated',
        audience: 'https://api.example',
        tokens,
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await release();
      await renewal;
      expect(requests).toHaveLength(0);
      expect(document.querySelector('iframe')).toBeNull();
      expect(auth.currentAccessToken()!.token).toBe('from-other-tab');
    });

    it('sends its own request, once, when that tab ends without tokens', async () => {
      const auth = await signedIn();
      const before = auth.currentAccessToken()!.token;
      const release = holdLock();
      const renewal = auth.renew();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await release();
      await renewal;
      expect(requests).toHaveLength(1);
      expect(auth.currentAccessToken()!.token).not.toBe(before);
    });
  });

  it('signs out when another tab signs out, and adopts tokens another tab renewed', async () => {
    const auth = await signedIn();
    const otherTab = new BroadcastChannel(keys().namespace);
    const message = (data: object) => otherTab.postMessage({ ns: 'ngx-implicit-auth', from: 'other-tab', ...data });
    const renewed = sessionFromOtherTab(auth, 'from-other-tab');
    // An open channel keeps the test process alive: close it whatever happens.
    try {
      message({ type: 'tokens_updated', audience: 'https://api.example', tokens: renewed });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(auth.currentAccessToken()!.token).toBe('from-other-tab');
      message({ type: 'signed_out', at: idp.clock.now() });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(auth.status()).toBe('signed-out');
    } finally {
      otherTab.close();
    }
  });
});
