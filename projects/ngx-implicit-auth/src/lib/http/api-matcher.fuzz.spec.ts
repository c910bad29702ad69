import fc from 'fast-check';
import { fuzz } from '../testing/fuzz';
import { createApiMatcher } from './api-matcher';

/**
 * Fuzzing the API URL matcher, the last gate before an access token leaves (`npm run fuzz`: 100,000 generated URLs
 * around EACH configured API). Each URL is built from parts whose normalised form this spec states itself (the URL
 * standard's rules for scheme, credentials, host, port and dot segments), and the oracle is the rule: same scheme,
 * host and port as an entry, no credentials, and a path equal to or below its prefix at a `/` boundary both as
 * parsed and after percent-decoding (until stable) the way a decoding server reads it.
 */

const BASE = 'https://app.example/shop/';

interface Api {
  readonly scheme: 'https' | 'http';
  readonly host: string;
  /** `''` for the scheme's default port. */
  readonly port: string;
  readonly prefix: readonly string[];
  readonly methods?: readonly string[];
  readonly audience: string;
}

const APIS: readonly Api[] = [
  { scheme: 'https', host: 'api.example.com', port: '', prefix: ['v1'], audience: 'a' },
  { scheme: 'http', host: 'localhost', port: '4401', prefix: ['api'], audience: 'b' },
  { scheme: 'https', host: 'api.example.com', port: '8443', prefix: [], methods: ['GET', 'POST'], audience: 'c' },
  { scheme: 'https', host: 'data.example.org', port: '', prefix: ['tenant', 'x'], audience: 'd' },
  { scheme: 'http', host: '127.0.0.1', port: '8080', prefix: ['rpc'], audience: 'e' },
  { scheme: 'https', host: 'api.example.com', port: '', prefix: ['v1', 'admin'], audience: 'f' },
];
const DEFAULT_PORT = { https: '443', http: '80' } as const;

const match = createApiMatcher({
  apis: APIS.map((api) => ({
    url: `${api.scheme}://${api.host}${api.port ? `:${api.port}` : ''}/${api.prefix.join('/')}${api.prefix.length ? '/' : ''}`,
    audience: api.audience,
    ...(api.methods ? { methods: api.methods } : {}),
  })),
  issuer: 'https://idp.example/',
  audience: undefined,
  scope: 'openid',
});

/** A generated piece of a URL: what is written, and what the URL standard makes of it (`null`: unparsable). */
interface Piece<T> {
  readonly text: string;
  readonly means: T;
}
const as = <T>(text: string, means: T): Piece<T> => ({ text, means });

/** Scheme and the slashes after it; `undefined`: not http(s), so never a match. */
const schemeAround = (api: Api) =>
  fc
    .tuple(
      fc.oneof(
        fc.constant(as(api.scheme, api.scheme)),
        fc.constant(as(api.scheme.toUpperCase(), api.scheme)),
        fc.constant(as(`${api.scheme[0].toUpperCase()}${api.scheme.slice(1)}`, api.scheme)),
        fc.constantFrom(as('https', 'https'), as('http', 'http'), as('', 'https' as string)),
        fc.constantFrom(as('wss', undefined), as('ws', undefined), as('ftp', undefined), as('blob:https', undefined)),
        fc.constantFrom(as('javascript', undefined), as('data', undefined), as('file', undefined)),
      ),
      // Special schemes read any mix of `/` and `\`, however many, as the authority's start.
      fc.constantFrom('//', '\\\\', '/\\', '\\/', '///', '////'),
    )
    .map(([scheme, slashes]) => ({
      text: scheme.text === '' ? slashes.replace(/\\/g, '/') : `${scheme.text}:${slashes}`,
      // `javascript:`, `data:` and `file:` read the rest differently; none is http(s) either way.
      means: scheme.means,
    }));

const userinfo = fc.constantFrom(
  as('', false),
  as('@', false),
  as(':@', false),
  as('user@', true),
  as('user:pw@', true),
  as(':pw@', true),
  as('api.example.com@', true),
  as('localhost:4401@', true),
);

