import { TestBed } from '@angular/core/testing';
import {
  IMPLICIT_AUTH_CLOCK,
  ImplicitAuthError,
  type ImplicitAuthEvent,
  ImplicitAuthService,
  isInteractionRequired,
} from 'ngx-implicit-auth';
import { FakeImplicitAuthService, provideImplicitAuthTesting } from 'ngx-implicit-auth/testing';
import {
  answerSilentRequests,
  createFakeClock,
  FAKE_CLOCK_START,
  createTestIssuer,
  loadPage,
  type SilentAnswers,
  type TestIssuer,
} from '../../src/lib/testing';

/**
 * The contract of `ImplicitAuthService`, run against the real service (an in-memory provider signing real tokens,
 * a real callback, renewals answered through the real hidden iframe) and against `FakeImplicitAuthService`. Only
 * the seam differs: where tokens come from. Every rule (token lifetime, `replacing`, sign-out on `login_required`,
 * events, observables) must hold identically, or the fake lets an app's tests pass that the real service fails.
 */

/** The app's settings, the same for both. The provider is on the app's host name (its cookies are first-party). */
const ISSUER = 'https://localhost:8443';
const CLIENT_ID = 'spa-client';
const AUDIENCE = 'https://api.example';
const SKEW_SECONDS = 60;
const CONFIG = { audience: AUDIENCE, apis: [{ url: `${AUDIENCE}/v1` }], clockSkewSeconds: SKEW_SECONDS };

/** How a test drives sign-in and the provider: the only part that differs between the real service and the fake. */
interface Driver {
  /** A signed-out app, started up; the service as the app injects it. */
  start(): Promise<ImplicitAuthService>;
  /** Signs `user` in through `login()`, with an access token for {@link AUDIENCE} living `expiresInSeconds`. */
  signIn(user: { readonly sub: string; readonly name: string }, expiresInSeconds: number): Promise<void>;
  /** Moves the clock forward. */
  advance(seconds: number): void;
  /**
   * How the provider answers renewals from now on: a token for the signed-in user (this one, or by default a
   * fresh one each time), or an error (`error=login_required`, …).
   */
  answerRenewals(answer: { readonly token?: string } | { readonly error: string }): void;
  /** The next renewal waits for the returned release. */
  holdRenewal(): () => void;
  /** How many renewals reached the provider. */
  renewals(): number;
  dispose(): void;
}

function realService(): Driver {
  let idp!: TestIssuer;
  let silent!: SilentAnswers;
  let auth!: ImplicitAuthService;
  let claims: Record<string, unknown> = {};
  const redirects: string[] = [];
  /** The provider's answer for the user signed in at the provider (the one who signed in last). */
  const answerFor = (request: URLSearchParams, accessToken?: string) =>
    idp.authorizationResponse({ state: request.get('state')!, nonce: request.get('nonce')!, accessToken, claims });
  return {
    async start() {
      idp = await createTestIssuer({ issuer: ISSUER, clientId: CLIENT_ID });
      sessionStorage.clear();
      localStorage.clear();
      history.replaceState(null, '', '/');
      silent = answerSilentRequests(idp);
      auth = await loadPage(
        ImplicitAuthService,
        idp,
        { ...CONFIG, silentRenew: { timeoutMs: 200, automatic: false } },
        redirects,
      );
      return auth;
    },
    async signIn(user, expiresInSeconds) {
      claims = { ...user };
      silent.answer = (request) => answerFor(request);
      await auth.login();
      const request = new URL(redirects.at(-1)!).searchParams;
      const fragment = await idp.authorizationResponse({
        state: request.get('state')!,
        nonce: request.get('nonce')!,
        expiresIn: expiresInSeconds,
        claims: user,
      });
      await auth.handleCallback(fragment);
    },
    advance: (seconds) => idp.clock.advance(seconds),
    answerRenewals(answer) {
      silent.answer = async (request) =>
        'error' in answer ? `#error=${answer.error}&state=${request.get('state')}` : answerFor(request, answer.token);
    },
    holdRenewal() {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const answer = silent.answer;
      silent.answer = async (request) => {
        await released;
        return answer(request);
      };
      return release;
    },
    renewals: () => silent.requests.length,
    dispose: () => silent.dispose(),
  };
}

function fakeService(): Driver {
  const clock = createFakeClock();
  let fake!: FakeImplicitAuthService;
  let issued = 0;
  return {
    async start() {
      TestBed.configureTestingModule({
        providers: [
          provideImplicitAuthTesting({
            config: { ...CONFIG, issuer: ISSUER, clientId: CLIENT_ID },
          }),
          { provide: IMPLICIT_AUTH_CLOCK, useValue: clock },
        ],
      });
      fake = TestBed.inject(FakeImplicitAuthService);
      fake.renewWith(() => `fake-${++issued}`);
      const auth = TestBed.inject(ImplicitAuthService);
      await auth.whenReady();
      return auth;
    },
    async signIn(user, expiresInSeconds) {
      await fake.login();
      // What a callback brings, in the real order: the tokens are accepted, then the user is signed in.
      fake.setAccessToken(`fake-${++issued}`, { expiresInSeconds });
      fake.signIn(user);
    },
    advance: (seconds) => clock.advance(seconds),
    answerRenewals(answer) {
      fake.renewWith(() => {
        // The provider's error as the library types it: `provider_error`, with the provider's `error`.
        if ('error' in answer) throw new ImplicitAuthError('provider_error', answer.error, { error: answer.error });
        return answer.token ?? `fake-${++issued}`;
      });
    },
    holdRenewal() {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      fake.renewWith(async () => {
        await released;
        return `fake-${++issued}`;
      });
      return release;
    },
    renewals: () => fake.renewCount,
    dispose: () => undefined,
  };
}

