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
});