/** Host spellings around the API's host, with the host the URL standard makes of them. */
const hostAround = (api: Api) => {
  const h = api.host;
  if (h === '127.0.0.1') {
    // An IPv4 address in its other spellings is the same address; a dotted name ending in a number must be one.
    return fc.constantFrom<Piece<string | null>>(
      as(h, h),
      as(`${h}.`, h),
      as('127.1', h),
      as('0x7f.0.0.1', h),
      as('2130706433', h),
      as('0177.0.0.1', h),
      as('%31%32%37.0.0.1', h),
      as('127.0.0.', '127.0.0.0'),
      as('127.0.0.2', '127.0.0.2'),
      as('127.0.0.256', null),
      as(`x${h}`, null),
      as(`${h}.evil.example`, `${h}.evil.example`),
      as('localhost', 'localhost'),
      as('evil.example', 'evil.example'),
      as(`${h}\u0000`, null),
    );
  }
  const variants: Piece<string | null>[] = [
    as(h, h),
    as(h.toUpperCase(), h),
    // IDNA maps these full stops to dots; a percent-encoded letter is decoded.
    as(h.replace(/\./g, '\u3002'), h),
    as(`%${h.charCodeAt(0).toString(16)}${h.slice(1)}`, h),
    as(`${h}.`, `${h}.`),
    as(`${h}.evil.example`, `${h}.evil.example`),
    as(`evil.${h}`, `evil.${h}`),
    as(`x${h}`, `x${h}`),
    as(h.slice(0, -1), h.slice(0, -1)),
    as('evil.example', 'evil.example'),
    as(`${h}%2eevil.example`, `${h}.evil.example`),
    as(`${h}\u0000.evil.example`, null),
    as(`${h} .evil.example`, null),
    // A Cyrillic `а`/`о` in place of the Latin one becomes a different (xn--) host.
    as(h.replace('a', '\u0430').replace('o', '\u043e'), 'a homograph'),
  ];
  if (h === 'localhost') variants.push(as('127.0.0.1', '127.0.0.1'), as('[::1]', '[::1]'));
  return fc.constantFrom(...variants);
};

/** Ports: the URL standard drops a scheme's default, reads leading zeros, refuses one over 65535. */
const portAround = (api: Api) =>
  fc.constantFrom<Piece<string | null>>(
    as('', ''),
    as(':', ''),
    as(api.port ? `:${api.port}` : '', api.port),
    as(api.port ? `:0${api.port}` : ':0443', api.port || '443'),
    as(':443', '443'),
    as(':80', '80'),
    as(':8443', '8443'),
    as(':4401', '4401'),
    as(':8080', '8080'),
    as(':65536', null),
    as(':x', null),
  );

/** Path segments: the prefix's own (changed or not), dot segments plain and encoded, encoded separators. */
const segmentAround = (api: Api) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...api.prefix, 'x', 'messages', 'admin') },
    fc.constantFrom(
      ...['v1', ...api.prefix].flatMap((s) => [
        s.toUpperCase(),
        `${s}evil`,
        `${s};x`,
        `%${s.charCodeAt(0).toString(16)}${s.slice(1)}`,
      ]),
    ),
    fc.constantFrom('.', '..', '%2e', '%2E', '.%2e', '%2e.', '%2E%2e', '..;', '..;x', '.;', ';', 'a;b=c', ''),
    fc.constantFrom('..%2f', '..%2F', '%2e%2e%2f', '..%5c', '%2f', '%5C', '%252e%252e%252f', '%252e', '%25252e%25252e'),
    fc.constantFrom('%zz', '%', '%C3', '%C3%A9', 'é', 'a b', '%41', '%00', '%2525', '%25252541'),
  );

