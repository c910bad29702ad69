import fc from 'fast-check';
import type { ApiConfig } from '../config/implicit-auth-config';
import { isImplicitAuthError } from '../errors';
import { createApiMatcher, MAX_CACHED_URL_LENGTH } from './api-matcher';

const BASE = 'https://app.example/shop/';

/** URLs the entries of `HOSTILE_APIS` cover (with any method, from `BASE`), and why. */
const MATCHING: [string, string][] = [
  ['the prefix itself', 'https://api.example.com/v1'],
  ['below the prefix', 'https://api.example.com/v1/messages?x=1#y'],
  ['a trailing slash', 'https://api.example.com/v1/'],
  ['an upper-case host and scheme (normalised)', 'HTTPS://API.EXAMPLE.COM/v1/x'],
  ['the explicit default port', 'https://api.example.com:443/v1/x'],
  ['dot segments that stay inside', 'https://api.example.com/v1/a/../b/./c'],
  ['protocol-relative to the API (the browser sends it there)', '//api.example.com/v1/x'],
  ['backslashes, read as the browser reads them', 'https:\\\\api.example.com\\v1\\x'],
  ['leading and trailing spaces (stripped by the parser)', '  https://api.example.com/v1/x  '],
  ['a tab or newline inside (removed by the parser)', 'https://api.exa\tmple.com/v1/\nx'],
  ['ideographic full stops, mapped to dots by IDNA', 'https://api\u3002example\u3002com/v1/x'],
  ['an encoded ordinary character', 'https://api.example.com/v1/%41%42'],
  ['an encoded slash that stays inside', 'https://api.example.com/v1/group%2Fproject'],
  ['loopback over plain http', 'http://localhost:4401/api/messages'],
];

/** URLs that must get no token from `HOSTILE_APIS`, whatever the method, and why. */
const REFUSED: [string, string][] = [
  ['a lookalike host with the API host as prefix', 'https://api.example.com.evil.example/v1'],
  ['the API host as userinfo of another host', 'https://api.example.com@evil.example/v1'],
  ['userinfo with a port, before another host', 'https://api.example.com:443@evil.example/v1'],
  ['userinfo on the API host itself', 'https://user@api.example.com/v1/x'],
  ['user and password on the API host', 'https://user:pw@api.example.com/v1/x'],
  ['the API URL as a path on another host', 'https://evil.example/https://api.example.com/v1'],
  ['the API URL in a query string', 'https://evil.example/?next=https://api.example.com/v1'],
  ['the API URL in a fragment', 'https://evil.example/#https://api.example.com/v1'],
  ['a protocol-relative lookalike', '//evil.example/api'],
  ['backslashes towards another host', 'https:\\\\evil.example\\v1'],
  ['a backslash before @', 'https://api.example.com\\@evil.example/v1'],
  ['a tab hiding a lookalike', 'https://api.example.com\t.evil.example/v1'],
  ['an encoded dot in the host', 'https://api.example.com%2eevil.example/v1'],
  ['a NUL in the host (unparsable)', 'https://api.example.com\u0000.evil.example/v1'],
  ['plain http to an https API', 'http://api.example.com/v1/x'],
  ['another port', 'https://api.example.com:8443/v1/x'],
  ['a trailing-dot host (a different host name)', 'https://api.example.com./v1/x'],
  ['a Cyrillic homograph (xn--…)', 'https://\u0430pi.example.com/v1/x'],
  ['a sibling path sharing the prefix', 'https://api.example.com/v1evil'],
  ['another letter case in the path', 'https://api.example.com/V1/x'],
  ['a path traversal', 'https://api.example.com/v1/../admin'],
  ['an encoded path traversal', 'https://api.example.com/v1/%2e%2e/admin'],
  ['a mixed-case encoded traversal', 'https://api.example.com/v1/.%2E/admin'],
  ['a traversal hidden behind an encoded slash', 'https://api.example.com/v1/..%2Fadmin'],
  ['a fully encoded traversal', 'https://api.example.com/v1/%2e%2e%2fadmin'],
  ['a traversal hidden behind an encoded backslash', 'https://api.example.com/v1/..%5Cadmin'],
  ['a double-encoded traversal', 'https://api.example.com/v1/%252e%252e%252fadmin'],
  ['a Tomcat-style ..; traversal', 'https://api.example.com/v1/..;/admin'],
  ['a malformed escape', 'https://api.example.com/v1/%zz'],
  ['the prefix as an encoded segment', 'https://api.example.com/%76%31/x'],
  ['a relative URL (the app origin, not listed)', '/v1/x'],
  ['a relative URL without leading slash', 'v1/x'],
  ['javascript:', 'javascript:fetch("https://api.example.com/v1")'],
  ['data:', 'data:text/plain,https://api.example.com/v1'],
  ['blob: carrying the API origin', 'blob:https://api.example.com/v1/0c3a'],
  ['a websocket URL', 'wss://api.example.com/v1'],
  ['ftp:', 'ftp://api.example.com/v1'],
  ['127.0.0.1 for a localhost entry', 'http://127.0.0.1:4401/api/x'],
  ['https for an http loopback entry', 'https://localhost:4401/api/x'],
  ['an empty string', ''],
];

