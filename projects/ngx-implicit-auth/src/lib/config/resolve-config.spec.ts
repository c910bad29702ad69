import { generateKeyPair, SignJWT } from 'jose';
import { resolveConfig } from './resolve-config';
import { sameOriginHref } from '../protocol/return-url';
import { scopeFor } from '../protocol/response-type';
import { ImplicitAuthError } from '../errors';

describe('resolveConfig', () => {
  const origin = 'https://app.example';

  it('fills in documented defaults', () => {
    const config = resolveConfig({ issuer: 'https://idp.example/', clientId: 'spa' }, origin);
    expect(config.responseType).toBe('id_token token');
    expect(config.scope).toBe('openid profile email');
    expect(config.redirectUri).toBe('https://app.example/');
    expect(config.clockSkewSeconds).toBe(300);
    expect(config.clock).toBe('device');
    expect(config.algorithms).toEqual(['RS256']);
    expect(config.storage).toBe('memory');
    expect(config.networkTimeoutMs).toBe(10_000);
    expect(
      resolveConfig({ issuer: 'https://idp.example/', clientId: 'spa', networkTimeoutMs: 1500 }, origin),
    ).toMatchObject({ networkTimeoutMs: 1500 });
    expect(config.maxAgeSeconds).toBeUndefined();
    expect(config.trustedAudiences).toEqual([]);
  });

  it('accepts trustedAudiences only as a list of non-empty strings', () => {
    const base = { issuer: 'https://idp.example/', clientId: 'spa' };
    expect(resolveConfig({ ...base, trustedAudiences: ['https://api.example'] }, origin).trustedAudiences).toEqual([
      'https://api.example',
    ]);
    for (const trustedAudiences of ['https://api.example', [''], [42]]) {
      expect(() => resolveConfig({ ...base, trustedAudiences } as never, origin)).toThrow(/trustedAudiences/);
    }
  });

  it('derives the redirect URIs from the base URL, so an app under a sub-path needs no settings', () => {
    const base = { issuer: 'https://idp.example/', clientId: 'spa' };
    const underApp = resolveConfig(base, origin, 'https://app.example/app/');
    expect(underApp.redirectUri).toBe('https://app.example/app/');
    expect(underApp.logout.postLogoutRedirectUri).toBe('https://app.example/app/');
    // The base's folder, not a file in it; a base on another origin is ignored.
    expect(resolveConfig(base, origin, 'https://app.example/app/index.html').redirectUri).toBe(
      'https://app.example/app/',
    );
    expect(resolveConfig(base, origin, 'https://cdn.example/app/').redirectUri).toBe('https://app.example/');
    expect(resolveConfig(base, origin).redirectUri).toBe('https://app.example/');
  });

  it("asks for no scope by default with response type 'token' (pure OAuth 2.0), and keeps one given", () => {
    const base = { issuer: 'https://idp.example/', clientId: 'spa', responseType: 'token' as const };
    expect(resolveConfig(base, origin).scope).toBe('');
    expect(resolveConfig({ ...base, scope: 'read:messages' }, origin).scope).toBe('read:messages');
    expect(resolveConfig({ ...base, scope: 'openid read:messages' }, origin).scope).toBe('openid read:messages');
    expect(resolveConfig({ ...base, responseType: 'id_token' }, origin).scope).toBe('openid profile email');
  });

  it('signs with jose in this environment (smoke)', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    expect(jwt.split('.')).toHaveLength(3);
  });

  it('names the field of a broken config', () => {
    expect(() => resolveConfig({ issuer: 'not a url', clientId: 'spa' }, origin)).toThrow(/config\.issuer/);
    expect(() => resolveConfig({ issuer: 'https://idp.example/', clientId: '' }, origin)).toThrow(ImplicitAuthError);
  });
});

