import { authErrorOf, createFakeFetch } from '../testing';
import { fetchJsonObject } from './fetch-json';

describe('fetchJsonObject', () => {
  const url = 'https://idp.example/doc';

  it('returns the JSON object and passes the request options', async () => {
    const http = createFakeFetch();
    http.json(url, { a: 1 });
    await expect(fetchJsonObject(http.fetch, url, 'jwks_failed', { headers: { X: 'y' } })).resolves.toEqual({ a: 1 });
    expect(http.requests[0].headers.get('X')).toBe('y');
  });

  it('calls fetch as a plain function, so an unbound window.fetch works', async () => {
    // Like the browser's fetch, this one throws "Illegal invocation" when called as a method of another object.
    const fetchFn = function (this: unknown) {
      if (this !== undefined) throw new TypeError('Illegal invocation');
      return Promise.resolve(new Response('{}'));
    } as unknown as typeof fetch;
    await expect(fetchJsonObject(fetchFn, url, 'jwks_failed')).resolves.toEqual({});
  });

  it.each([
    ['a network error', () => Promise.reject(new TypeError('Failed to fetch'))],
    ['a 404', () => new Response('{}', { status: 404 })],
    ['a non-JSON body', () => new Response('nope')],
    ['a JSON string', () => new Response('"text"')],
    ['JSON null', () => new Response('null')],
  ])('throws the given code for %s', async (_name, respond) => {
    const http = createFakeFetch();
    http.on(url, respond);
    expect((await authErrorOf(fetchJsonObject(http.fetch, url, 'userinfo_failed'))).code).toBe('userinfo_failed');
  });
});
