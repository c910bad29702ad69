import { authErrorOf, createTestIssuer, type TestIssuer } from '../testing';
import { parseAuthorizationResponse } from './authorization-response';
import { createJwksKeyResolver } from './jwks';
import { type ResponseValidationOptions, validateAuthorizationResponse } from './response-validation';

describe('validateAuthorizationResponse', () => {
  const state = 'state-1';
  const nonce = 'nonce-1';
  let idp: TestIssuer;

  beforeEach(async () => {
    idp = await createTestIssuer();
  });

  function options(overrides: Partial<ResponseValidationOptions> = {}): ResponseValidationOptions {
    return {
      issuer: idp.issuer,
      clientId: idp.clientId,
      responseType: 'id_token token',
      requestedScope: 'openid profile',
      nonce,
      algorithms: ['RS256'],
      clockSkewSeconds: 60,
      clock: idp.clock,
      requireIssParameter: false,
      getKey: createJwksKeyResolver(idp.jwksUri, { fetch: idp.fetch, clock: idp.clock }),
      ...overrides,
    };
  }

  async function validate(fragment: string | Promise<string>, overrides: Partial<ResponseValidationOptions> = {}) {
    return validateAuthorizationResponse(parseAuthorizationResponse(await fragment), options(overrides));
  }

  async function codeOf(fragment: string | Promise<string>, overrides: Partial<ResponseValidationOptions> = {}) {
    return (await authErrorOf(validate(fragment, overrides))).code;
  }

  it("returns the tokens of a valid 'id_token token' response", async () => {
    const tokens = await validate(idp.authorizationResponse({ state, nonce, accessToken: 'at-1' }));
    expect(tokens).toMatchObject({
      accessToken: 'at-1',
      expiresAt: idp.clock.now() + 3600_000,
      scopes: ['openid', 'profile'],
      claims: { sub: 'user-1', nonce },
    });
    expect(tokens.idToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('takes the granted scopes from the response when present (RFC 6749 §4.2.2)', async () => {
    const tokens = await validate(idp.authorizationResponse({ state, nonce, scope: 'openid read:items' }));
    expect(tokens.scopes).toEqual(['openid', 'read:items']);
  });

  it('splits the scope on spaces and drops empty entries (RFC 6749 §3.3)', async () => {
    const tokens = await validate(idp.authorizationResponse({ state, nonce, scope: 'openid  read:items ' }));
    expect(tokens.scopes).toEqual(['openid', 'read:items']);
    const fragment = idp.authorizationResponse({ state, responseType: 'token' });
    const none = await validate(fragment, { responseType: 'token', requestedScope: '', nonce: undefined });
    expect(none.scopes).toEqual([]);
  });

  describe('RFC 9207 iss parameter', () => {
    it('is required when the provider advertises it, in a response without an ID token', async () => {
      const fragment = idp.authorizationResponse({ state, responseType: 'token' });
      const options = { requireIssParameter: true, responseType: 'token' as const };
      expect(await codeOf(fragment, options)).toBe('response_issuer_mismatch');
      await expect(
        validate(idp.authorizationResponse({ state, responseType: 'token', iss: idp.issuer }), options),
      ).resolves.toBeTruthy();
    });

    it('may be left out next to an ID token, whose signed iss claim is checked instead (RFC 9700 §4.4.2)', async () => {
      const fragment = idp.authorizationResponse({ state, nonce });
      await expect(validate(fragment, { requireIssParameter: true })).resolves.toBeTruthy();
      const forged = idp.authorizationResponse({ state, nonce, claims: { iss: 'https://evil.example' } });
      expect(await codeOf(forged, { requireIssParameter: true })).toBe('invalid_issuer');
      await expect(
        validate(idp.authorizationResponse({ state, nonce, iss: idp.issuer }), { requireIssParameter: true }),
      ).resolves.toBeTruthy();
    });

    it('must equal the issuer exactly whenever present', async () => {
      for (const iss of ['https://evil.example', `${idp.issuer}/`, '']) {
        expect(await codeOf(idp.authorizationResponse({ state, nonce, iss }))).toBe('response_issuer_mismatch');
      }
    });
  });

  describe('tokens required by the response type', () => {
    it("requires the ID token for 'id_token token'", async () => {
      expect(await codeOf('#access_token=a&token_type=Bearer&expires_in=60&state=s')).toBe('invalid_response');
    });

    it("requires the access token for 'id_token token'", async () => {
      const fragment = idp.authorizationResponse({ state, nonce, responseType: 'id_token' });
      expect(await codeOf(fragment)).toBe('invalid_response');
    });

    it("drops an access token sent with response type 'id_token'", async () => {
      const fragment = idp.authorizationResponse({ state, nonce, responseType: 'id_token token' });
      const tokens = await validate(fragment, { responseType: 'id_token' });
      expect(tokens.accessToken).toBeUndefined();
      expect(tokens.expiresAt).toBeUndefined();
      expect(tokens.claims?.sub).toBe('user-1');
    });

    it("needs no ID token for response type 'token', and ignores one if sent", async () => {
      const tokens = await validate(idp.authorizationResponse({ state, responseType: 'token', accessToken: 'at' }), {
        responseType: 'token',
        nonce: undefined,
      });
      expect(tokens).toEqual({
        accessToken: 'at',
        expiresAt: idp.clock.now() + 3600_000,
        scopes: ['openid', 'profile'],
        idToken: undefined,
        claims: undefined,
      });
      const withGarbage = await validate('#access_token=at&token_type=Bearer&expires_in=60&id_token=garbage', {
        responseType: 'token',
      });
      expect(withGarbage.idToken).toBeUndefined();
    });
  });

  describe('access token', () => {
    it('accepts token_type Bearer in any case', async () => {
      const fragment = idp.authorizationResponse({ state, nonce, tokenType: 'bEaReR' });
      await expect(validate(fragment)).resolves.toBeTruthy();
    });

    it.each(['mac', 'DPoP', 'Bearer ', ''])('refuses token_type %j', async (tokenType) => {
      expect(await codeOf(idp.authorizationResponse({ state, nonce, tokenType }))).toBe('invalid_token_type');
    });

    it('refuses a missing token_type', async () => {
      const fragment = (await idp.authorizationResponse({ state, nonce })).replace('token_type=Bearer&', '');
      expect(await codeOf(fragment)).toBe('invalid_token_type');
    });

    it.each([null, '', '0', '-5', '1e3', '3600.5', ' 3600', '+3600', '0x10', '036', '31536001', '99999999999'])(
      'refuses expires_in %j (missing never means "never expires")',
      async (expiresIn) => {
        expect(await codeOf(idp.authorizationResponse({ state, nonce, expiresIn }))).toBe('invalid_expires_in');
      },
    );

    it('accepts expires_in up to one year', async () => {
      const tokens = await validate(idp.authorizationResponse({ state, nonce, expiresIn: 31_536_000 }));
      expect(tokens.expiresAt).toBe(idp.clock.now() + 31_536_000_000);
    });

    it('requires at_hash in the ID token', async () => {
      const fragment = await idp.authorizationResponse({ state, nonce });
      // Swap in an ID token signed without at_hash.
      const withoutAtHash = fragment.replace(/id_token=[^&]+/, `id_token=${await idp.signIdToken({ nonce })}`);
      expect(await codeOf(withoutAtHash)).toBe('at_hash_missing');
    });

    it('requires at_hash to match the access token (a token swapped in from elsewhere fails)', async () => {
      const fragment = (await idp.authorizationResponse({ state, nonce })).replace(
        /access_token=[^&]+/,
        'access_token=stolen-token',
      );
      expect(await codeOf(fragment)).toBe('at_hash_mismatch');
    });
  });

  it('validates the ID token fully (e.g. the nonce)', async () => {
    expect(await codeOf(idp.authorizationResponse({ state, nonce: 'other' }))).toBe('nonce_mismatch');
  });
});
