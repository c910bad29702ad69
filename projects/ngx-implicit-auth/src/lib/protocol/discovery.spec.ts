import { authErrorOf, createTestIssuer, type TestIssuer } from '../testing';
import { fetchProviderMetadata } from './discovery';

describe('fetchProviderMetadata', () => {
  let idp: TestIssuer;

  beforeEach(async () => {
    idp = await createTestIssuer();
  });

  async function failureOf(issuer = idp.issuer) {
    return authErrorOf(fetchProviderMetadata(issuer, idp.fetch));
  }

  it('fetches {issuer}/.well-known/openid-configuration', async () => {
    const metadata = await fetchProviderMetadata(idp.issuer, idp.fetch);
    expect(metadata).toMatchObject({ issuer: idp.issuer, jwks_uri: idp.jwksUri });
    expect(idp.http.requests.map((r) => r.url)).toEqual(['https://idp.example/.well-known/openid-configuration']);
  });

  it.each([
    ['https://tenant.auth0.example/', 'https://tenant.auth0.example/.well-known/openid-configuration'],
    ['https://idp.example/realms/demo', 'https://idp.example/realms/demo/.well-known/openid-configuration'],
    ['https://idp.example/realms/demo/', 'https://idp.example/realms/demo/.well-known/openid-configuration'],
  ])('keeps the path of %s and removes one trailing slash', async (issuer, url) => {
    const other = await createTestIssuer({ issuer });
    await expect(fetchProviderMetadata(issuer, other.fetch)).resolves.toMatchObject({ issuer });
    expect(other.http.requests.map((r) => r.url)).toEqual([url]);
  });

  it('refuses a document whose issuer differs, even by a trailing slash (§4.3)', async () => {
    idp.metadata['issuer'] = `${idp.issuer}/`;
    expect((await failureOf()).code).toBe('discovery_failed');
    idp.metadata['issuer'] = 'https://evil.example';
    expect((await failureOf()).code).toBe('discovery_failed');
    delete idp.metadata['issuer'];
    expect((await failureOf()).code).toBe('discovery_failed');
  });

  it('reports an unreachable provider as network_error with the cause', async () => {
    idp.http.unreachable(idp.discoveryUrl);
    const error = await failureOf();
    expect(error.code).toBe('network_error');
    expect(error.message).toContain(idp.discoveryUrl);
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('gives up on a provider that never answers with network_timeout within the given deadline', async () => {
    jest.useFakeTimers();
    try {
      idp.http.hang(idp.discoveryUrl);
      const settled = authErrorOf(fetchProviderMetadata(idp.issuer, idp.fetch, 1_500));
      await jest.advanceTimersByTimeAsync(1_500);
      expect((await settled).code).toBe('network_timeout');
    } finally {
      jest.useRealTimers();
    }
  });

  it.each([
    ['an HTTP error', () => new Response('{}', { status: 503 })],
    ['a body that is not JSON', () => new Response('<!doctype html>')],
    ['a JSON array', () => new Response('[]')],
  ])('reports %s as discovery_failed', async (_name, respond) => {
    idp.http.on(idp.discoveryUrl, respond);
    expect((await failureOf()).code).toBe('discovery_failed');
  });

  it('accepts a document without the optional endpoints (OpenID Discovery §3)', async () => {
    for (const name of ['jwks_uri', 'end_session_endpoint', 'userinfo_endpoint']) delete idp.metadata[name];
    const metadata = await fetchProviderMetadata(idp.issuer, idp.fetch);
    expect(metadata.authorization_endpoint).toBe(idp.authorizationEndpoint);
    expect(metadata.jwks_uri).toBeUndefined();
  });

  it('requires an authorization_endpoint', async () => {
    delete idp.metadata['authorization_endpoint'];
    expect((await failureOf()).code).toBe('discovery_failed');
  });

  it.each([
    ['authorization_endpoint', 'javascript:alert(document.cookie)'],
    ['authorization_endpoint', 'http://idp.example/authorize'],
    ['end_session_endpoint', 'data:text/html,<script>alert(1)</script>'],
    ['jwks_uri', 'http://idp.example/jwks'],
    ['userinfo_endpoint', 'http://idp.example/me'],
    ['userinfo_endpoint', 42],
  ])('refuses %s %j (script injection or token leak)', async (name, value) => {
    idp.metadata[name] = value;
    expect((await failureOf()).code).toBe('discovery_failed');
  });

  it('waits the given deadline for the document, no less', async () => {
    jest.useFakeTimers();
    try {
      idp.http.hang(idp.discoveryUrl);
      let settled = false;
      const result = authErrorOf(fetchProviderMetadata(idp.issuer, idp.fetch, 1_500)).finally(() => (settled = true));
      await jest.advanceTimersByTimeAsync(1_499);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect((await result).code).toBe('network_timeout');
    } finally {
      jest.useRealTimers();
    }
  });
});