describe('resolveConfig refuses, naming the field', () => {
  const origin = 'https://app.example';
  const base = { issuer: 'https://idp.example/', clientId: 'spa' };
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a plain-http issuer off loopback', { issuer: 'http://idp.example/' }, /config\.issuer must be https/],
    ['an issuer with a query', { issuer: 'https://idp.example/?x=1' }, /config\.issuer/],
    ['an issuer with credentials', { issuer: 'https://u:p@idp.example/' }, /config\.issuer/],
    ['a relative issuer', { issuer: '/idp' }, /config\.issuer must be an absolute URL/],
    ['a missing client id', { clientId: '  ' }, /config\.clientId/],
    ['a redirect URI with a fragment', { redirectUri: 'https://app.example/#x' }, /config\.redirectUri/],
    ['an unknown response type', { responseType: 'code' }, /config\.responseType/],
    ['an empty audience', { audience: '' }, /config\.audience/],
    ['alg none', { algorithms: ['none'] }, /config\.algorithms/],
    ['HS256', { algorithms: ['RS256', 'HS256'] }, /config\.algorithms/],
    ['no algorithm at all', { algorithms: [] }, /config\.algorithms/],
    ['an endpoint over plain http', { endpoints: { jwks: 'http://idp.example/jwks' } }, /config\.endpoints\.jwks/],
    ['an unknown logout style', { logout: { style: 'global' } }, /config\.logout\.style/],
    ['a reserved authorize parameter', { authorizeParams: { nonce: 'fixed' } }, /authorizeParams\.nonce/],
    ['a request object parameter', { authorizeParams: { request_uri: 'urn:x' } }, /authorizeParams\.request_uri/],
    ['an extra max_age', { authorizeParams: { max_age: '0' } }, /authorizeParams\.max_age/],
    ['an extra prompt', { authorizeParams: { prompt: 'login' } }, /authorizeParams\.prompt/],
    ['an extra id_token_hint', { authorizeParams: { id_token_hint: 'a.b.c' } }, /authorizeParams\.id_token_hint/],
    ['an API URL with a query', { apis: [{ url: 'https://api.example/?k=1' }] }, /apis\[0\]\.url/],
    ['APIs with id_token only', { responseType: 'id_token', apis: [{ url: 'https://api.example' }] }, /config\.apis/],
    ['a negative max age', { maxAgeSeconds: -1 }, /config\.maxAgeSeconds/],
    ['a fractional max age', { maxAgeSeconds: 0.5 }, /config\.maxAgeSeconds/],
    ['a max age without an ID token', { responseType: 'token', maxAgeSeconds: 60 }, /config\.maxAgeSeconds/],
    ['a clock skew above 300 s', { clockSkewSeconds: 301 }, /config\.clockSkewSeconds/],
    ['an unknown clock', { clock: 'ntp' }, /config\.clock /],
    ["the provider's clock without an ID token", { responseType: 'token', clock: 'provider' }, /config\.clock /],
    ['a network timeout above two minutes', { networkTimeoutMs: 120_001 }, /config\.networkTimeoutMs/],
    ['a network timeout that is not a number', { networkTimeoutMs: '5000' }, /config\.networkTimeoutMs/],
    [
      'silentRenew, now withSilentRenew()',
      { silentRenew: {} },
      /config\.silentRenew is now a feature.*withSilentRenew/,
    ],
    ['storage, now withStorage()', { storage: 'session' }, /config\.storage is now a feature.*withStorage/],
    ['loadUserInfo, now withUserInfo()', { loadUserInfo: true }, /config\.loadUserInfo is now a feature.*withUserInfo/],
  ];
  it.each(cases)('%s', (_name, overrides, message) => {
    expect(() => resolveConfig({ ...base, ...overrides } as never, origin)).toThrow(message);
  });

  it('accepts plain http on loopback hosts, for development', () => {
    for (const issuer of ['http://localhost:4400', 'http://127.0.0.1:4400', 'http://[::1]:4400']) {
      expect(resolveConfig({ issuer, clientId: 'spa' }, 'http://localhost:4200').issuer).toBe(issuer);
    }
  });
});

describe('scopeFor', () => {
  it('adds openid for response types with an ID token, and normalises spaces', () => {
    expect(scopeFor('id_token token', '  read:messages   profile ')).toBe('openid read:messages profile');
    expect(scopeFor('id_token', 'openid email')).toBe('openid email');
    expect(scopeFor('token', 'read:messages')).toBe('read:messages');
  });
});

describe('sameOriginHref', () => {
  it('keeps URLs on the origin and refuses everything else', () => {
    const origin = 'https://app.example';
    expect(sameOriginHref('/bye?x=1', origin)).toBe('https://app.example/bye?x=1');
    expect(sameOriginHref('https://app.example/bye', origin)).toBe('https://app.example/bye');
    for (const value of ['//evil.example/', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)']) {
      expect(sameOriginHref(value, origin)).toBeNull();
    }
  });
});
