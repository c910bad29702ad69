import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import type { IdTokenSigningAlgorithm } from './algorithms';
import {
  authErrorOf,
  base64urlOf,
  createTestIssuer,
  referenceAtHash,
  signJws,
  unsecuredToken,
  type TestIssuer,
} from '../testing';
import { validateIdToken, type IdTokenValidationOptions } from './id-token';
import { createJwksKeyResolver } from './jwks';

describe('validateIdToken', () => {
  const nonce = 'nonce-0123456789';
  let idp: TestIssuer;

  beforeEach(async () => {
    idp = await createTestIssuer();
  });

  function options(overrides: Partial<IdTokenValidationOptions> = {}): IdTokenValidationOptions {
    return {
      issuer: idp.issuer,
      clientId: idp.clientId,
      nonce,
      algorithms: ['RS256'],
      clockSkewSeconds: 60,
      clock: idp.clock,
      getKey: createJwksKeyResolver(idp.jwksUri, { fetch: idp.fetch, clock: idp.clock }),
      ...overrides,
    };
  }

  async function codeOf(token: string | Promise<string>, overrides: Partial<IdTokenValidationOptions> = {}) {
    return (await authErrorOf(validateIdToken(await token, options(overrides)))).code;
  }

  it('returns the claims of a valid token', async () => {
    const claims = await validateIdToken(await idp.signIdToken({ nonce }), options());
    expect(claims).toMatchObject({ iss: idp.issuer, aud: idp.clientId, sub: 'user-1', nonce, name: 'Ada Lovelace' });
  });

  describe('signature (rule 6)', () => {
    it('refuses a token signed by a key the issuer did not publish, even with a published kid', async () => {
      const other = await idp.createKey('RS256', { publish: false });
      expect(await codeOf(idp.signIdToken({ nonce }, { key: other, kid: idp.key.kid }))).toBe('invalid_signature');
    });

    it('refuses a token whose payload was changed after signing', async () => {
      const [header, , signature] = (await idp.signIdToken({ nonce })).split('.');
      const forged = `${header}.${base64urlOf(idp.claims({ nonce, sub: 'admin' }))}.${signature}`;
      expect(await codeOf(forged)).toBe('invalid_signature');
    });

    it('never uses a key embedded in the header (jwk, jku, x5u, x5c)', async () => {
      const attacker = await generateKeyPair('RS256', { extractable: true });
      const jwk = await exportJWK(attacker.publicKey);
      const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(idp.claims({ nonce }))))
        .setProtectedHeader({ alg: 'RS256', jwk, jku: 'https://evil.example/jwks', x5u: 'https://evil.example/x5u' })
        .sign(attacker.privateKey);
      expect(await codeOf(token)).toBe('invalid_signature');
      expect(idp.http.requests.map((r) => r.url)).toEqual([idp.jwksUri]);
    });

    it('refuses an RSA key under 2048 bits', async () => {
      const weak = await crypto.subtle.generateKey(
        { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
        true,
        ['sign', 'verify'],
      );
      idp.jwks.keys = [{ ...(await exportJWK(weak.publicKey)), kid: 'weak', alg: 'RS256' }];
      // jose refuses to sign with such a key, so sign with WebCrypto directly.
      const token = signJws({ alg: 'RS256', kid: 'weak' }, JSON.stringify(idp.claims({ nonce })), weak);
      expect(await codeOf(token)).toBe('invalid_signature');
    });

    it('passes key lookup failures through', async () => {
      expect(await codeOf(idp.signIdToken({ nonce }, { kid: 'nobody' }))).toBe('unknown_key');
      idp.http.on(idp.jwksUri, () => new Response('{}', { status: 500 }));
      expect(await codeOf(idp.signIdToken({ nonce }))).toBe('jwks_failed');
      idp.http.unreachable(idp.jwksUri);
      expect(await codeOf(idp.signIdToken({ nonce }))).toBe('network_error');
    });
  });

  describe('algorithm (rule 7)', () => {
    it('refuses alg none without fetching keys', async () => {
      expect(await codeOf(unsecuredToken(idp.claims({ nonce })))).toBe('unsupported_algorithm');
      expect(idp.http.requests).toHaveLength(0);
    });

    it('refuses HS256 signed with the public key as the secret, even if HS256 is forced into the allow-list', async () => {
      const secret = new TextEncoder().encode(JSON.stringify(idp.key.publicJwk));
      const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(idp.claims({ nonce }))))
        .setProtectedHeader({ alg: 'HS256', kid: idp.key.kid })
        .sign(secret);
      const algorithms = ['RS256', 'HS256'] as unknown as IdTokenSigningAlgorithm[];
      expect(await codeOf(token, { algorithms })).toBe('unsupported_algorithm');
    });

    it('refuses an asymmetric algorithm that is not in the allow-list', async () => {
      const key = await idp.createKey('RS384');
      expect(await codeOf(idp.signIdToken({ nonce }, { key }))).toBe('unsupported_algorithm');
      await expect(
        validateIdToken(await idp.signIdToken({ nonce }, { key }), options({ algorithms: ['RS384'] })),
      ).resolves.toBeTruthy();
    });

    it.each(['PS256', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const)('verifies %s when allowed', async (alg) => {
      const key = await idp.createKey(alg);
      const claims = await validateIdToken(await idp.signIdToken({ nonce }, { key }), options({ algorithms: [alg] }));
      expect(claims.sub).toBe('user-1');
    });
  });

  describe('malformed tokens', () => {
    it('refuses a token that is not a string (RFC 7515 §7.1: compact serialisation)', async () => {
      for (const token of [undefined, null, 42, ['a', 'b', 'c']]) {
        const error = await authErrorOf(validateIdToken(token as unknown as string, options()));
        expect(error.code).toBe('invalid_id_token');
      }
    });

    it('refuses an unknown crit extension, and b64', async () => {
      const payload = JSON.stringify(idp.claims({ nonce }));
      const crit = await signJws({ alg: 'RS256', kid: idp.key.kid, crit: ['exp'], exp: 1 }, payload, idp.key);
      expect(await codeOf(crit)).toBe('invalid_id_token');
      const b64 = await signJws({ alg: 'RS256', kid: idp.key.kid, crit: ['b64'], b64: true }, payload, idp.key);
      expect(await codeOf(b64)).toBe('invalid_id_token');
    });

    it('accepts the same token without crit (the refusal is about crit)', async () => {
      const token = await signJws({ alg: 'RS256', kid: idp.key.kid }, JSON.stringify(idp.claims({ nonce })), idp.key);
      await expect(validateIdToken(token, options())).resolves.toBeTruthy();
    });

    it('refuses a signature with a character outside base64url anywhere (RFC 7515 §2)', async () => {
      const [header, payload, signature] = (await idp.signIdToken({ nonce })).split('.');
      expect(await codeOf(`${header}.${payload}.+${signature}`)).toBe('invalid_id_token');
      expect(await codeOf(`${header}.${payload}.${signature}=`)).toBe('invalid_id_token');
    });

    it('keeps what jose reported as the cause of a bad signature', async () => {
      const other = await idp.createKey('RS256', { publish: false });
      const token = await idp.signIdToken({ nonce }, { key: other, kid: idp.key.kid });
      expect((await authErrorOf(validateIdToken(token, options()))).cause).toBeInstanceOf(Error);
    });

    it.each([
      ['two parts', 'eyJhbGciOiJSUzI1NiJ9.e30'],
      ['four parts', 'a.b.c.d'],
      ['a header that is not base64url', '@@@.e30.c2ln'],
      ['a header that is not JSON', `${base64urlOf('not json')}.e30.c2ln`],
      ['a signature that is not base64url', `${base64urlOf({ alg: 'RS256' })}.e30.a+b/c=`],
    ])('refuses %s', async (_name, token) => {
      expect(await codeOf(token)).toBe('invalid_id_token');
    });

    it.each([
      ['an array', '[1,2]'],
      ['a string', '"sub"'],
      ['not JSON', '{"sub":'],
      ['null', 'null'],
    ])('refuses a signed payload that is %s', async (_name, payload) => {
      expect(await codeOf(signJws({ alg: 'RS256', kid: idp.key.kid }, payload, idp.key))).toBe('invalid_id_token');
    });
  });

  describe('claims', () => {
    it('requires iss to equal the issuer exactly (rule 2)', async () => {
      expect(await codeOf(idp.signIdToken({ nonce, iss: 'https://evil.example' }))).toBe('invalid_issuer');
      expect(await codeOf(idp.signIdToken({ nonce, iss: `${idp.issuer}/` }))).toBe('invalid_issuer');
      expect(await codeOf(idp.signIdToken({ nonce, iss: undefined }))).toBe('invalid_issuer');
    });

    it('requires aud to contain the client id (rule 3)', async () => {
      expect(await codeOf(idp.signIdToken({ nonce, aud: 'other-client' }))).toBe('invalid_audience');
      expect(await codeOf(idp.signIdToken({ nonce, aud: undefined }))).toBe('invalid_audience');
      expect(await codeOf(idp.signIdToken({ nonce, aud: [] }))).toBe('invalid_audience');
    });

    it('refuses an extra audience that is not trusted, even with a matching azp (rule 3)', async () => {
      const token = idp.signIdToken({ nonce, aud: [idp.clientId, 'https://api.other'], azp: idp.clientId });
      expect(await codeOf(token)).toBe('invalid_audience');
    });

    it('accepts a trusted extra audience when azp names the client (rules 3–5)', async () => {
      const aud = [idp.clientId, 'https://api.example'];
      const trusted = { trustedAudiences: ['https://api.example'] };
      await expect(
        validateIdToken(await idp.signIdToken({ nonce, aud, azp: idp.clientId }), options(trusted)),
      ).resolves.toBeTruthy();
      expect(await codeOf(idp.signIdToken({ nonce, aud }), trusted)).toBe('invalid_azp');
    });

    it('requires azp, when present, to be the client id (rule 5)', async () => {
      expect(await codeOf(idp.signIdToken({ nonce, azp: 'other-client' }))).toBe('invalid_azp');
      await expect(
        validateIdToken(await idp.signIdToken({ nonce, azp: idp.clientId }), options()),
      ).resolves.toBeTruthy();
    });

    it('requires exp, as a number (rule 9)', async () => {
      expect(await codeOf(idp.signIdToken({ nonce, exp: undefined }))).toBe('missing_claim');
      expect(await codeOf(idp.signIdToken({ nonce, exp: String(idp.clock.nowSeconds() + 3600) }))).toBe(
        'missing_claim',
      );
    });

    it('refuses an exp that is not a finite number (rule 9: a NumericDate)', async () => {
      // JSON can spell a number too large for a double: it parses to Infinity, which would never expire.
      const payload = JSON.stringify(idp.claims({ nonce, exp: 0 })).replace('"exp":0', '"exp":1e400');
      const token = signJws({ alg: 'RS256', kid: idp.key.kid }, payload, idp.key);
      expect(await codeOf(token)).toBe('missing_claim');
    });

    it('accepts a token expired within the skew and refuses one expired beyond it (rule 9)', async () => {
      const token = await idp.signIdToken({ nonce, exp: idp.clock.nowSeconds() + 10 });
      idp.clock.advance(10 + 59);
      await expect(validateIdToken(token, options())).resolves.toBeTruthy();
      idp.clock.advance(1);
      expect(await codeOf(token)).toBe('token_expired');
    });

    it('requires iat (rule 10)', async () => {
      expect(await codeOf(idp.signIdToken({ nonce, iat: undefined }))).toBe('missing_claim');
      expect(await codeOf(idp.signIdToken({ nonce, iat: 'yesterday' }))).toBe('invalid_iat');
    });

    it('refuses an iat that is not a number, even a numeric string (rule 10)', async () => {
      expect(await codeOf(idp.signIdToken({ nonce, iat: String(idp.clock.nowSeconds()) }))).toBe('invalid_iat');
    });

    it('refuses an iat in the future beyond the skew as a clock difference, with the offset (rule 10)', async () => {
      const now = idp.clock.nowSeconds();
      await expect(validateIdToken(await idp.signIdToken({ nonce, iat: now + 60 }), options())).resolves.toBeTruthy();
      const error = await authErrorOf(validateIdToken(await idp.signIdToken({ nonce, iat: now + 61 }), options()));
      expect(error).toMatchObject({ code: 'clock_skew', clockOffsetSeconds: -61 });
    });

    it('refuses a token issued before its request started, beyond the skew (rule 10)', async () => {
      const now = idp.clock.nowSeconds();
      // The request started late in the second now - 600: with 60 s of skew, iat = now - 660 is the earliest accepted.
      const requestedAt = (now - 600) * 1000 + 999;
      const early = (iat: number) => idp.signIdToken({ nonce, iat });
      await expect(validateIdToken(await early(now - 660), options({ requestedAt }))).resolves.toBeTruthy();
      // Its nonce did not exist before the request: with nothing known of the clocks, only a clock explains it.
      await expect(
        authErrorOf(validateIdToken(await early(now - 661), options({ requestedAt }))),
      ).resolves.toMatchObject({ code: 'clock_skew', clockOffsetSeconds: 661 });
      // Once earlier tokens agreed with the clock (a renewal), it is a token minted for another request.
      const established = { offsetMs: 0, basis: 'established' } as const;
      await expect(
        authErrorOf(validateIdToken(await early(now - 661), options({ requestedAt, providerClock: established }))),
      ).resolves.toMatchObject({ code: 'invalid_iat', message: expect.stringContaining('predates the request') });
      // Without a known request there is no lower bound.
      await expect(validateIdToken(await early(now - 3000), options())).resolves.toBeTruthy();
    });

    describe("clocks (rules 9–10 with what is known of the provider's clock)", () => {
      const requestedAt = () => idp.clock.now() - 2000;
      /** A token minted `providerAhead` seconds ahead of the device clock, living an hour. */
      const minted = (providerAhead: number, extra: Record<string, unknown> = {}) => {
        const iat = idp.clock.nowSeconds() + providerAhead;
        return idp.signIdToken({ nonce, iat, exp: iat + 3600, ...extra });
      };

      it('refuses a replayed token (another nonce) as such, however stale and expired', async () => {
        const token = minted(-3 * 3600, { nonce: 'an-earlier-request' });
        expect(await codeOf(token, { requestedAt: requestedAt() })).toBe('nonce_mismatch');
      });

      it('keeps token_expired for a token expired on its own clock, whatever the clocks say', async () => {
        const iat = idp.clock.nowSeconds() - 3 * 3600;
        const token = idp.signIdToken({ nonce, iat, exp: iat });
        expect(await codeOf(token, { requestedAt: requestedAt() })).toBe('token_expired');
        expect(await codeOf(token, { providerClock: { offsetMs: 0, basis: 'learn' } })).toBe('token_expired');
      });

      it('learns: the first token is judged against its own iat, at any offset', async () => {
        const learn = { offsetMs: 0, basis: 'learn' } as const;
        for (const ahead of [-3 * 3600, -600, 600, 3 * 3600]) {
          await expect(
            validateIdToken(await minted(ahead), options({ requestedAt: requestedAt(), providerClock: learn })),
          ).resolves.toBeTruthy();
        }
        // max_age is judged on the same clock: an authentication an hour older than the token is too old.
        const old = minted(-3 * 3600, { auth_time: idp.clock.nowSeconds() - 4 * 3600 });
        expect(await codeOf(old, { providerClock: learn, maxAgeSeconds: 600 })).toBe('auth_time_too_old');
      });

      it('judges every later token on the learned offset, the iat lower bound included', async () => {
        // The device is 3 h ahead of the provider.
        const learned = { offsetMs: 3 * 3600_000, basis: 'established' } as const;
        const at = { requestedAt: requestedAt(), providerClock: learned };
        await expect(validateIdToken(await minted(-3 * 3600), options(at))).resolves.toBeTruthy();
        expect(await codeOf(minted(-3 * 3600 - 70), at)).toBe('invalid_iat');
        expect(await authErrorOf(validateIdToken(await minted(-3 * 3600 + 61), options(at)))).toMatchObject({
          code: 'clock_skew',
          clockOffsetSeconds: 3 * 3600 - 61,
        });
        // Expired on the learned clock: exp an hour and a minute before the provider's now.
        expect(await codeOf(minted(-4 * 3600 - 61), { providerClock: learned })).toBe('token_expired');
      });
    });

    describe('auth_time after max_age (rule 13)', () => {
      it('requires auth_time, a number, when max_age was sent', async () => {
        expect(await codeOf(idp.signIdToken({ nonce }), { maxAgeSeconds: 300 })).toBe('missing_claim');
        expect(await codeOf(idp.signIdToken({ nonce, auth_time: 'recent' }), { maxAgeSeconds: 300 })).toBe(
          'missing_claim',
        );
      });

      it('refuses an auth_time that is not a finite number', async () => {
        const payload = JSON.stringify(idp.claims({ nonce, auth_time: 0 })).replace(
          '"auth_time":0',
          '"auth_time":-1e400',
        );
        const token = signJws({ alg: 'RS256', kid: idp.key.kid }, payload, idp.key);
        expect(await codeOf(token, { maxAgeSeconds: 300 })).toBe('missing_claim');
      });

      it('refuses an authentication older than max_age plus the skew', async () => {
        const now = idp.clock.nowSeconds();
        const authenticated = (authTime: number) => idp.signIdToken({ nonce, auth_time: authTime });
        await expect(
          validateIdToken(await authenticated(now - 360), options({ maxAgeSeconds: 300 })),
        ).resolves.toMatchObject({ auth_time: now - 360 });
        expect(await codeOf(authenticated(now - 361), { maxAgeSeconds: 300 })).toBe('auth_time_too_old');
        // max_age=0 (re-authenticate now) leaves only the skew.
        expect(await codeOf(authenticated(now - 61), { maxAgeSeconds: 0 })).toBe('auth_time_too_old');
      });

      it('ignores auth_time when no max_age was sent', async () => {
        const old = idp.signIdToken({ nonce, auth_time: idp.clock.nowSeconds() - 86_400 });
        await expect(validateIdToken(await old, options())).resolves.toBeTruthy();
        await expect(validateIdToken(await idp.signIdToken({ nonce }), options())).resolves.toBeTruthy();
      });
    });

    it('refuses a token that is not valid yet (nbf)', async () => {
      expect(await codeOf(idp.signIdToken({ nonce, nbf: idp.clock.nowSeconds() + 3600 }))).toBe('invalid_id_token');
    });

    it('refuses an ID token whose nbf is in the future beyond the skew (RFC 7519 §4.1.5)', async () => {
      const now = idp.clock.nowSeconds();
      await expect(validateIdToken(await idp.signIdToken({ nonce, nbf: now + 60 }), options())).resolves.toBeTruthy();
      expect(await codeOf(idp.signIdToken({ nonce, nbf: now + 61 }))).toBe('invalid_id_token');
      // The skew is the configured one, not a constant.
      expect(await codeOf(idp.signIdToken({ nonce, nbf: now + 1 }), { clockSkewSeconds: 0 })).toBe('invalid_id_token');
      await expect(validateIdToken(await idp.signIdToken({ nonce, nbf: now }), options())).resolves.toBeTruthy();
    });

    it('refuses an nbf that is not a number (RFC 7519 §4.1.5: a NumericDate)', async () => {
      expect(await codeOf(idp.signIdToken({ nonce, nbf: String(idp.clock.nowSeconds() - 10) }))).toBe(
        'invalid_id_token',
      );
      expect(await codeOf(idp.signIdToken({ nonce, nbf: null }))).toBe('invalid_id_token');
    });

    it('requires sub, a non-empty string', async () => {
      expect(await codeOf(idp.signIdToken({ nonce, sub: undefined }))).toBe('missing_claim');
      expect(await codeOf(idp.signIdToken({ nonce, sub: '' }))).toBe('missing_claim');
      expect(await codeOf(idp.signIdToken({ nonce, sub: 42 }))).toBe('missing_claim');
    });

    it('requires the nonce of the transaction (§3.2.2.11)', async () => {
      expect(await codeOf(idp.signIdToken())).toBe('nonce_mismatch');
      expect(await codeOf(idp.signIdToken({ nonce: 'another-nonce' }))).toBe('nonce_mismatch');
      expect(await codeOf(idp.signIdToken({ nonce: `${nonce}x` }))).toBe('nonce_mismatch');
      // A prefix of the transaction's nonce is not it (the comparison looks at the lengths too).
      expect(await codeOf(idp.signIdToken({ nonce: nonce.slice(0, -1) }))).toBe('nonce_mismatch');
      expect(await codeOf(idp.signIdToken({ nonce: '' }))).toBe('nonce_mismatch');
      expect(await codeOf(idp.signIdToken({ nonce: ['nonce-0123456789'] }))).toBe('nonce_mismatch');
    });

    it('fails when the caller has no nonce, whatever the token says', async () => {
      expect(await codeOf(idp.signIdToken(), { nonce: undefined })).toBe('nonce_mismatch');
      expect(await codeOf(idp.signIdToken({ nonce: '' }), { nonce: '' })).toBe('nonce_mismatch');
    });
  });

  describe('at_hash (§3.2.2.9)', () => {
    const accessToken = 'access-token-1';

    it('is required when an access token came with the ID token', async () => {
      expect(await codeOf(idp.signIdToken({ nonce }), { accessToken })).toBe('at_hash_missing');
    });

    it('must be a string (§3.2.2.9)', async () => {
      expect(await codeOf(idp.signIdToken({ nonce, at_hash: 42 }), { accessToken })).toBe('at_hash_missing');
      expect(await codeOf(idp.signIdToken({ nonce, at_hash: [] }), { accessToken })).toBe('at_hash_missing');
    });

    it('must be the whole hash, not a prefix of it (§3.2.2.9)', async () => {
      const prefix = referenceAtHash(accessToken, 'RS256').slice(0, -1);
      expect(await codeOf(idp.signIdToken({ nonce, at_hash: prefix }), { accessToken })).toBe('at_hash_mismatch');
    });

    it('must match the access token', async () => {
      const token = idp.signIdToken({ nonce }, { accessToken: 'another-access-token' });
      expect(await codeOf(token, { accessToken })).toBe('at_hash_mismatch');
    });

    it('is compared only once the signature and the claims passed (the digest runs alongside the signature check)', async () => {
      const other = await idp.createKey('RS256', { publish: false });
      const forged = idp.signIdToken({ nonce }, { key: other, kid: idp.key.kid, accessToken: 'another-access-token' });
      expect(await codeOf(forged, { accessToken })).toBe('invalid_signature');
      const replayed = idp.signIdToken({ nonce: 'another-nonce' }, { accessToken: 'another-access-token' });
      expect(await codeOf(replayed, { accessToken })).toBe('nonce_mismatch');
    });

    it('is not required without an access token', async () => {
      await expect(validateIdToken(await idp.signIdToken({ nonce }), options())).resolves.toBeTruthy();
    });

    it.each(['RS256', 'RS384', 'RS512', 'PS384', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const)(
      'matches with the hash of %s',
      async (alg) => {
        const key = alg === 'RS256' ? idp.key : await idp.createKey(alg);
        const token = await idp.signIdToken({ nonce }, { key, accessToken });
        const claims = await validateIdToken(token, options({ algorithms: [alg], accessToken }));
        expect(claims.at_hash).toHaveLength(
          alg === 'EdDSA' || alg.endsWith('512') ? 43 : alg.endsWith('384') ? 32 : 22,
        );
      },
    );

    it('uses the hash length of the alg (a SHA-256 at_hash fails for ES512)', async () => {
      const key = await idp.createKey('ES512');
      const token = idp.signIdToken({ nonce, at_hash: referenceAtHash(accessToken, 'RS256') }, { key });
      expect(await codeOf(token, { algorithms: ['ES512'], accessToken })).toBe('at_hash_mismatch');
    });
  });
});
