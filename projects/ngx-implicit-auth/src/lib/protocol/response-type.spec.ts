import { defaultScope, needsNonce, scopeFor } from './response-type';

describe('defaultScope', () => {
  it("asks for OpenID's usual scopes with an ID token, and none for a pure OAuth 2.0 'token' request (RFC 6749 §3.3)", () => {
    expect(defaultScope('id_token token')).toBe('openid profile email');
    expect(defaultScope('id_token')).toBe('openid profile email');
    expect(defaultScope('token')).toBe('');
  });
});

describe('scopeFor', () => {
  it('adds openid for response types with an ID token (OIDC Core §3.2.2.1)', () => {
    expect(scopeFor('id_token token', 'profile')).toBe('openid profile');
    expect(scopeFor('id_token', '')).toBe('openid');
    expect(scopeFor('id_token', 'profile openid')).toBe('profile openid');
  });

  it("leaves a 'token' request's scope as given: openid would make it an OpenID request", () => {
    expect(scopeFor('token', 'read:items')).toBe('read:items');
    expect(scopeFor('token', '')).toBe('');
  });

  it('normalises whitespace to single spaces (RFC 6749 §3.3: space-delimited)', () => {
    expect(scopeFor('id_token', '  profile \t email\n')).toBe('openid profile email');
    expect(scopeFor('token', ' read  write ')).toBe('read write');
    // `openidx` is not `openid`.
    expect(scopeFor('id_token', 'openidx')).toBe('openid openidx');
  });
});

describe('needsNonce', () => {
  it('requires a nonce with an ID token (OIDC Core §3.2.2.1), and with openid in a token request', () => {
    expect(needsNonce('id_token token', 'openid')).toBe(true);
    expect(needsNonce('id_token', '')).toBe(true);
    expect(needsNonce('token', 'openid profile')).toBe(true);
    expect(needsNonce('token', 'read openidx')).toBe(false);
    expect(needsNonce('token', '')).toBe(false);
  });
});
