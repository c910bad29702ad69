import { authErrorOf, createTestIssuer, type TestIssuer } from '../testing';
import { fetchUserInfo } from './userinfo';

describe('fetchUserInfo', () => {
  let idp: TestIssuer;

  beforeEach(async () => {
    idp = await createTestIssuer();
  });

  it('sends the token only in the Authorization header and returns the claims', async () => {
    const claims = await fetchUserInfo(idp.userinfoEndpoint, 'at-secret', 'user-1', idp.fetch);
    expect(claims).toEqual(idp.userinfo);
    const [request] = idp.http.requests;
    expect(request.url).toBe(idp.userinfoEndpoint);
    expect(request.url).not.toContain('at-secret');
    expect(request.headers.get('Authorization')).toBe('Bearer at-secret');
  });

  it('refuses claims about another subject (§5.3.2)', async () => {
    idp.userinfo = { sub: 'user-2', name: 'Mallory' };
    const error = await authErrorOf(fetchUserInfo(idp.userinfoEndpoint, 'at', 'user-1', idp.fetch));
    expect(error.code).toBe('userinfo_sub_mismatch');
    idp.userinfo = { name: 'No Sub' };
    expect((await authErrorOf(fetchUserInfo(idp.userinfoEndpoint, 'at', 'user-1', idp.fetch))).code).toBe(
      'userinfo_sub_mismatch',
    );
  });

  it.each([
    ['a 401', () => new Response(null, { status: 401 })],
    ['a signed (JWT) response', () => new Response('h.p.s', { headers: { 'Content-Type': 'application/jwt' } })],
  ])('reports %s as userinfo_failed', async (_name, respond) => {
    idp.http.on(idp.userinfoEndpoint, respond);
    const error = await authErrorOf(fetchUserInfo(idp.userinfoEndpoint, 'at', 'user-1', idp.fetch));
    expect(error.code).toBe('userinfo_failed');
    expect(error.message).toContain(idp.userinfoEndpoint);
  });

  it('reports a network error as network_error with the cause', async () => {
    idp.http.unreachable(idp.userinfoEndpoint);
    const error = await authErrorOf(fetchUserInfo(idp.userinfoEndpoint, 'at', 'user-1', idp.fetch));
    expect(error.code).toBe('network_error');
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('gives up on an endpoint that never answers with network_timeout within the given deadline', async () => {
    jest.useFakeTimers();
    try {
      idp.http.hang(idp.userinfoEndpoint);
      const settled = authErrorOf(fetchUserInfo(idp.userinfoEndpoint, 'at', 'user-1', idp.fetch, 1_500));
      await jest.advanceTimersByTimeAsync(1_500);
      expect((await settled).code).toBe('network_timeout');
    } finally {
      jest.useRealTimers();
    }
  });

  it('never sends the token to a plain-http endpoint', async () => {
    const error = await authErrorOf(fetchUserInfo('http://idp.example/me', 'at', 'user-1', idp.fetch));
    expect(error.code).toBe('userinfo_failed');
    expect(idp.http.requests).toHaveLength(0);
  });
});
