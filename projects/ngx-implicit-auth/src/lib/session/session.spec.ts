import type { IdTokenClaims } from '../claims';
import { belongsTo, isSession, isUsable, type Session, type StoredAccessToken, usableUntil } from './session';

const ISSUER = 'https://idp.example';
const CLIENT = 'client-1';
const claims = (overrides: Partial<IdTokenClaims> = {}): IdTokenClaims => ({
  iss: ISSUER,
  sub: 'alice',
  aud: CLIENT,
  exp: 2_000_000_000,
  iat: 1_900_000_000,
  ...overrides,
});
const TOKEN: StoredAccessToken = { token: 'at', expiresAt: 10_000, receivedAt: 0, scopes: ['api'] };
const session = (overrides: Partial<Record<keyof Session, unknown>> = {}): Session =>
  ({
    issuer: ISSUER,
    clientId: CLIENT,
    startedAt: 1,
    idToken: 'id',
    claims: claims(),
    accessTokens: { '': TOKEN },
    ...overrides,
  }) as Session;

describe('isSession (values read back from storage or another tab)', () => {
  it('accepts a complete session, with or without an ID token, with no claims, with no access tokens', () => {
    expect(isSession(session())).toBe(true);
    expect(isSession(session({ idToken: undefined, claims: null }))).toBe(true);
    expect(isSession(session({ accessTokens: {} }))).toBe(true);
  });

  it('refuses what is not an object', () => {
    for (const value of [null, undefined, 'session', 42, true]) expect(isSession(value)).toBe(false);
  });

  it('requires the issuer and the client id as strings', () => {
    expect(isSession(session({ issuer: undefined }))).toBe(false);
    expect(isSession(session({ issuer: 1 }))).toBe(false);
    expect(isSession(session({ clientId: undefined }))).toBe(false);
    expect(isSession(session({ clientId: ['client-1'] }))).toBe(false);
  });

  it('requires startedAt as a finite number (the sign-out rule compares it)', () => {
    expect(isSession(session({ startedAt: '1' }))).toBe(false);
    expect(isSession(session({ startedAt: Number.NaN }))).toBe(false);
    expect(isSession(session({ startedAt: Number.POSITIVE_INFINITY }))).toBe(false);
    expect(isSession(session({ startedAt: 0 }))).toBe(true);
  });

  it('requires the ID token, when present, to be a string', () => {
    expect(isSession(session({ idToken: 42 }))).toBe(false);
    expect(isSession(session({ idToken: null }))).toBe(false);
  });

  it('requires accessTokens to be an object of well-formed tokens', () => {
    expect(isSession(session({ accessTokens: null }))).toBe(false);
    expect(isSession(session({ accessTokens: 'at' }))).toBe(false);
    // Values without entries of their own still are not a token map.
    expect(isSession(session({ accessTokens: '' }))).toBe(false);
    expect(isSession(session({ accessTokens: 0 }))).toBe(false);
    expect(isSession(session({ accessTokens: { '': null } }))).toBe(false);
    expect(isSession(session({ accessTokens: { '': { ...TOKEN, token: 1 } } }))).toBe(false);
    expect(isSession(session({ accessTokens: { '': { ...TOKEN, expiresAt: '10' } } }))).toBe(false);
    expect(isSession(session({ accessTokens: { '': { ...TOKEN, scopes: 'api' } } }))).toBe(false);
    expect(isSession(session({ accessTokens: { '': TOKEN, other: { ...TOKEN, scopes: undefined } } }))).toBe(false);
  });

  it('requires claims to be null or an object with a string sub', () => {
    expect(isSession(session({ claims: undefined }))).toBe(false);
    expect(isSession(session({ claims: 'alice' }))).toBe(false);
    expect(isSession(session({ claims: { ...claims(), sub: 7 } }))).toBe(false);
  });
});

describe('belongsTo (a session is only used by the app it was issued to, OIDC Core §3.1.3.7 rules 2–3)', () => {
  const owner = { issuer: ISSUER, clientId: CLIENT };

  it("accepts this app's session", () => {
    expect(belongsTo(session(), owner)).toBe(true);
    expect(belongsTo(session({ claims: claims({ aud: ['other', CLIENT] }) }), owner)).toBe(true);
  });

  it('refuses a session kept under another issuer or client id', () => {
    expect(belongsTo(session({ issuer: 'https://other.example' }), owner)).toBe(false);
    expect(belongsTo(session({ clientId: 'other' }), owner)).toBe(false);
  });

  it('without claims, the issuer and client id decide', () => {
    expect(belongsTo(session({ claims: null }), owner)).toBe(true);
  });

  it('refuses claims whose iss is not the issuer or whose aud lacks the client id', () => {
    expect(belongsTo(session({ claims: claims({ iss: 'https://other.example' }) }), owner)).toBe(false);
    expect(belongsTo(session({ claims: claims({ aud: 'other' }) }), owner)).toBe(false);
    expect(belongsTo(session({ claims: claims({ aud: ['other'] }) }), owner)).toBe(false);
  });
});

describe('usableUntil / isUsable (the one lifetime rule)', () => {
  it('hands a token out until its expiry less the clock skew', () => {
    const token = { ...TOKEN, receivedAt: 0, expiresAt: 600_000 };
    expect(usableUntil(token, 60_000)).toBe(540_000);
    expect(isUsable(token, 539_999, 60_000)).toBe(true);
    expect(isUsable(token, 540_000, 60_000)).toBe(false);
  });

  it('caps the margin at half the lifetime, so a token shorter-lived than the skew is still used', () => {
    const token = { ...TOKEN, receivedAt: 1_000_000, expiresAt: 1_030_000 };
    expect(usableUntil(token, 60_000)).toBe(1_015_000);
    expect(isUsable(token, 1_014_999, 60_000)).toBe(true);
    expect(isUsable(token, 1_015_000, 60_000)).toBe(false);
  });

  it('without receivedAt (kept by an older version), the lifetime counts from the epoch', () => {
    const token = { token: 'at', expiresAt: 600_000, scopes: [] };
    expect(usableUntil(token, 60_000)).toBe(540_000);
  });

  it('with no skew, a token is usable until the millisecond it expires', () => {
    expect(isUsable(TOKEN, 9_999, 0)).toBe(true);
    expect(isUsable(TOKEN, 10_000, 0)).toBe(false);
  });
});
