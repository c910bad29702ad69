import { TestBed } from '@angular/core/testing';
import type { Clock } from './clock';
import { DefaultImplicitAuthService } from './default-implicit-auth.service';
import { storageKeys } from './session/storage-keys';
import {
  answerSilentRequests,
  createTestIssuer,
  type SilentAnswers,
  type TestIssuer,
  freshPage,
  type SpecConfig,
  provideImplicitAuthAsSpecsDo,
} from './testing';
import { IMPLICIT_AUTH_CLOCK, IMPLICIT_AUTH_FETCH, IMPLICIT_AUTH_REDIRECT } from './tokens';

/**
 * A device whose clock is off: the provider (its fake clock) signs real tokens on the right time, the library
 * reads a device clock that is `deviceAhead` seconds ahead of it (negative: behind). Default mode tolerates
 * 300 s and refuses beyond with `clock_skew`; `clock: 'provider'` learns the offset from the first sound ID
 * token and works at any offset.
 */
describe('ImplicitAuthService (a device clock that is wrong)', () => {
  let idp: TestIssuer;
  let silent: SilentAnswers;
  let redirects: string[];
  let deviceAhead: number;
  const device: Clock = { now: () => idp.clock.now() + deviceAhead * 1000 };

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
    TestBed.resetTestingModule();
  });

  const keys = () => storageKeys(idp.issuer, idp.clientId);
  const MINUTES = 60;
  const HOURS = 3600;

  async function loadPage(config: SpecConfig = {}): Promise<DefaultImplicitAuthService> {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [
        provideImplicitAuthAsSpecsDo({
          issuer: idp.issuer,
          clientId: idp.clientId,
          audience: 'https://api.example',
          apis: [{ url: 'https://api.example/v1' }],
          silentRenew: { timeoutMs: 500, automatic: false },
          ...config,
        }),
        { provide: IMPLICIT_AUTH_FETCH, useValue: idp.fetch },
        { provide: IMPLICIT_AUTH_CLOCK, useValue: device },
        { provide: IMPLICIT_AUTH_REDIRECT, useValue: (url: string) => redirects.push(url) },
      ],
    });
    const auth = TestBed.inject(DefaultImplicitAuthService);
    await auth.whenReady();
    return auth;
  }

  /** Signs in interactively; the provider answers a few seconds later with a token on its own clock. */
  async function signIn(config: SpecConfig = {}, claims: Record<string, unknown> = {}) {
    await (await loadPage(config)).login();
    const request = new URL(redirects.at(-1)!).searchParams;
    idp.clock.advance(5);
    const fragment = await idp.authorizationResponse({
      state: request.get('state')!,
      nonce: request.get('nonce')!,
      claims,
    });
    history.replaceState(null, '', '/' + fragment);
    return loadPage(config);
  }

  describe("the device's clock (default)", () => {
    it.each([
      ['4 min fast', 4 * MINUTES],
      ['4 min slow', -4 * MINUTES],
    ])('signs in with a device clock %s (within the 300 s tolerance)', async (_name, ahead) => {
      deviceAhead = ahead;
      const auth = await signIn();
      expect(auth.status()).toBe('signed-in');
      expect(auth.currentAccessToken()).not.toBeNull();
      expect(sessionStorage.getItem(keys().clockOffset)).toBeNull();
    });

    it.each([
      ['10 min fast', 10 * MINUTES],
      ['10 min slow', -10 * MINUTES],
      ['3 h fast', 3 * HOURS],
      ['3 h slow', -3 * HOURS],
    ])(
      'refuses a device clock %s with clock_skew and the offset; nothing is kept, nothing starts again',
      async (_name, ahead) => {
        deviceAhead = ahead;
        const auth = await signIn({ storage: 'session' });
        const error = auth.error();
        expect(error?.code).toBe('clock_skew');
        // Measured to the second, give or take the answer's trip.
        expect(Math.abs(error!.clockOffsetSeconds! - ahead)).toBeLessThanOrEqual(1);
        expect(auth.status()).toBe('signed-out');
        expect(sessionStorage.getItem(keys().session)).toBeNull();
        expect(sessionStorage.getItem(keys().clockOffset)).toBeNull();
        // The one redirect was the sign-in itself: a refused answer starts no other.
        expect(redirects).toHaveLength(1);
      },
    );

    it('does not take a token expired on its own clock for a clock difference', async () => {
      deviceAhead = 3 * HOURS;
      const now = idp.clock.nowSeconds() + 5;
      const auth = await signIn({}, { iat: now, exp: now - 1 });
      expect(auth.error()?.code).toBe('token_expired');
    });

    it("refuses a renewal's ID token issued before the renewal started as invalid_iat, not as a clock", async () => {
      deviceAhead = 0;
      const auth = await signIn();
      const signedInAt = idp.clock.nowSeconds();
      idp.clock.advance(1800);
      silent.answer = (request) =>
        idp.authorizationResponse({
          state: request.get('state')!,
          nonce: request.get('nonce')!,
          claims: { iat: signedInAt },
        });
      await expect(auth.renew()).rejects.toMatchObject({ code: 'invalid_iat' });
    });
  });

  describe("the provider's clock (clock: 'provider')", () => {
    it.each([
      ['4 min fast', 4 * MINUTES],
      ['4 min slow', -4 * MINUTES],
      ['10 min fast', 10 * MINUTES],
      ['10 min slow', -10 * MINUTES],
      ['3 h fast', 3 * HOURS],
      ['3 h slow', -3 * HOURS],
    ])('signs in with a device clock %s, keeping the learned offset for this tab', async (_name, ahead) => {
      deviceAhead = ahead;
      const auth = await signIn({ clock: 'provider' });
      expect(auth.status()).toBe('signed-in');
      expect(Math.abs(Number(sessionStorage.getItem(keys().clockOffset)) / 1000 - ahead)).toBeLessThanOrEqual(1);
    });

    it('hands the access token out for its lifetime on the device, and not after', async () => {
      deviceAhead = 3 * HOURS;
      const auth = await signIn({ clock: 'provider' });
      const { expiresAt } = auth.currentAccessToken()!;
      // `expires_in` is a duration: its expiry is on the device's clock, an hour from the answer.
      expect(expiresAt).toBe(device.now() + 3600_000);
      idp.clock.advance(3600 - 300 - 1);
      expect(auth.currentAccessToken()).not.toBeNull();
      idp.clock.advance(1);
      expect(auth.currentAccessToken()).toBeNull();
    });

    it('renews on the learned clock, and keeps the iat lower bound for every later token', async () => {
      deviceAhead = 3 * HOURS;
      const auth = await signIn({ clock: 'provider' });
      idp.clock.advance(1800);
      await auth.renew();
      expect(auth.error()).toBeNull();
      const renewedAt = idp.clock.nowSeconds();
      idp.clock.advance(1800);
      silent.answer = (request) =>
        idp.authorizationResponse({
          state: request.get('state')!,
          nonce: request.get('nonce')!,
          claims: { iat: renewedAt },
        });
      await expect(auth.renew()).rejects.toMatchObject({ code: 'invalid_iat' });
      // The learned clock is forgotten: the next token teaches it again.
      expect(sessionStorage.getItem(keys().clockOffset)).toBeNull();
    });

    it('judges the first token against its own iat: one expired on its own clock is refused, nothing learned', async () => {
      deviceAhead = -3 * HOURS;
      const now = idp.clock.nowSeconds() + 5;
      const auth = await signIn({ clock: 'provider' }, { iat: now, exp: now });
      expect(auth.error()?.code).toBe('token_expired');
      expect(sessionStorage.getItem(keys().clockOffset)).toBeNull();
    });

    it('restores a kept ID-token-only session on reload, its exp read on the learned clock', async () => {
      deviceAhead = 3 * HOURS;
      const config: SpecConfig = {
        clock: 'provider',
        responseType: 'id_token',
        apis: [],
        storage: 'session',
      };
      expect((await signIn(config)).status()).toBe('signed-in');
      history.replaceState(null, '', '/');
      idp.clock.advance(1800);
      const reloaded = await loadPage(config);
      expect(reloaded.status()).toBe('signed-in');
      expect(silent.requests).toHaveLength(0);
    });

    it('judges a restore after a reload against the kept offset (iat lower bound on)', async () => {
      deviceAhead = 3 * HOURS;
      await signIn({ clock: 'provider' });
      history.replaceState(null, '', '/');
      silent.answer = (request) =>
        idp.authorizationResponse({
          state: request.get('state')!,
          nonce: request.get('nonce')!,
          claims: { iat: idp.clock.nowSeconds() - 600 },
        });
      const reloaded = await loadPage({ clock: 'provider' });
      expect(silent.requests).toHaveLength(1);
      expect(reloaded.error()?.code).toBe('invalid_iat');
      expect(reloaded.status()).toBe('signed-out');
    });
  });
});
