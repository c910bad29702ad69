import { type Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { DefaultImplicitAuthService } from './default-implicit-auth.service';
import type { ImplicitAuthEvent } from './events';
import { storageKeys } from './session/storage-keys';
import {
  authErrorOf,
  createFakeLocks,
  createTestIssuer,
  type TestIssuer,
  freshPage,
  type SpecConfig,
  provideImplicitAuthAsSpecsDo,
} from './testing';
import {
  IMPLICIT_AUTH_CLOCK,
  IMPLICIT_AUTH_FETCH,
  IMPLICIT_AUTH_ON_DEMAND_LOADER,
  IMPLICIT_AUTH_REDIRECT,
} from './tokens';

const TIMEOUT_MS = 1_500;

/**
 * Every wait on the network has a deadline: a provider (or a chunk server) that accepts the connection and never
 * answers must not leave the app in `loading`, hold the cross-tab renewal lock, or poison a cache. Jest's fake
 * timers stand in for the wait; everything else (tokens signed with jose, the service, the router) is real.
 */
describe('ImplicitAuthService (network deadlines)', () => {
  let idp: TestIssuer;
  let redirects: string[];

  beforeEach(async () => {
    idp = await createTestIssuer({ issuer: 'https://idp.example' });
    freshPage();
    redirects = [];
  });

  afterEach(() => {
    jest.useRealTimers();
    TestBed.resetTestingModule();
    delete (navigator as { locks?: unknown }).locks;
  });

  const baseConfig: SpecConfig = {
    audience: 'https://api.example',
    apis: [{ url: 'https://api.example/v1' }],
    storage: 'session',
    silentRenew: false,
    networkTimeoutMs: TIMEOUT_MS,
  };

  /** One page load; start-up is under way (not awaited). */
  function boot(config: SpecConfig = {}, providers: Provider[] = []): DefaultImplicitAuthService {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [
        provideImplicitAuthAsSpecsDo({ issuer: idp.issuer, clientId: idp.clientId, ...baseConfig, ...config }),
        { provide: IMPLICIT_AUTH_FETCH, useValue: idp.fetch },
        { provide: IMPLICIT_AUTH_CLOCK, useValue: idp.clock },
        { provide: IMPLICIT_AUTH_REDIRECT, useValue: (url: string) => redirects.push(url) },
        ...providers,
      ],
    });
    return TestBed.inject(DefaultImplicitAuthService);
  }

  /** One page load, once start-up has finished. */
  async function bootReady(config: SpecConfig = {}): Promise<DefaultImplicitAuthService> {
    const auth = boot(config);
    await auth.whenReady();
    return auth;
  }

  /** The callback fragment for a sign-in started on `auth` (which must be ready). */
  async function callbackFor(auth: DefaultImplicitAuthService): Promise<string> {
    await auth.login();
    const request = new URL(redirects.at(-1)!).searchParams;
    return idp.authorizationResponse({ state: request.get('state')!, nonce: request.get('nonce')! });
  }

  /** Lets the page run (real I/O and crypto included) until `url` has been asked for once more than `before`. */
  async function untilRequested(url: string, before = 0): Promise<void> {
    for (let i = 0; i < 200 && idp.http.count(url) <= before; i++) await jest.advanceTimersByTimeAsync(0);
    expect(idp.http.count(url)).toBe(before + 1);
  }

  /** Whether `promise` has settled, checked without waiting. */
  function watch(promise: Promise<unknown>): () => boolean {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    return () => settled;
  }

  /** Runs the fake clock to one ms before the deadline (still waiting), then to the deadline (settled). */
  async function expectSettledAtDeadline(settled: () => boolean): Promise<void> {
    await jest.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
    expect(settled()).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(settled()).toBe(true);
  }

  function expectNothingStored(): void {
    expect(sessionStorage.getItem(storageKeys(idp.issuer, idp.clientId).session)).toBeNull();
    expect(localStorage.length).toBe(0);
  }

  it.each([
    ['discovery', (issuer: TestIssuer) => issuer.discoveryUrl],
    ['the JWKS', (issuer: TestIssuer) => issuer.jwksUri],
    ['UserInfo', (issuer: TestIssuer) => issuer.userinfoEndpoint],
  ])(
    'leaves loading with network_timeout at the deadline when %s hangs during the callback; stores nothing; the next sign-in works without a reload',
    async (_name, endpointOf) => {
      const config = { loadUserInfo: true };
      const fragment = await callbackFor(await bootReady(config));
      const url = endpointOf(idp);
      const before = idp.http.count(url);
      idp.http.hang(url);
      history.replaceState(null, '', '/' + fragment);
      jest.useFakeTimers();

      const auth = boot(config);
      const ready = watch(auth.whenReady());
      await untilRequested(url, before);
      expect(auth.status()).toBe('loading');
      await expectSettledAtDeadline(ready);

      expect(auth.status()).toBe('signed-out');
      expect(auth.error()?.code).toBe('network_timeout');
      expect(auth.error()?.message).toContain(url);
      expectNothingStored();

      // The provider recovers: nothing of the failure was kept, so the same page signs in.
      jest.useRealTimers();
      idp.http.json(url, () =>
        url === idp.discoveryUrl ? idp.metadata : url === idp.jwksUri ? idp.jwks : idp.userinfo,
      );
      await expect(auth.handleCallback(await callbackFor(auth))).resolves.toBe(true);
      expect(auth.status()).toBe('signed-in');
      expect(auth.error()).toBeNull();
    },
  );

  it('rejects login() with network_timeout at the deadline when discovery hangs, and the next click works', async () => {
    const auth = await bootReady();
    idp.http.hang(idp.discoveryUrl);
    jest.useFakeTimers();
    const login = auth.login();
    const settled = watch(login);
    await untilRequested(idp.discoveryUrl);
    await expectSettledAtDeadline(settled);
    expect((await authErrorOf(login)).code).toBe('network_timeout');
    expect(auth.error()?.code).toBe('network_timeout');
    expect(redirects).toEqual([]);
    expect(sessionStorage.length).toBe(0);

    jest.useRealTimers();
    idp.http.json(idp.discoveryUrl, () => idp.metadata);
    await auth.login();
    expect(redirects).toHaveLength(1);
  });

  it('reports an unreachable provider as network_error, not as a bad response', async () => {
    const auth = await bootReady();
    idp.http.unreachable(idp.discoveryUrl);
    expect((await authErrorOf(auth.login())).code).toBe('network_error');
    expect(auth.error()?.cause).toBeInstanceOf(TypeError);
  });

  it('finishes start-up at the deadline when discovery hangs during the session restore', async () => {
    const config: SpecConfig = { storage: 'memory', silentRenew: { automatic: false } };
    const first = await bootReady(config);
    await first.handleCallback(await callbackFor(first));
    expect(first.status()).toBe('signed-in');
    idp.http.hang(idp.discoveryUrl);
    const before = idp.http.count(idp.discoveryUrl);
    jest.useFakeTimers();

    const auth = boot(config); // the reload: tokens were in memory, so a silent restore starts
    const events: ImplicitAuthEvent[] = [];
    auth.events.subscribe((event) => events.push(event));
    const ready = watch(auth.whenReady());
    await untilRequested(idp.discoveryUrl, before);
    await expectSettledAtDeadline(ready);
    expect(auth.status()).toBe('signed-out');
    expect(events).toContainEqual({
      type: 'renewal_failed',
      error: expect.objectContaining({ code: 'network_timeout' }),
    });
  });

  it('releases the cross-tab renewal lock at the deadline when discovery hangs during a renewal', async () => {
    const locks = createFakeLocks();
    Object.defineProperty(navigator, 'locks', { configurable: true, value: locks });
    const config: SpecConfig = { silentRenew: { automatic: false, restoreSession: false } };
    const first = await bootReady(config);
    await first.handleCallback(await callbackFor(first));
    const auth = await bootReady(config); // the reload: the session comes back from sessionStorage, no discovery yet
    expect(auth.status()).toBe('signed-in');
    idp.http.hang(idp.discoveryUrl);
    const before = idp.http.count(idp.discoveryUrl);
    jest.useFakeTimers();

    const renewal = auth.renew();
    const settled = watch(renewal);
    await untilRequested(idp.discoveryUrl, before);
    const lock = locks.names.at(-1)!;
    expect(locks.holders(lock)).toBe(1);
    await expectSettledAtDeadline(settled);
    expect((await authErrorOf(renewal)).code).toBe('network_timeout');
    expect(locks.holders(lock)).toBe(0);
    // A network failure is no reason to sign out: the current tokens stay.
    expect(auth.status()).toBe('signed-in');
  });

  describe('the on-demand chunk', () => {
    let load: jest.Mock<Promise<typeof import('./on-demand')>, []>;
    const real = () => import('./on-demand');

    beforeEach(() => {
      load = jest.fn(real);
    });

    const withLoader = () => boot({}, [{ provide: IMPLICIT_AUTH_ON_DEMAND_LOADER, useValue: load }]);

    it('gives up a chunk that never loads at the deadline, and imports again on the next use', async () => {
      const auth = withLoader();
      await auth.whenReady();
      load.mockReturnValueOnce(new Promise(() => undefined));
      jest.useFakeTimers();
      const login = auth.login();
      await expectSettledAtDeadline(watch(login));
      expect((await authErrorOf(login)).code).toBe('network_timeout');

      jest.useRealTimers();
      await auth.login();
      expect(redirects).toHaveLength(1);
      expect(load).toHaveBeenCalledTimes(2);
    });

    it('reports a chunk that fails to load as network_error, and imports again on the next use', async () => {
      const auth = withLoader();
      await auth.whenReady();
      load.mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'));
      const error = await authErrorOf(auth.login());
      expect(error.code).toBe('network_error');
      expect(error.cause).toBeInstanceOf(TypeError);
      await auth.login();
      expect(redirects).toHaveLength(1);
    });
  });
});