/** What two services must agree on about an event: its type and the fields that carry meaning. */
function shapeOf(event: ImplicitAuthEvent) {
  switch (event.type) {
    case 'login_started':
      return { type: event.type, returnUrl: event.returnUrl };
    case 'signed_in':
      return { type: event.type, returnUrl: event.returnUrl, sub: event.claims?.sub };
    case 'token_received':
    case 'token_expiring':
      return { type: event.type, audience: event.audience, expiresAt: event.expiresAt };
    case 'renewal_started':
      return { type: event.type, audience: event.audience };
    case 'signed_out':
      return { type: event.type, reason: event.reason };
    case 'renewal_failed':
    case 'validation_failed':
    case 'third_party_cookies_blocked':
    case 'storage_failed':
      return { type: event.type, code: event.error.code, error: event.error.error };
  }
}

describe.each([
  ['the real service', realService],
  ['FakeImplicitAuthService', fakeService],
])('ImplicitAuthService contract: %s', (_name, createDriver) => {
  const ada = { sub: 'user-42', name: 'Ada Lovelace' };
  let driver: Driver;
  let auth: ImplicitAuthService;
  let events: ReturnType<typeof shapeOf>[];

  beforeEach(async () => {
    driver = createDriver();
    auth = await driver.start();
    events = [];
    auth.events.subscribe((event) => events.push(shapeOf(event)));
  });

  afterEach(() => {
    driver.dispose();
    TestBed.resetTestingModule();
  });

  it('starts signed out', () => {
    expect(auth.status()).toBe('signed-out');
    expect(auth.isAuthenticated()).toBe(false);
    expect(auth.claims()).toBeNull();
    expect(auth.error()).toBeNull();
    expect(auth.currentAccessToken()).toBeNull();
  });

  it('signs in: status, claims issued to the app, the kept token, events', async () => {
    const signedInAt = FAKE_CLOCK_START;
    await driver.signIn(ada, 3600);
    expect(auth.status()).toBe('signed-in');
    expect(auth.isAuthenticated()).toBe(true);
    expect(auth.claims()).toMatchObject({ ...ada, iss: ISSUER, aud: CLIENT_ID });
    expect(auth.error()).toBeNull();
    expect(auth.currentAccessToken()).toEqual({
      token: expect.any(String),
      audience: AUDIENCE,
      scopes: expect.any(Array),
      expiresAt: signedInAt + 3600_000,
    });
    expect(events).toEqual([
      { type: 'login_started', returnUrl: '/' },
      { type: 'token_received', audience: AUDIENCE, expiresAt: signedInAt + 3600_000 },
      { type: 'signed_in', returnUrl: '/', sub: ada.sub },
    ]);
  });

  it('signs out: status, claims, tokens and one signed_out event', async () => {
    await driver.signIn(ada, 3600);
    events.length = 0;
    await auth.logout({ localOnly: true });
    expect(auth.status()).toBe('signed-out');
    expect(auth.isAuthenticated()).toBe(false);
    expect(auth.claims()).toBeNull();
    expect(auth.currentAccessToken()).toBeNull();
    expect(events).toEqual([{ type: 'signed_out', reason: 'logout' }]);
  });

  describe('the one token-lifetime rule (expiry less the clock skew)', () => {
    it('hands a token out until the skew margin, not inside it', async () => {
      await driver.signIn(ada, 3600);
      driver.advance(3600 - SKEW_SECONDS - 1);
      expect(auth.currentAccessToken()).not.toBeNull();
      driver.advance(1);
      expect(auth.currentAccessToken()).toBeNull();
    });

    it('caps the margin at half the lifetime of a token shorter-lived than the skew', async () => {
      await driver.signIn(ada, 100);
      expect(auth.currentAccessToken()).not.toBeNull();
      driver.advance(49);
      expect(auth.currentAccessToken()).not.toBeNull();
      driver.advance(1);
      expect(auth.currentAccessToken()).toBeNull();
    });

    it('renews a token inside the margin instead of handing it out', async () => {
      await driver.signIn(ada, 3600);
      const first = auth.currentAccessToken()!.token;
      driver.advance(3600 - SKEW_SECONDS);
      const renewed = await auth.getAccessToken();
      expect(renewed).not.toBe(first);
      expect(driver.renewals()).toBe(1);
    });
  });

  describe('getAccessToken', () => {
    it('returns the kept token without a renewal', async () => {
      await driver.signIn(ada, 3600);
      await expect(auth.getAccessToken()).resolves.toBe(auth.currentAccessToken()!.token);
      expect(driver.renewals()).toBe(0);
    });

    it('refuses with not_authenticated when signed out, without a renewal or an error to show', async () => {
      await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'not_authenticated' });
      await driver.signIn(ada, 3600);
      await auth.logout({ localOnly: true });
      await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'not_authenticated' });
      expect(driver.renewals()).toBe(0);
      expect(auth.error()).toBeNull();
    });

    it('never returns the token passed as replacing: one renewal shared by every caller', async () => {
      await driver.signIn(ada, 3600);
      const rejected = auth.currentAccessToken()!.token;
      events.length = 0;
      const tokens = await Promise.all([1, 2, 3].map(() => auth.getAccessToken({ replacing: rejected })));
      expect(new Set(tokens).size).toBe(1);
      expect(tokens[0]).not.toBe(rejected);
      expect(auth.currentAccessToken()!.token).toBe(tokens[0]);
      expect(driver.renewals()).toBe(1);
      expect(events.map((event) => event.type)).toEqual(['renewal_started', 'token_received']);
    });

    it('refuses when the renewal brings the replaced token back', async () => {
      await driver.signIn(ada, 3600);
      const rejected = auth.currentAccessToken()!.token;
      driver.answerRenewals({ token: rejected });
      await expect(auth.getAccessToken({ replacing: rejected })).rejects.toMatchObject({ code: 'not_authenticated' });
      expect(auth.isAuthenticated()).toBe(true);
    });
  });

  describe('a renewal the provider refuses with login_required', () => {
    it('signs out; the error needs an interactive sign-in', async () => {
      await driver.signIn(ada, 3600);
      events.length = 0;
      driver.answerRenewals({ error: 'login_required' });
      const error = await auth.renew().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ImplicitAuthError);
      expect(error).toMatchObject({ code: 'provider_error', error: 'login_required' });
      expect(isInteractionRequired(error)).toBe(true);
      expect(auth.error()).toBe(error);
      expect(auth.status()).toBe('signed-out');
      expect(auth.claims()).toBeNull();
      expect(auth.currentAccessToken()).toBeNull();
      expect(events).toEqual([
        { type: 'renewal_started', audience: AUDIENCE },
        { type: 'renewal_failed', code: 'provider_error', error: 'login_required' },
        { type: 'signed_out', reason: 'session_ended' },
      ]);
      await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'not_authenticated' });
      expect(driver.renewals()).toBe(1);
    });
  });

  it('keeps the session after a renewal refused for another reason, and clears the error at the next one', async () => {
    await driver.signIn(ada, 3600);
    driver.answerRenewals({ error: 'temporarily_unavailable' });
    await expect(auth.renew()).rejects.toMatchObject({ code: 'provider_error', error: 'temporarily_unavailable' });
    expect(isInteractionRequired(auth.error())).toBe(false);
    expect(auth.isAuthenticated()).toBe(true);
    expect(auth.currentAccessToken()).not.toBeNull();
    driver.answerRenewals({});
    await auth.renew();
    expect(auth.error()).toBeNull();
  });

  it('lets a sign-out win over a renewal under way', async () => {
    await driver.signIn(ada, 3600);
    const release = driver.holdRenewal();
    const renewal = auth.renew();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await auth.logout({ localOnly: true });
    release();
    await expect(renewal).rejects.toMatchObject({ code: 'signed_out' });
    expect(auth.status()).toBe('signed-out');
    expect(auth.currentAccessToken()).toBeNull();
    expect(auth.error()).toBeNull();
  });

  it('mirrors every signal in its observable', async () => {
    const seen = { auth: [] as boolean[], subs: [] as (string | undefined)[], errors: [] as (string | undefined)[] };
    auth.isAuthenticated$.subscribe((value) => seen.auth.push(value));
    auth.claims$.subscribe((claims) => seen.subs.push(claims?.sub));
    auth.error$.subscribe((error) => seen.errors.push(error?.code));
    const expectMirrored = () => {
      expect(seen.auth.at(-1)).toBe(auth.isAuthenticated());
      expect(seen.subs.at(-1)).toBe(auth.claims()?.sub);
      expect(seen.errors.at(-1)).toBe(auth.error()?.code);
    };
    expectMirrored();
    await driver.signIn(ada, 3600);
    expectMirrored();
    driver.answerRenewals({ error: 'temporarily_unavailable' });
    await auth.renew().catch(() => undefined);
    expectMirrored();
    driver.answerRenewals({});
    await auth.renew();
    expectMirrored();
    driver.answerRenewals({ error: 'login_required' });
    await auth.renew().catch(() => undefined);
    expectMirrored();
    expect(seen.auth).toEqual([false, true, false]);
    // A real renewal brings a new ID token, so `claims$` may emit the same user again: compare whom it shows.
    expect(seen.subs.filter((sub, i) => i === 0 || sub !== seen.subs[i - 1])).toEqual([undefined, ada.sub, undefined]);
    expect(seen.errors).toEqual([undefined, 'provider_error', undefined, 'provider_error']);
  });
});
