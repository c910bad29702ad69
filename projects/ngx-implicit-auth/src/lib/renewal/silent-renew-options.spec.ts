import { resolveSilentRenew } from './silent-renew-options';

describe('resolveSilentRenew (withSilentRenew options)', () => {
  const origin = 'https://app.example';

  it('fills in every default, the silent callback in the app’s folder', () => {
    expect(resolveSilentRenew({}, origin, 'https://app.example/app/')).toEqual({
      redirectUri: 'https://app.example/app/silent-callback.html',
      timeoutMs: 10_000,
      marginSeconds: 60,
      automatic: true,
      restoreSession: true,
      webMessage: false,
      onCookiesBlocked: 'sign-out',
      idTokenHint: 'memory',
    });
  });

  it('keeps what is given', () => {
    const given = {
      redirectUri: 'https://app.example/renew.html',
      timeoutMs: 5000,
      marginSeconds: 120,
      automatic: false,
      restoreSession: false,
      webMessage: true,
      onCookiesBlocked: 'redirect',
      idTokenHint: 'session',
    } as const;
    expect(resolveSilentRenew(given, origin, `${origin}/`)).toEqual(given);
  });

  const cases: [string, object, RegExp][] = [
    ['a negative timeout', { timeoutMs: -1 }, /config\.silentRenew\.timeoutMs/],
    ['a timeout above ten minutes', { timeoutMs: 600_001 }, /config\.silentRenew\.timeoutMs/],
    ['a margin that is not a number', { marginSeconds: '60' }, /config\.silentRenew\.marginSeconds/],
    // Its answer is trusted only from the app's origin (the postMessage origin check).
    ['a silent callback on another origin', { redirectUri: 'https://cdn.example/s.html' }, /silentRenew\.redirectUri/],
    ['a silent callback over plain http', { redirectUri: 'http://app.example/s.html' }, /silentRenew\.redirectUri/],
    ['an unknown idTokenHint', { idTokenHint: 'local' }, /silentRenew\.idTokenHint/],
  ];
  it.each(cases)('refuses %s, naming the field', (_name, options, message) => {
    expect(() => resolveSilentRenew(options as never, origin, `${origin}/`)).toThrow(message);
  });

  it.each([
    [
      { redirectUri: 'https://cdn.example/s.html' },
      "config.silentRenew.redirectUri must be on the app's origin (https://app.example)",
    ],
    [{ redirectUri: '/silent.html' }, 'config.silentRenew.redirectUri must be an absolute URL'],
    [{ timeoutMs: 600_001 }, 'config.silentRenew.timeoutMs must be a number between 0 and 600000'],
    [
      { marginSeconds: -1 },
      `config.silentRenew.marginSeconds must be a number between 0 and ${Number.MAX_SAFE_INTEGER}`,
    ],
    [{ idTokenHint: 'local' }, "config.silentRenew.idTokenHint must be 'memory' or 'session'"],
  ])('says exactly what is wrong with %j', (options, message) => {
    expect(() => resolveSilentRenew(options as never, origin, `${origin}/`)).toThrow(`ngx-implicit-auth: ${message}`);
  });

  it('accepts the bounds themselves', () => {
    expect(resolveSilentRenew({ timeoutMs: 0, marginSeconds: 0 }, origin, `${origin}/`)).toMatchObject({
      timeoutMs: 0,
      marginSeconds: 0,
    });
  });
});
