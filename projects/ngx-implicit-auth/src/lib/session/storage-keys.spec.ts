import { storageKeys } from './storage-keys';

describe('storageKeys (every name one app writes under)', () => {
  it('derives every key from the issuer and client id, percent-encoded', () => {
    const namespace = 'ngx-implicit-auth:https%3A%2F%2Fidp.example%2Ft%3Aa:spa%3A1';
    expect(storageKeys('https://idp.example/t:a', 'spa:1')).toEqual({
      namespace,
      session: `${namespace}.session`,
      hadSession: `${namespace}.had-session`,
      signedInAt: `${namespace}.signed-in-at`,
      transactionPrefix: `${namespace}.tx.`,
      guardAttempt: `${namespace}.guard`,
      idTokenHint: `${namespace}.id-token-hint`,
      clockOffset: `${namespace}.clock-offset`,
      logoutState: `${namespace}.logout-state`,
    });
  });

  it('never lets one issuer and client id pair spell another pair (two apps on one origin)', () => {
    expect(storageKeys('https://idp.example:a', 'b').namespace).not.toBe(
      storageKeys('https://idp.example', 'a:b').namespace,
    );
  });

  it('gives every key of one app a distinct name', () => {
    const keys = Object.values(storageKeys('https://idp.example', 'spa'));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
