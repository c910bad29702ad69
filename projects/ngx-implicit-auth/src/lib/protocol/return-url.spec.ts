import fc from 'fast-check';
import { ImplicitAuthError } from '../errors';
import { authErrorOf } from '../testing';
import { toSafeReturnUrl } from './return-url';
import { sameOriginHref } from './same-origin-href';

describe('toSafeReturnUrl', () => {
  const origin = 'https://app.example';

  it.each([
    ['/', '/'],
    ['/profile', '/profile'],
    ['/orders?id=7&tab=items#top', '/orders?id=7&tab=items#top'],
    ['profile', '/profile'],
    ['', '/'],
    ['?q=1', '/?q=1'],
    ['https://app.example/a/b?c=d#e', '/a/b?c=d#e'],
    ['HTTPS://APP.EXAMPLE:443/x', '/x'],
    ['//app.example/same-host', '/same-host'],
    ['/a/../b', '/b'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/search?q=https://evil.example', '/search?q=https://evil.example'],
    // A scheme-relative path: browsers resolve it on the current origin too.
    ['https:evil.example', '/evil.example'],
  ])('accepts %j as %j', (input, expected) => {
    expect(toSafeReturnUrl(input, origin)).toBe(expected);
  });

  it.each([
    'https://evil.example/',
    'https://app.example.evil.example/',
    'https://evil.example@app.example.evil.example/',
    'http://app.example/',
    'https://app.example:8443/',
    '//evil.example',
    '///evil.example',
    ' //evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '\\/evil.example',
    '/.//evil.example',
    '/..//evil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'blob:https://app.example/uuid',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r/evil.example',
    '\u0000/profile',
    '/profile\u007f',
  ])('refuses %j', async (input) => {
    expect((await authErrorOf(() => toSafeReturnUrl(input, origin))).code).toBe('invalid_return_url');
  });

  it('only ever returns a path on the same origin (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl(), fc.webPath(), fc.stringMatching(/^[/\\.:@a-z%\t]{0,12}$/)),
        (input) => {
          let result: string;
          try {
            result = toSafeReturnUrl(input, origin);
          } catch (error: unknown) {
            return error instanceof ImplicitAuthError && error.code === 'invalid_return_url';
          }
          return (
            result.startsWith('/') &&
            !result.startsWith('//') &&
            !result.includes('\\') &&
            new URL(result, 'https://other.example').origin === 'https://other.example' &&
            new URL(result, origin).origin === origin
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('sameOriginHref', () => {
  const origin = 'https://app.example';

  it('resolves a value against the origin and keeps it only when it stays on that origin', () => {
    expect(sameOriginHref('/silent-renew.html', origin)).toBe('https://app.example/silent-renew.html');
    expect(sameOriginHref('https://app.example/a?b#c', origin)).toBe('https://app.example/a?b#c');
    expect(sameOriginHref('https://evil.example/a', origin)).toBeNull();
    expect(sameOriginHref('//evil.example/a', origin)).toBeNull();
    expect(sameOriginHref('http://app.example/a', origin)).toBeNull();
  });

  it('gives null, never throws, for what is not a URL', () => {
    expect(sameOriginHref('/a', 'not an origin')).toBeNull();
  });
});

describe('toSafeReturnUrl on values that are not strings', () => {
  it.each([42, null, undefined, { toString: () => '/profile' }])('refuses %p', async (value) => {
    const error = await authErrorOf(() => toSafeReturnUrl(value as unknown as string, 'https://app.example'));
    expect(error.code).toBe('invalid_return_url');
  });
});

describe('toSafeReturnUrl with an origin that is not a URL', () => {
  it('keeps the parse failure as the cause', async () => {
    const error = await authErrorOf(() => toSafeReturnUrl('/profile', 'not an origin'));
    expect(error.code).toBe('invalid_return_url');
    // By name: jsdom's URL throws a TypeError of another realm.
    expect(error.cause).toMatchObject({ name: 'TypeError' });
  });
});
