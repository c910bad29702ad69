import { generateKeyPair, SignJWT } from 'jose';
import { resolveConfig } from './resolve-config';
import { sameOriginHref } from '../protocol/same-origin-href';
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

describe('resolveConfig resolves every field', () => {
  const origin = 'https://app.example';
  const base = { issuer: 'https://idp.example/', clientId: 'spa' };

  it('to its documented default', () => {
    expect(resolveConfig(base, origin)).toEqual({
      issuer: 'https://idp.example/',
      clientId: 'spa',
      redirectUri: 'https://app.example/',
      responseType: 'id_token token',
      scope: 'openid profile email',
      audience: undefined,
      clockSkewSeconds: 300,
      clock: 'device',
      maxAgeSeconds: undefined,
      storage: 'memory',
      algorithms: ['RS256'],
      trustedAudiences: [],
      endpoints: {},
      logout: { style: 'oidc', postLogoutRedirectUri: 'https://app.example/' },
      authorizeParams: {},
      transactionTtlSeconds: 600,
      networkTimeoutMs: 10_000,
      apis: [],
      // The features' fields: filled in by provideImplicitAuth from withSilentRenew() / withStorage().
      silentRenew: false,
    });
  });

  it('to the value given, where valid', () => {
    const config = resolveConfig(
      {
        ...base,
        redirectUri: 'https://app.example/callback?x=1',
        responseType: 'id_token',
        scope: 'email',
        audience: 'https://api.example',
        clockSkewSeconds: 0,
        clock: 'provider',
        maxAgeSeconds: 0,
        algorithms: ['ES256', 'PS256'],
        trustedAudiences: ['https://other.example'],
        endpoints: { authorization: 'https://idp.example/auth', endSession: 'https://idp.example/end' },
        logout: { style: 'auth0', postLogoutRedirectUri: 'https://app.example/bye' },
        authorizeParams: { ui_locales: 'de' },
        transactionTtlSeconds: 3600,
        networkTimeoutMs: 120_000,
      },
      origin,
    );
    expect(config).toEqual({
      issuer: 'https://idp.example/',
      clientId: 'spa',
      redirectUri: 'https://app.example/callback?x=1',
      responseType: 'id_token',
      scope: 'openid email',
      audience: 'https://api.example',
      clockSkewSeconds: 0,
      clock: 'provider',
      maxAgeSeconds: 0,
      storage: 'memory',
      algorithms: ['ES256', 'PS256'],
      trustedAudiences: ['https://other.example'],
      endpoints: { authorization: 'https://idp.example/auth', endSession: 'https://idp.example/end' },
      logout: { style: 'auth0', postLogoutRedirectUri: 'https://app.example/bye' },
      authorizeParams: { ui_locales: 'de' },
      transactionTtlSeconds: 3600,
      networkTimeoutMs: 120_000,
      apis: [],
      silentRenew: false,
    });
    expect(resolveConfig({ ...base, clock: 'device' }, origin).clock).toBe('device');
    expect(resolveConfig({ ...base, responseType: 'token' }, origin).responseType).toBe('token');
    expect(resolveConfig({ ...base, logout: { style: 'local' } }, origin).logout.style).toBe('local');
    const apis = [{ url: 'https://api.example/v1' }, { url: 'https://api2.example' }];
    expect(resolveConfig({ ...base, apis }, origin).apis).toEqual(apis);
  });

  it('falls back to the origin root for a base URL it cannot read', () => {
    expect(resolveConfig(base, origin, 'not a url').redirectUri).toBe('https://app.example/');
  });
});

