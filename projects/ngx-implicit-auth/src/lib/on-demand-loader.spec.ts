import { ImplicitAuthError } from './errors';
import { loadOnDemand, reimportAfterFailure } from './on-demand-loader';

type OnDemandModule = typeof import('./on-demand');

const PAGE = 'https://app.example/some/route';
const CHUNK = 'https://app.example/chunk-54RAKKHS.js';
const loaded = {} as OnDemandModule;

/** What Chromium rejects a dynamic import with when the chunk did not download. */
const chromiumFailure = (url: string) => new TypeError(`Failed to fetch dynamically imported module: ${url}`);

describe('reimportAfterFailure: a chunk that failed to download loads again without a reload', () => {
  let load: jest.Mock<Promise<OnDemandModule>, []>;
  let importUrl: jest.Mock<Promise<OnDemandModule>, [string]>;

  beforeEach(() => {
    load = jest.fn(() => Promise.resolve(loaded));
    importUrl = jest.fn((_url: string) => Promise.resolve(loaded));
  });

  const loader = () => reimportAfterFailure(load, () => PAGE, importUrl);

  it('loads with the bundled import while nothing failed', async () => {
    const next = loader();
    await expect(next()).resolves.toBe(loaded);
    await expect(next()).resolves.toBe(loaded);
    expect(load).toHaveBeenCalledTimes(2);
    expect(importUrl).not.toHaveBeenCalled();
  });

  // The browser keeps the failed fetch in the module map: the same URL would fail again from memory.
  it('after a failure naming the chunk (Chromium), imports that URL with a fresh query, a new one each time', async () => {
    const next = loader();
    const failure = chromiumFailure(CHUNK);
    load.mockRejectedValueOnce(failure);
    await expect(next()).rejects.toBe(failure);

    importUrl.mockRejectedValueOnce(chromiumFailure(`${CHUNK}?ngx-implicit-auth-retry=1`));
    await expect(next()).rejects.toBeInstanceOf(TypeError);
    await expect(next()).resolves.toBe(loaded);
    expect(importUrl.mock.calls).toEqual([
      [`${CHUNK}?ngx-implicit-auth-retry=1`],
      [`${CHUNK}?ngx-implicit-auth-retry=2`],
    ]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("reads Firefox's message too", async () => {
    const next = loader();
    load.mockRejectedValueOnce(new TypeError(`error loading dynamically imported module: ${CHUNK}`));
    await expect(next()).rejects.toBeInstanceOf(TypeError);
    await next();
    expect(importUrl).toHaveBeenCalledWith(`${CHUNK}?ngx-implicit-auth-retry=1`);
  });

  it('reads the URL at the end of a message that ends in white space', async () => {
    const next = loader();
    load.mockRejectedValueOnce(new TypeError(`Failed to fetch dynamically imported module: ${CHUNK}\n`));
    await expect(next()).rejects.toBeInstanceOf(TypeError);
    await next();
    expect(importUrl).toHaveBeenCalledWith(`${CHUNK}?ngx-implicit-auth-retry=1`);
  });

  it("rethrows the load's own failure when the page URL cannot be read", async () => {
    const failure = chromiumFailure(CHUNK);
    const next = reimportAfterFailure(load, () => '', importUrl);
    load.mockRejectedValueOnce(failure);
    await expect(next()).rejects.toBe(failure);
    await next();
    expect(importUrl).not.toHaveBeenCalled();
  });

  // Code is only ever imported from where the app's own code comes from, never from a URL a message names elsewhere.
  it.each([
    ['JSON, not a script', chromiumFailure('https://app.example/chunk.json')],
    ['another origin', chromiumFailure('https://cdn.example/chunk-54RAKKHS.js')],
    ['not a script', chromiumFailure('https://app.example/api/data')],
    ['no URL (Safari)', new TypeError('Importing a module script failed.')],
    ['not an Error', 'Failed to fetch dynamically imported module: https://app.example/chunk.js'],
  ])('keeps the bundled import when the failure names %s', async (_case, failure) => {
    const next = loader();
    load.mockRejectedValueOnce(failure);
    await expect(next()).rejects.toBe(failure);
    await next();
    expect(load).toHaveBeenCalledTimes(2);
    expect(importUrl).not.toHaveBeenCalled();
  });
});

describe('loadOnDemand: every wait has a deadline, every failure a code the app may retry on', () => {
  it('hands over the loaded code', async () => {
    await expect(loadOnDemand(() => Promise.resolve(loaded), 1000)).resolves.toBe(loaded);
  });

  it('gives up after timeoutMs with network_timeout (an import cannot be aborted)', async () => {
    const started = Date.now();
    const error = await loadOnDemand(() => new Promise<never>(() => undefined), 50).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImplicitAuthError);
    expect((error as ImplicitAuthError).code).toBe('network_timeout');
    expect((error as ImplicitAuthError).message).toBe("The library's on-demand code did not load within 50 ms");
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });

  it('reports a chunk that failed to download as network_error, with the cause', async () => {
    const failure = chromiumFailure(CHUNK);
    const error = (await loadOnDemand(() => Promise.reject(failure), 1000).catch(
      (e: unknown) => e,
    )) as ImplicitAuthError;
    expect(error.code).toBe('network_error');
    expect(error.message).toBe("Could not load the library's on-demand code");
    expect(error.cause).toBe(failure);
  });
});
