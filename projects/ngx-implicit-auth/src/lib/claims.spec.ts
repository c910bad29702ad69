import { type IdTokenClaims, readClaim, sameUser, userFingerprint } from './claims';

const base: IdTokenClaims = { iss: 'https://idp.example', sub: 'ada', aud: 'spa', exp: 2, iat: 1 };

describe('claims', () => {
  it('declares the standard claims, so they read with a dot under noPropertyAccessFromIndexSignature', () => {
    const claims: IdTokenClaims = { ...base, given_name: 'Ada', email_verified: true, address: { country: 'UK' } };
    // These lines are the test: the spec tsconfig has noPropertyAccessFromIndexSignature, so an undeclared
    // claim here would not compile.
    const shown: [string | undefined, boolean | undefined, string | undefined] = [
      claims.given_name,
      claims.email_verified,
      claims.address?.country,
    ];
    expect(shown).toEqual(['Ada', true, 'UK']);
  });

  it('reads a custom claim typed by a guard, and undefined when its shape differs', () => {
    const isStrings = (value: unknown): value is string[] =>
      Array.isArray(value) && value.every((item) => typeof item === 'string');
    const claims: IdTokenClaims = { ...base, 'https://example.com/roles': ['admin'], 'https://example.com/n': 3 };
    const roles: string[] | undefined = readClaim(claims, 'https://example.com/roles', isStrings);
    expect(roles).toEqual(['admin']);
    expect(readClaim(claims, 'https://example.com/n', isStrings)).toBeUndefined();
    expect(readClaim(null, 'https://example.com/roles', isStrings)).toBeUndefined();
  });

  it('tells users apart by issuer and subject, also by fingerprint', () => {
    const other = { ...base, sub: 'grace' };
    expect(sameUser(base, { ...base, name: 'x' })).toBe(true);
    expect(sameUser(base, other)).toBe(false);
    expect(sameUser(base, { ...base, iss: 'https://other.example' })).toBe(false);
    // No claims on either side: no user to tell apart; on one side only: not the same user.
    expect(sameUser(null, undefined)).toBe(true);
    expect(sameUser(base, null)).toBe(false);
    expect(sameUser(undefined, base)).toBe(false);
    expect(userFingerprint(base)).toBe(userFingerprint({ ...base, name: 'x' }));
    expect(userFingerprint(base)).not.toBe(userFingerprint(other));
  });
});

describe('userFingerprint', () => {
  it('is FNV-1a (32 bits, base 36) of issuer and subject, the same in every tab and version', () => {
    // Reference values: FNV-1a over "https://idp.example\nada" and over "\n" (no claims).
    expect(userFingerprint(base)).toBe(fnv1a('https://idp.example\nada'));
    expect(userFingerprint(null)).toBe(fnv1a('\n'));
    expect(userFingerprint({ ...base, iss: 'https://idp.example\nad', sub: 'a' })).not.toBe(userFingerprint(base));
  });

  /** FNV-1a as published (offset basis 2166136261, prime 16777619), written out independently. */
  function fnv1a(text: string): string {
    let hash = 2166136261n;
    for (const char of text) {
      hash ^= BigInt(char.codePointAt(0)!);
      hash = (hash * 16777619n) % 2n ** 32n;
    }
    return hash.toString(36);
  }
});