describe('resolveConfig tells exactly what is wrong (invalid_config, the field and the rule)', () => {
  const origin = 'https://app.example';
  const base = { issuer: 'https://idp.example/', clientId: 'spa' };
  const https = 'must be https (http only on loopback) and hold no credentials';
  const between = (max: number) => `must be a number between 0 and ${max}`;
  const cases: [string, unknown, string][] = [
    ['no config at all', null, 'config. must be an object'],
    ['a config that is a string', 'https://idp.example', 'config. must be an object'],
    [
      'an issuer that is a URL object',
      { ...base, issuer: new URL('https://idp.example/') },
      'config.issuer must be an absolute URL',
    ],
    ['a plain-http issuer', { ...base, issuer: 'http://idp.example/' }, `config.issuer ${https}`],
    [
      'an issuer with a query',
      { ...base, issuer: 'https://idp.example/?x' },
      'config.issuer must have no query or fragment',
    ],
    [
      'an issuer with a fragment',
      { ...base, issuer: 'https://idp.example/#x' },
      'config.issuer must have no query or fragment',
    ],
    ['a client id that is no string', { ...base, clientId: 42 }, 'config.clientId is required'],
    ['a relative redirect URI', { ...base, redirectUri: '/callback' }, 'config.redirectUri must be an absolute URL'],
    [
      'a redirect URI with a fragment',
      { ...base, redirectUri: 'https://app.example/#x' },
      'config.redirectUri must have no fragment',
    ],
    [
      'response type code',
      { ...base, responseType: 'code' },
      "config.responseType must be 'id_token token', 'id_token' or 'token'",
    ],
    ['an audience that is no string', { ...base, audience: 42 }, 'config.audience must be a non-empty string'],
    [
      'a max age that is no number',
      { ...base, maxAgeSeconds: '60' },
      'config.maxAgeSeconds must be whole seconds, 0 or more',
    ],
    [
      'a max age without an ID token',
      { ...base, responseType: 'token', maxAgeSeconds: 0 },
      "config.maxAgeSeconds needs an ID token: not with responseType 'token'",
    ],
    ['an unknown clock', { ...base, clock: 'ntp' }, "config.clock must be 'device' or 'provider'"],
    [
      "the provider's clock without an ID token",
      { ...base, responseType: 'token', clock: 'provider' },
      "config.clock 'provider' needs an ID token: not with responseType 'token'",
    ],
    [
      'algorithms that are no list',
      { ...base, algorithms: 'RS256' },
      'config.algorithms must list at least one algorithm',
    ],
    ['an empty algorithm list', { ...base, algorithms: [] }, 'config.algorithms must list at least one algorithm'],
    [
      'a symmetric algorithm',
      { ...base, algorithms: ['RS256', 'HS256'] },
      "config.algorithms has 'HS256': only asymmetric ones are accepted",
    ],
    [
      'trusted audiences that are no list',
      { ...base, trustedAudiences: 'x' },
      'config.trustedAudiences must be a list of non-empty strings',
    ],
    [
      'a relative authorization endpoint',
      { ...base, endpoints: { authorization: '/auth' } },
      'config.endpoints.authorization must be an absolute URL',
    ],
    [
      'a plain-http jwks endpoint',
      { ...base, endpoints: { jwks: 'http://idp.example/jwks' } },
      `config.endpoints.jwks ${https}`,
    ],
    [
      'a relative end-session endpoint',
      { ...base, endpoints: { endSession: 'end' } },
      'config.endpoints.endSession must be an absolute URL',
    ],
    [
      'a relative userinfo endpoint',
      { ...base, endpoints: { userinfo: 'me' } },
      'config.endpoints.userinfo must be an absolute URL',
    ],
    [
      'an unknown logout style',
      { ...base, logout: { style: 'global' } },
      "config.logout.style must be 'oidc', 'auth0' or 'local'",
    ],
    [
      'a relative post-logout URI',
      { ...base, logout: { postLogoutRedirectUri: '/bye' } },
      'config.logout.postLogoutRedirectUri must be an absolute URL',
    ],
    [
      'a reserved authorize parameter',
      { ...base, authorizeParams: { state: 'x' } },
      'config.authorizeParams.state is reserved',
    ],
    [
      'an authorize parameter that is no string',
      { ...base, authorizeParams: { display: 1 } },
      'config.authorizeParams.display must be a string',
    ],
    ['APIs that are no list', { ...base, apis: { url: 'https://api.example' } }, 'config.apis must be an array'],
    ['an API without a URL', { ...base, apis: [null] }, 'config.apis[0].url must be an absolute URL'],
    [
      'a second API with a fragment',
      { ...base, apis: [{ url: 'https://a.example' }, { url: 'https://b.example/#x' }] },
      'config.apis[1].url must have no query or fragment',
    ],
    [
      'APIs with id_token only',
      { ...base, responseType: 'id_token', apis: [{ url: 'https://api.example' }] },
      "config.apis needs an access token: not with responseType 'id_token'",
    ],
    ['a negative clock skew', { ...base, clockSkewSeconds: -1 }, `config.clockSkewSeconds ${between(300)}`],
    ['an infinite clock skew', { ...base, clockSkewSeconds: Infinity }, `config.clockSkewSeconds ${between(300)}`],
    [
      'a transaction lifetime above an hour',
      { ...base, transactionTtlSeconds: 3601 },
      `config.transactionTtlSeconds ${between(3600)}`,
    ],
    [
      'a network timeout above two minutes',
      { ...base, networkTimeoutMs: 120_001 },
      `config.networkTimeoutMs ${between(120_000)}`,
    ],
  ];
  it.each(cases)('%s', (_name, config, message) => {
    let error: unknown;
    try {
      resolveConfig(config as never, origin);
    } catch (caught: unknown) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ImplicitAuthError);
    expect((error as ImplicitAuthError).code).toBe('invalid_config');
    expect((error as ImplicitAuthError).message).toBe(`ngx-implicit-auth: ${message}`);
  });

  it('accepts the bounds themselves', () => {
    const ok = resolveConfig({ ...base, clockSkewSeconds: 300, transactionTtlSeconds: 0, networkTimeoutMs: 0 }, origin);
    expect(ok).toMatchObject({ clockSkewSeconds: 300, transactionTtlSeconds: 0, networkTimeoutMs: 0 });
  });
});

describe('resolveConfig in production (ngDevMode false: the texts are dropped)', () => {
  const global = globalThis as { ngDevMode?: unknown };
  let devMode: unknown;
  beforeEach(() => {
    devMode = global.ngDevMode;
    global.ngDevMode = false;
  });
  afterEach(() => (global.ngDevMode = devMode));

  it('still refuses with invalid_config and names the field', () => {
    let thrown: unknown;
    try {
      resolveConfig({ issuer: 'https://idp.example/', clientId: '' }, 'https://app.example');
    } catch (error: unknown) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ImplicitAuthError);
    expect(thrown).toMatchObject({ code: 'invalid_config', message: 'ngx-implicit-auth: config.clientId is invalid' });
  });
});