/** A URL around `api`, with the parts the oracle decides by. */
const urlAround = (api: Api) =>
  fc
    .record({
      lead: fc.constantFrom('', '', '', ' ', '\u0001', '\t'),
      scheme: schemeAround(api),
      userinfo,
      host: hostAround(api),
      port: portAround(api),
      segments: fc.array(segmentAround(api), { maxLength: 6 }),
      separators: fc.array(fc.constantFrom('/', '/', '/', '\\'), { minLength: 6, maxLength: 6 }),
      tail: fc.constantFrom(
        '',
        '',
        '?a=1',
        '#x',
        `?next=https://${api.host}/${api.prefix.join('/')}`,
        '#/../../admin',
        '?%zz',
      ),
      // A tab or newline anywhere is removed by the parser before anything else.
      whitespace: fc.option(fc.tuple(fc.nat(), fc.constantFrom('\t', '\n', '\r')), { freq: 4 }),
      method: fc.constantFrom('GET', 'get', 'POST', 'DELETE'),
    })
    .map((p) => {
      let path = '';
      p.segments.forEach((segment, i) => (path += p.separators[i] + segment));
      let url = `${p.scheme.text}${p.userinfo.text}${p.host.text}${p.port.text}${path}${p.tail}`;
      if (p.whitespace) {
        const at = p.whitespace[0] % (url.length + 1);
        url = url.slice(0, at) + p.whitespace[1] + url.slice(at);
      }
      return { url: p.lead + url, parts: p };
    });

/** Strict percent-decoding (escapes → bytes → UTF-8, nothing else); `null` for a malformed one. */
function percentDecode(text: string): string | null {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let out = '';
  for (let i = 0; i < text.length;) {
    if (text[i] !== '%') {
      out += text[i++];
      continue;
    }
    const bytes: number[] = [];
    while (text[i] === '%') {
      if (!/^[0-9a-f]{2}$/i.test(text.slice(i + 1, i + 3))) return null;
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
    }
    try {
      out += decoder.decode(new Uint8Array(bytes));
    } catch {
      // Escapes that are not UTF-8: malformed.
      return null;
    }
  }
  return out;
}