const HOSTILE_APIS: readonly ApiConfig[] = [
  { url: 'https://api.example.com/v1', audience: 'api' },
  { url: 'http://localhost:4401/api', audience: 'local' },
];

function matcherFor(
  apis: readonly ApiConfig[],
  extra: { audience?: string; issuer?: string; cacheSize?: number } = {},
) {
  return createApiMatcher(
    { apis, issuer: extra.issuer ?? 'https://idp.example/', audience: extra.audience, scope: 'openid profile' },
    { cacheSize: extra.cacheSize },
  );
}

describe('createApiMatcher', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => (warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)));
  afterEach(() => warn.mockRestore());

  describe('against a corpus of hostile URLs', () => {
    const match = matcherFor(HOSTILE_APIS);
    const audienceOf = (url: string, method = 'GET') => match(url, method, BASE)?.audience ?? null;

    it.each(MATCHING)('matches %s', (_why, url) => {
      expect(audienceOf(url)).not.toBeNull();
    });

    it.each(REFUSED)('refuses %s', (_why, url) => {
      expect(audienceOf(url)).toBeNull();
    });
  });

  describe('cache of parsed URLs', () => {
    const METHODS = ['GET', 'post', 'DELETE'];
    const AUDIENCES = [undefined, 'api', 'local', 'unknown'];
    const BASES = [BASE, 'http://localhost:4401/api/', 'https://api.example.com/v1/'];
    /** Every corpus URL, plus relative ones whose answer depends on the base. */
    const URLS = [
      ...[...MATCHING, ...REFUSED].map(([, url]) => url),
      'x',
      '../x',
      '/v1/x',
      '/api/x',
      'https:x',
      'http:x',
      'https:/v1/x',
    ];
    const requests = URLS.flatMap((url) =>
      BASES.flatMap((base) =>
        METHODS.flatMap((method) => AUDIENCES.map((audience) => ({ url, base, method, audience }))),
      ),
    );

    it.each([
      ['a cache holding them all', 10_000],
      ['a cache of 3 URLs (constant eviction)', 3],
    ])('decides as the uncached matcher for every corpus URL, method, audience and base, with %s', (_why, size) => {
      const uncached = matcherFor(HOSTILE_APIS, { cacheSize: 0 });
      const cached = matcherFor(HOSTILE_APIS, { cacheSize: size });
      // Twice over: the first pass fills the cache, the second is answered from it (what is left of it).
      for (const pass of [1, 2]) {
        for (const { url, base, method, audience } of requests) {
          const expected = uncached(url, method, base, audience);
          expect({ pass, url, base, method, audience, match: cached(url, method, base, audience) }).toEqual({
            pass,
            url,
            base,
            method,
            audience,
            match: expected,
          });
        }
      }
      expect(uncached.cachedUrls).toBe(0);
    });

    it('stays within its size, dropping the oldest URL first, and decides the same after an eviction', () => {
      const match = matcherFor(HOSTILE_APIS, { cacheSize: 4 });
      for (let i = 0; i < 50; i++) {
        expect(match(`https://api.example.com/v1/items/${i}`, 'GET', BASE)?.audience).toBe('api');
        expect(match.cachedUrls).toBe(Math.min(i + 1, 4));
      }
      expect(match('https://api.example.com/v1/items/0', 'GET', BASE)?.audience).toBe('api');
      expect(match('https://api.example.com.evil.example/v1', 'GET', BASE)).toBeNull();
      expect(match.cachedUrls).toBe(4);
    });

    it('does not keep URLs over the length limit', () => {
      const match = matcherFor(HOSTILE_APIS);
      const long = `https://api.example.com/v1/x?q=${'a'.repeat(MAX_CACHED_URL_LENGTH)}`;
      expect(match(long, 'GET', BASE)?.audience).toBe('api');
      expect(match(`https://evil.example/${'a'.repeat(MAX_CACHED_URL_LENGTH)}`, 'GET', BASE)).toBeNull();
      expect(match.cachedUrls).toBe(0);
    });

    it("never serves one method's or audience's decision to another for the same URL", () => {
      const match = matcherFor([
        { url: 'https://api.example.com/v1', audience: 'reader', methods: ['GET'] },
        { url: 'https://api.example.com/v1', audience: 'writer', methods: ['POST'] },
      ]);
      const url = 'https://api.example.com/v1/messages';
      expect(match(url, 'GET', BASE)?.audience).toBe('reader');
      expect(match(url, 'POST', BASE)?.audience).toBe('writer');
      expect(match(url, 'DELETE', BASE)).toBeNull();
      expect(match(url, 'GET', BASE, 'writer')).toBeNull();
      expect(match(url, 'POST', BASE, 'reader')).toBeNull();
      expect(match(url, 'POST', BASE, 'writer')?.audience).toBe('writer');
      expect(match(url, 'GET', BASE)?.audience).toBe('reader');
      expect(match.cachedUrls).toBe(1);
    });

    it('resolves a relative URL again when the base URI changes, and an absolute one keeps its answer', () => {
      const match = matcherFor([{ url: 'https://app.example/shop/api', audience: 'same-origin' }]);
      // `https:api` has a scheme but no `//`: the parser resolves it against a base of the same scheme.
      for (const url of ['api/cart', 'https:api/cart']) {
        expect(match(url, 'GET', BASE)?.audience).toBe('same-origin');
        expect(match(url, 'GET', 'https://app.example/elsewhere/')).toBeNull();
        expect(match(url, 'GET', BASE)?.audience).toBe('same-origin');
      }
      expect(match('https://app.example/shop/api/cart', 'GET', 'https://app.example/elsewhere/')?.audience).toBe(
        'same-origin',
      );
      expect(match('https://app.example/shop/api/cart', 'GET', BASE)?.audience).toBe('same-origin');
    });
  });

  it('resolves relative URLs against the base URI, so a listed app origin matches them', () => {
    const match = matcherFor([{ url: 'https://app.example/shop/api', audience: 'same-origin' }]);
    expect(match('api/cart', 'GET', BASE)?.audience).toBe('same-origin');
    expect(match('/shop/api', 'GET', BASE)?.audience).toBe('same-origin');
    expect(match('../api', 'GET', BASE)).toBeNull();
    expect(match('api/cart', 'GET', 'https://app.example/elsewhere/')).toBeNull();
  });

  it('filters by method, ignoring case', () => {
    const match = matcherFor([{ url: 'https://api.example.com', methods: ['GET', 'post'], audience: 'a' }]);
    expect(match('https://api.example.com/x', 'get', BASE)).not.toBeNull();
    expect(match('https://api.example.com/x', 'POST', BASE)).not.toBeNull();
    expect(match('https://api.example.com/x', 'DELETE', BASE)).toBeNull();
  });

  it('prefers the longest prefix, then config order, and fills in top-level audience and scope', () => {
    const match = matcherFor(
      [
        { url: 'https://api.example.com/v1' },
        { url: 'https://api.example.com/v1/admin/', audience: 'admin', scope: 'admin:all' },
        { url: 'https://api.example.com/v1', audience: 'second' },
      ],
      { audience: 'default' },
    );
    expect(match('https://api.example.com/v1/admin/users', 'GET', BASE)).toMatchObject({
      audience: 'admin',
      scope: 'admin:all',
    });
    expect(match('https://api.example.com/v1/users', 'GET', BASE)).toMatchObject({
      audience: 'default',
      scope: 'openid profile',
    });
  });

  it('with an audience, picks only an entry of that audience matching the URL', () => {
    const match = matcherFor([
      { url: 'https://api.example.com/v1', audience: 'a' },
      { url: 'https://api.example.com/v1', audience: 'b' },
      { url: 'https://other.example', audience: 'c' },
    ]);
    expect(match('https://api.example.com/v1/x', 'GET', BASE, 'b')?.audience).toBe('b');
    expect(match('https://api.example.com/v1/x', 'GET', BASE, 'c')).toBeNull();
    expect(match('https://evil.example/v1/x', 'GET', BASE, 'a')).toBeNull();
  });

  it('denies by default: no APIs, no match, and one dev-mode warning', () => {
    const match = matcherFor([]);
    expect(match('https://api.example.com/v1', 'GET', BASE)).toBeNull();
    expect(match(BASE, 'GET', BASE)).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/no `apis` configured/);
  });

  it.each([
    ['plain http to a non-loopback host', 'http://api.example.com'],
    ['credentials', 'https://user:pw@api.example.com'],
    ['a query', 'https://api.example.com/v1?x=1'],
    ['a non-http scheme', 'ftp://api.example.com'],
    ['a prefix covering the issuer', 'https://idp.example'],
    ['the issuer itself', 'https://idp.example/tenant'],
  ])('refuses an entry with %s', (_why, url) => {
    let thrown: unknown;
    try {
      matcherFor([{ url }], { issuer: 'https://idp.example/tenant/' });
    } catch (error: unknown) {
      thrown = error;
    }
    expect(isImplicitAuthError(thrown, 'invalid_config')).toBe(true);
  });

  it.each([
    ['ftp on a loopback host', 'ftp://localhost:4401/api', 'is not an https (or loopback http) base URL'],
    ['a fragment', 'https://api.example.com/v1#x', 'is not an https (or loopback http) base URL'],
    ['a malformed percent-escape', 'https://api.example.com/v1/%zz', 'has a malformed percent-escape'],
    [
      'a prefix covering the issuer',
      'https://idp.example',
      "covers the issuer: the provider's discovery and key endpoints would receive access tokens",
    ],
  ])('says why it refuses an entry with %s, naming it', (_why, url, problem) => {
    expect(() =>
      matcherFor([{ url: 'https://ok.example' }, { url }], { issuer: 'https://idp.example/tenant/' }),
    ).toThrow(`ngx-implicit-auth: config.apis[1].url ${problem}`);
  });

  it('reads a prefix with trailing slashes as the prefix itself', () => {
    const match = matcherFor([{ url: 'https://api.example.com/v1//', audience: 'api' }]);
    expect(match('https://api.example.com/v1/x', 'GET', BASE)?.audience).toBe('api');
    expect(match('https://api.example.com/v1', 'GET', BASE)?.audience).toBe('api');
  });

  describe('which URLs it keeps parsed', () => {
    it('keeps a URL of exactly the length limit', () => {
      const match = matcherFor(HOSTILE_APIS);
      const prefix = 'https://api.example.com/v1/x?q=';
      match(prefix + 'a'.repeat(MAX_CACHED_URL_LENGTH - prefix.length), 'GET', BASE);
      expect(match.cachedUrls).toBe(1);
    });

    it('keeps absolute http(s) URLs across a change of base URI, and relative ones for their base only', () => {
      const match = matcherFor(HOSTILE_APIS);
      match('/v1/x', 'GET', BASE);
      match('/v1/y', 'GET', BASE);
      expect(match.cachedUrls).toBe(2);
      match('https://api.example.com/v1/x', 'GET', 'https://app.example/other/');
      match('http://localhost:4401/api/x', 'GET', 'https://app.example/third/');
      expect(match.cachedUrls).toBe(4);
      match('/v1/z', 'GET', 'https://app.example/other/');
      expect(match.cachedUrls).toBe(1);
    });

    it('keeps nothing when no API is configured (nothing to decide)', () => {
      const match = matcherFor([]);
      match('https://api.example.com/v1', 'GET', BASE);
      expect(match.cachedUrls).toBe(0);
    });
  });

  describe('the dev-mode warning for no apis', () => {
    const global = globalThis as { ngDevMode?: unknown };
    let devMode: unknown;
    beforeEach(() => (devMode = global.ngDevMode));
    afterEach(() => (global.ngDevMode = devMode));

    it('is given where ngDevMode is unset or set, never in production, and never with APIs', () => {
      for (const mode of [undefined, {}, true]) {
        global.ngDevMode = mode;
        matcherFor([]);
      }
      expect(warn).toHaveBeenCalledTimes(3);
      expect(warn).toHaveBeenCalledWith('ngx-implicit-auth: no `apis` configured, so no request gets an access token.');
      global.ngDevMode = false;
      matcherFor([]);
      global.ngDevMode = {};
      matcherFor(HOSTILE_APIS);
      expect(warn).toHaveBeenCalledTimes(3);
    });
  });

  it('accepts an API below the issuer (e.g. a provider management API)', () => {
    const match = matcherFor([{ url: 'https://idp.example/api/v2/', audience: 'mgmt' }]);
    expect(match('https://idp.example/api/v2/users', 'GET', BASE)?.audience).toBe('mgmt');
    expect(match('https://idp.example/.well-known/jwks.json', 'GET', BASE)).toBeNull();
  });

  describe('property: a token is attached iff origin and path prefix match a configured entry', () => {
    /**
     * An oracle written from the URL standard's rules, independent of the matcher and of the URL parser: it
     * builds each URL from parts and normalises those parts itself.
     */
    const configured = [
      { scheme: 'https', host: 'api.example.com', port: '', prefix: ['v1'], methods: null, audience: 'a' },
      { scheme: 'http', host: 'localhost', port: ':4401', prefix: ['api'], methods: null, audience: 'b' },
      { scheme: 'https', host: 'api.example.com', port: ':8443', prefix: [], methods: ['GET', 'POST'], audience: 'c' },
    ];
    const match = matcherFor(
      configured.map((c) => ({
        url: `${c.scheme}://${c.host}${c.port}/${c.prefix.join('/')}`,
        audience: c.audience,
        ...(c.methods ? { methods: c.methods } : {}),
      })),
    );
    const DEFAULT_PORT: Record<string, string> = { https: ':443', http: ':80' };
    const isSingleDot = (s: string) => ['.', '%2e'].includes(s.toLowerCase());
    const isDoubleDot = (s: string) => ['..', '.%2e', '%2e.', '%2e%2e'].includes(s.toLowerCase());

    const urlParts = fc.record({
      scheme: fc.constantFrom('https', 'http', 'HTTPS'),
      userinfo: fc.constantFrom('', '', '', 'user@', 'api.example.com@'),
      host: fc.constantFrom(
        'api.example.com',
        'API.Example.COM',
        'localhost',
        'api.example.com.evil.example',
        'evil.example',
        'api.example.co',
        'api.example.com.',
        'xn--pi-7kc.example.com',
        'api-example.com',
        '127.0.0.1',
      ),
      port: fc.constantFrom('', ':443', ':80', ':8443', ':4401', ':4402'),
      segments: fc.array(
        fc.constantFrom(
          'v1',
          'V1',
          'v1evil',
          'api',
          'admin',
          '.',
          '..',
          '%2e',
          '%2E%2e',
          '.%2e',
          'x',
          '%41',
          'a b',
          'é',
          '',
        ),
        { maxLength: 6 },
      ),
      query: fc.constantFrom('', '?next=https://api.example.com/v1', '?a=1'),
      method: fc.constantFrom('GET', 'post', 'DELETE'),
    });

    type Parts = typeof urlParts extends fc.Arbitrary<infer T> ? T : never;

    function oracle(p: Parts): string | null {
      if (p.userinfo) return null;
      const scheme = p.scheme.toLowerCase();
      const host = p.host.toLowerCase();
      const port = p.port === DEFAULT_PORT[scheme] ? '' : p.port;
      // Dot segments per the URL standard's path state: a trailing dot segment leaves an empty last segment.
      const path: string[] = [];
      p.segments.forEach((segment, i) => {
        const last = i === p.segments.length - 1;
        if (isDoubleDot(segment)) {
          path.pop();
          if (last) path.push('');
        } else if (isSingleDot(segment)) {
          if (last) path.push('');
        } else {
          path.push(segment);
        }
      });
      const entry = configured.find(
        (c) =>
          c.scheme === scheme &&
          c.host === host &&
          c.port === port &&
          c.prefix.every((segment, i) => path[i] === segment) &&
          (!c.methods || c.methods.includes(p.method.toUpperCase())),
      );
      return entry?.audience ?? null;
    }

    it('holds for generated URLs', () => {
      fc.assert(
        fc.property(urlParts, (p) => {
          const url = `${p.scheme}://${p.userinfo}${p.host}${p.port}/${p.segments.join('/')}${p.query}`;
          const expected = oracle(p);
          expect(match(url, p.method, BASE)?.audience ?? null).toBe(expected);
          // Asked again: answered from the matcher's cache (or parsed anew after an eviction), the same way.
          expect(match(url, p.method, BASE)?.audience ?? null).toBe(expected);
        }),
        { numRuns: 3000 },
      );
    });
  });
});
