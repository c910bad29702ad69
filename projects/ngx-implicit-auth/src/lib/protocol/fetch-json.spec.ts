import { authErrorOf, createFakeFetch } from '../testing';
import { fetchJsonObject } from './fetch-json';

describe('fetchJsonObject', () => {
  const url = 'https://idp.example/doc';
  const timeoutMs = 5_000;

  afterEach(() => jest.useRealTimers());

  it('returns the JSON object and passes the request options', async () => {
    const http = createFakeFetch();
    http.json(url, { a: 1 });
    await expect(fetchJsonObject(http.fetch, url, 'jwks_failed', { timeoutMs, headers: { X: 'y' } })).resolves.toEqual({
      a: 1,
    });
    expect(http.requests[0].headers.get('X')).toBe('y');
  });

  it('calls fetch as a plain function, so an unbound window.fetch works', async () => {
    // Like the browser's fetch, this one throws "Illegal invocation" when called as a method of another object.
    const fetchFn = function (this: unknown) {
      if (this !== undefined) throw new TypeError('Illegal invocation');
      return Promise.resolve(new Response('{}'));
    } as unknown as typeof fetch;
    await expect(fetchJsonObject(fetchFn, url, 'jwks_failed', { timeoutMs })).resolves.toEqual({});
  });

  it.each([
    ['a 404', () => new Response('{}', { status: 404 })],
    ['a 500', () => new Response('{"error":"server_error"}', { status: 500 })],
    ['a non-JSON body', () => new Response('nope')],
    ['a JSON string', () => new Response('"text"')],
    ['JSON null', () => new Response('null')],
    ['a JSON array', () => new Response('[]')],
  ])("throws the step's code for %s, with the URL in the message", async (_name, respond) => {
    const http = createFakeFetch();
    http.on(url, respond);
    const error = await authErrorOf(fetchJsonObject(http.fetch, url, 'userinfo_failed', { timeoutMs }));
    expect(error.code).toBe('userinfo_failed');
    expect(error.message).toContain(url);
  });

  it('reports a fetch that rejects (offline, DNS, CORS, refused) as network_error, with the cause', async () => {
    const http = createFakeFetch();
    http.unreachable(url);
    const error = await authErrorOf(fetchJsonObject(http.fetch, url, 'discovery_failed', { timeoutMs }));
    expect(error.code).toBe('network_error');
    expect(error.message).toContain(url);
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('reports a body cut off by the network as network_error, not as bad JSON', async () => {
    // Headers arrived, then the connection dropped: reading the body rejects with a TypeError, as in browsers.
    const cutOff = { ok: true, status: 200, text: () => Promise.reject(new TypeError('network error')) };
    const fetchFn = (() => Promise.resolve(cutOff)) as unknown as typeof fetch;
    expect((await authErrorOf(fetchJsonObject(fetchFn, url, 'jwks_failed', { timeoutMs }))).code).toBe('network_error');
  });

  it('gives up with network_timeout at the deadline and aborts the request', async () => {
    jest.useFakeTimers();
    const http = createFakeFetch();
    http.hang(url);
    const settled = authErrorOf(fetchJsonObject(http.fetch, url, 'discovery_failed', { timeoutMs }));
    await jest.advanceTimersByTimeAsync(timeoutMs);
    const error = await settled;
    expect(error.code).toBe('network_timeout');
    expect(error.message).toContain(url);
    expect(http.requests[0].signal?.aborted).toBe(true);
  });

  it('keeps the deadline even with a fetch that ignores its signal', async () => {
    jest.useFakeTimers();
    const fetchFn = (() => new Promise(() => undefined)) as unknown as typeof fetch;
    const settled = authErrorOf(fetchJsonObject(fetchFn, url, 'userinfo_failed', { timeoutMs }));
    await jest.advanceTimersByTimeAsync(timeoutMs);
    expect((await settled).code).toBe('network_timeout');
  });

  it('leaves no timer behind once answered', async () => {
    jest.useFakeTimers();
    const http = createFakeFetch();
    http.json(url, { a: 1 });
    await expect(fetchJsonObject(http.fetch, url, 'jwks_failed', { timeoutMs })).resolves.toEqual({ a: 1 });
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('fetchJsonObject, an answer that is not JSON', () => {
  it('keeps the parse failure as the cause', async () => {
    const http = createFakeFetch();
    http.on('https://idp.example/doc', () => new Response('<!doctype html>'));
    const error = await authErrorOf(
      fetchJsonObject(http.fetch, 'https://idp.example/doc', 'jwks_failed', { timeoutMs: 5_000 }),
    );
    expect(error.code).toBe('jwks_failed');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });
});