/** The URL standard's path percent-encode set (for the characters generated here) and UTF-8 for the rest. */
function encodePath(segment: string): string {
  return [...segment]
    .map((c) =>
      /[\u0000-\u0020"<>`{}\u007f]/.test(c) || c > '\u007f'
        ? [...new TextEncoder().encode(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')
        : c,
    )
    .join('');
}

/** The path as parsed: `/` and `\` separate, `.`/`..` and their `%2e` spellings resolve, a final one leaves `/`. */
function parsedPath(segments: readonly string[]): string {
  const out: string[] = [];
  segments.forEach((raw, i) => {
    const last = i === segments.length - 1;
    const s = raw.toLowerCase().replace(/%2e/g, '.');
    if (s === '..') {
      out.pop();
      if (last) out.push('');
    } else if (s === '.') {
      if (last) out.push('');
    } else {
      out.push(encodePath(raw));
    }
  });
  return `/${out.join('/')}`;
}

/**
 * The path as a decoding server reads it: percent-decoded until stable (within 4 passes, else `null`), `/` and
 * `\` both separators, empty
 * segments dropped, `.` and `..` resolved also with `;parameters` after them. `null`: a malformed escape.
 */
function serverPath(path: string): string | null {
  let decoded: string | null = path;
  for (let previous = '', passes = 0; decoded !== previous; passes++) {
    // Still changing after 4 passes (deeper than triple encoding): no telling how deep a server decodes.
    if (passes === 4) return null;
    previous = decoded;
    decoded = percentDecode(decoded);
    if (decoded === null) return null;
  }
  const out: string[] = [];
  for (const segment of decoded.split(/[/\\]/)) {
    const name = segment.split(';')[0];
    if (name === '..') out.pop();
    else if (name !== '.' && segment !== '') out.push(segment);
  }
  return out.map((s) => `/${s}`).join('');
}

const isUnder = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

type Generated = typeof urlAround extends (api: Api) => fc.Arbitrary<infer T> ? T : never;

/** The audience a URL's token must be for, by the rule alone; `null`: no token. */
function oracle({ parts }: Generated): string | null {
  const scheme = parts.scheme.means;
  const host = parts.host.means;
  const port = parts.port.means;
  if (scheme === undefined || host === null || port === null || parts.userinfo.means) return null;
  // Segments split by `/` and `\` alike (the generator's segments contain neither).
  const segments = parts.segments;
  const path = segments.length === 0 ? '/' : parsedPath(segments);
  const decoded = serverPath(path);
  if (decoded === null) return null;
  const candidates = APIS.filter(
    (api) =>
      api.scheme === scheme &&
      api.host === host &&
      (api.port || DEFAULT_PORT[api.scheme]) === (port || DEFAULT_PORT[scheme as 'http' | 'https']) &&
      isUnder(path, api.prefix.map((s) => `/${s}`).join('')) &&
      isUnder(decoded, api.prefix.map((s) => `/${s}`).join('')) &&
      (!api.methods || api.methods.includes(parts.method.toUpperCase())),
  );
  // The longest prefix wins; config order among equals.
  candidates.sort((a, b) => b.prefix.join('/').length - a.prefix.join('/').length);
  return candidates[0]?.audience ?? null;
}

describe('createApiMatcher (fuzz)', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => (warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)));
  afterEach(() => warn.mockRestore());

  it.each(
    APIS.map((api) => [
      `${api.scheme}://${api.host}:${api.port || DEFAULT_PORT[api.scheme]}/${api.prefix.join('/')}`,
      api,
    ]),
  )('attaches a token around %s exactly where the rule says, and never anywhere else', (name, api) => {
    fuzz(
      `matcher around ${name}`,
      fc.property(urlAround(api), (generated) => {
        const expected = oracle(generated);
        const { url, parts } = generated;
        // Asked twice: the second answer comes from the cache, and must be the same.
        for (const pass of [1, 2]) {
          const audience = match(url, parts.method, BASE)?.audience ?? null;
          if (audience !== expected) expect({ pass, url, audience }).toEqual({ pass, url, audience: expected });
        }
      }),
    );
  });

  describe('a long or deeply encoded URL', () => {
    let decode: jest.SpyInstance;
    beforeEach(() => (decode = jest.spyOn(globalThis, 'decodeURIComponent')));
    afterEach(() => decode.mockRestore());
    const uncached = createApiMatcher(
      { apis: [{ url: 'https://api.example.com/v1' }], issuer: 'https://idp.example/', audience: 'a', scope: 'openid' },
      { cacheSize: 0 },
    );

    // Each decoding pass over `%2525…25` strips one level: decoding "until stable" took one pass per `25`, so a
    // 60 KB path cost about a second and a 1 MB one minutes. A path still changing after 4 passes (triple
    // encoding) is no real request's and matches nothing.
    it('decodes a path at most 4 times, so a 1 MB URL costs a few linear passes and gets no token when nested deeper', () => {
      fuzz(
        'matcher decoding passes',
        fc.property(
          fc.integer({ min: 0, max: 3000 }),
          fc.constantFrom('%25', '%2525', '/%25'),
          fc.constantFrom('', '2e', '2e%252e'),
          (depth, unit, end) => {
            decode.mockClear();
            const url = `https://api.example.com/v1/x/%${unit.slice(1).repeat(depth)}${end}`;
            uncached(url, 'GET', BASE);
            expect(decode.mock.calls.length).toBeLessThanOrEqual(4);
          },
        ),
        0.1,
      );
      decode.mockClear();
      const megabyte = `https://api.example.com/v1/%${'25'.repeat(512 * 1024)}`;
      expect(uncached(megabyte, 'GET', BASE)).toBeNull();
      expect(decode.mock.calls.length).toBeLessThanOrEqual(4);
      // Legitimate encodings, up to triple, still decide by the decoded path.
      expect(uncached('https://api.example.com/v1/%252561', 'GET', BASE)?.audience).toBe('a');
      expect(uncached('https://api.example.com/v1/%25252e%25252e/admin', 'GET', BASE)).toBeNull();
    });
  });
});
