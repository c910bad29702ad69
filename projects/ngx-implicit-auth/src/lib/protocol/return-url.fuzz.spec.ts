import fc from 'fast-check';
import { ImplicitAuthError } from '../errors';
import { fuzz } from '../testing/fuzz';
import { toSafeReturnUrl } from './return-url';
import { sameOriginHref } from './same-origin-href';

/**
 * Fuzzing the return-URL check (`npm run fuzz`: 100,000 cases per property). The oracle is the browser's own
 * URL parser applied to the result, on two different origins: a safe return URL is a path that lands on the
 * app's origin and on no other, whatever base it is later resolved against.
 */
const ORIGIN = 'https://app.example';

/** Pieces of open-redirect and script-injection payloads, spliced together. */
const piece = fc.oneof(
  fc.constantFrom(
    '/',
    '//',
    '\\',
    '/\\',
    '.',
    '..',
    '%2f',
    '%5c',
    '%2e',
    '@',
    ':',
    '?',
    '#',
    '\t',
    '\n',
    '\r',
    '\u0000',
    '\u007f',
    ' ',
    '\u3002',
    'evil.example',
    'app.example',
    'https:',
    'http:',
    'HTTPS://APP.EXAMPLE',
    'javascript:',
    'java\tscript:',
    'data:',
    'blob:',
    'alert(1)',
    ':443',
    ':8443',
    'user@',
  ),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const returnUrl = fc.oneof(
  fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join('')),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.webPath(),
);

describe('toSafeReturnUrl (fuzz)', () => {
  it('returns a path on the app origin and on no other, or throws invalid_return_url; nothing else', () => {
    fuzz(
      'return URL',
      fc.property(returnUrl, (input) => {
        let result: string;
        try {
          result = toSafeReturnUrl(input, ORIGIN);
        } catch (error: unknown) {
          if (!(error instanceof ImplicitAuthError)) throw error;
          expect(error.code).toBe('invalid_return_url');
          return;
        }
        expect(result).toMatch(/^\/(?!\/)/);
        expect(result).not.toMatch(/[\\\u0000-\u001f\u007f]/);
        expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
        expect(new URL(result, 'https://other.example/a/b').origin).toBe('https://other.example');
        // Idempotent: a safe return URL stays itself when checked again (it is stored, then checked on use).
        expect(toSafeReturnUrl(result, ORIGIN)).toBe(result);
      }),
    );
  });

  it('keeps every plain same-origin path as the browser normalises it', () => {
    fuzz(
      'return URL: plain paths',
      fc.property(fc.webPath(), fc.webQueryParameters(), fc.webFragments(), (path, query, hash) => {
        const input = `/${path.replace(/^\/+/, '')}${query ? `?${query}` : ''}${hash ? `#${hash}` : ''}`;
        const url = new URL(input, ORIGIN);
        const expected = url.pathname + url.search + url.hash;
        if (expected.startsWith('//')) return;
        expect(toSafeReturnUrl(input, ORIGIN)).toBe(expected);
      }),
    );
  });

  it('sameOriginHref never throws and only returns an href on the given origin', () => {
    fuzz(
      'same-origin href',
      fc.property(
        returnUrl,
        fc.constantFrom(ORIGIN, 'http://localhost:4200', 'null', '', 'not a url'),
        (input, origin) => {
          const href = sameOriginHref(input, origin);
          if (href !== null) expect(new URL(href).origin).toBe(origin);
        },
      ),
    );
  });

  // 64 KiB, not 1 MB: jsdom's URL parser is plain JavaScript and takes about a second per megabyte (a browser's takes
  // milliseconds); the check itself is one regular-expression scan and one parse.
  it('decides a long return URL whole: refused with a hostile tail, kept as a path otherwise', () => {
    const padding = `/${'a'.repeat(64 * 1024)}`;
    expect(toSafeReturnUrl(padding, ORIGIN)).toBe(padding);
    for (const tail of ['\\evil', '\t', '\u0000']) {
      expect(() => toSafeReturnUrl(padding + tail, ORIGIN)).toThrow(ImplicitAuthError);
    }
    expect(() => toSafeReturnUrl(`//evil.example${padding}`, ORIGIN)).toThrow(ImplicitAuthError);
  });
});
