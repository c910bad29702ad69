import fc from 'fast-check';
import { ImplicitAuthError, type ImplicitAuthErrorCode } from '../errors';
import { base64urlOf, createTestIssuer, type TestIssuer } from '../testing';
import { fuzzAsync } from '../testing/fuzz';
import { validateIdToken, type IdTokenValidationOptions } from './id-token';
import { createJwksKeyResolver } from './jwks';

/**
 * Fuzzing the ID token path (`npm run fuzz`: 100,000 cases per property). Tokens are really signed (EdDSA, the
 * cheapest jose key of the test issuer) so that every claim rule is reached; the expected outcome of each case
 * comes from the rules of OIDC Core §3.1.3.7 / §3.2.2.11 as written in this spec, not from the validator.
 */

/** Every code `validateIdToken` documents; anything else (a TypeError above all) is a bug. */
const DOCUMENTED_CODES: readonly ImplicitAuthErrorCode[] = [
  'invalid_id_token',
  'unsupported_algorithm',
  'unknown_key',
  'jwks_failed',
  'invalid_signature',
  'invalid_issuer',
  'invalid_audience',
  'invalid_azp',
  'missing_claim',
  'token_expired',
  'invalid_iat',
  'clock_skew',
  'nonce_mismatch',
  'auth_time_too_old',
  'at_hash_missing',
  'at_hash_mismatch',
];

const NONCE = 'n-0S6_WzA2Mj';
const ACCESS_TOKEN = 'at-SlAV32hkKG';
const SKEW = 60;

let idp: TestIssuer;
let options: IdTokenValidationOptions;
let now: number;
/** A valid token's payload, with `at_hash` for {@link ACCESS_TOKEN} and a fresh `auth_time`. */
let validClaims: Record<string, unknown>;
let header: Record<string, unknown>;

beforeAll(async () => {
  idp = await createTestIssuer({ alg: 'EdDSA' });
  now = idp.clock.nowSeconds();
  options = {
    issuer: idp.issuer,
    clientId: idp.clientId,
    nonce: NONCE,
    algorithms: ['EdDSA', 'RS256', 'ES256'],
    clockSkewSeconds: SKEW,
    clock: idp.clock,
    getKey: createJwksKeyResolver(idp.jwksUri, { fetch: idp.fetch, clock: idp.clock }),
    accessToken: ACCESS_TOKEN,
    requestedAt: (now - 30) * 1000,
    maxAgeSeconds: 600,
  };
  const signed = await idp.signIdToken(
    { nonce: NONCE, auth_time: now - 100, iat: now - 10 },
    { accessToken: ACCESS_TOKEN },
  );
  validClaims = JSON.parse(Buffer.from(signed.split('.')[1], 'base64url').toString());
  header = { alg: 'EdDSA', typ: 'JWT', kid: idp.key.kid };
});

/**
 * Signs `payload` (JSON text, so it may hold what `JSON.stringify` cannot: `1e400`, duplicate keys…) with the
 * issuer's Ed25519 key, whatever `alg` the header names.
 */
async function sign(payload: string, protectedHeader: Record<string, unknown> = header): Promise<string> {
  const input = `${base64urlOf(protectedHeader)}.${base64urlOf(payload)}`;
  const signature = await crypto.subtle.sign({ name: 'Ed25519' }, idp.key.privateKey, new TextEncoder().encode(input));
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

/** The validator's outcome: the claims, or the code of the {@link ImplicitAuthError}; anything else fails. */
async function outcome(token: unknown, opts: IdTokenValidationOptions = options): Promise<{ code: string } | 'valid'> {
  try {
    await validateIdToken(token as string, opts);
    return 'valid';
  } catch (error: unknown) {
    if (!(error instanceof ImplicitAuthError))
      throw new Error(`not an ImplicitAuthError: ${String(error)}`, { cause: error });
    expect(DOCUMENTED_CODES).toContain(error.code);
    return { code: error.code };
  }
}

/** JSON text of any type: what a claim should never be when it has another type. */
const JSON_VALUE_TEXT = {
  null: fc.constant('null'),
  boolean: fc.boolean().map(String),
  number: fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
    fc.integer().map(String),
    // Huge numbers: JSON.parse reads 1e400 as Infinity, and 2^64-ish integers lose precision.
    fc.constantFrom(
      '1e400',
      '-1e400',
      '1e308',
      '-1e308',
      '18446744073709551616',
      '-0',
      '0',
      '1e-400',
      '9007199254740993',
    ),
  ),
  string: fc
    .oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', ' ', '1893456000', '1e400', 'null', 'true', '[]', '{}'))
    .map((s) => JSON.stringify(s)),
  array: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }).map((a) => JSON.stringify(a)),
  object: fc
    .dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 })
    .map((o) => JSON.stringify(o)),
};
type JsonType = keyof typeof JSON_VALUE_TEXT;
const anyJsonText = fc.oneof(...Object.values(JSON_VALUE_TEXT));

/**
 * The code a token must fail with when only `claim` was changed to `value` (JSON.parse of its text), from the
 * rules: `undefined` when the value is still a valid one for that claim.
 */
function expectedFor(claim: string, value: unknown, clientId: string): ImplicitAuthErrorCode | undefined {
  const isNumber = typeof value === 'number' && Number.isFinite(value);
  switch (claim) {
    case 'iss': // Rule 2: exactly the issuer.
      return value === idp.issuer ? undefined : 'invalid_issuer';
    case 'aud': {
      // Rule 3: our client id, alone or in an array of audiences we all trust (none besides us here).
      const audiences = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
      if (!audiences.includes(clientId) || audiences.some((a) => a !== clientId)) return 'invalid_audience';
      // Rule 4: several audiences need an `azp` (the valid token has none).
      return audiences.length > 1 ? 'invalid_azp' : undefined;
    }
    case 'azp': // Rule 5: when present, our client id.
      return value === clientId ? undefined : 'invalid_azp';
    case 'exp': // Rule 9: a number, after the token's own iat, and not passed (with the skew).
      return !isNumber
        ? 'missing_claim'
        : (value as number) <= (validClaims['iat'] as number) || now >= (value as number) + SKEW
          ? 'token_expired'
          : undefined;
    case 'iat': {
      // Rule 10: a number. Judged once the nonce proved the token answers this request: an `exp` not after it is
      // expired on any clock; a time in the future, or before the request, can then only mean the clocks differ
      // (nothing is known of the provider's clock yet: `clock_skew`).
      if (!isNumber) return 'invalid_iat';
      const iat = value as number;
      if ((validClaims['exp'] as number) <= iat) return 'token_expired';
      return iat > now + SKEW || iat < Math.floor(options.requestedAt! / 1000) - SKEW ? 'clock_skew' : undefined;
    }
    case 'nbf': // RFC 7519 §4.1.5.
      return typeof value === 'number' && value <= now + SKEW ? undefined : 'invalid_id_token';
    case 'sub': // §2: a non-empty string.
      return typeof value === 'string' && value !== '' ? undefined : 'missing_claim';
    case 'nonce': // Rule 11: the one sent.
      return value === NONCE ? undefined : 'nonce_mismatch';
    case 'auth_time': // Rule 13: with max_age, a number within it.
      return !isNumber ? 'missing_claim' : (value as number) + 600 + SKEW < now ? 'auth_time_too_old' : undefined;
    case 'at_hash': // §3.2.2.9: with an access token, a string equal to the hash.
      return typeof value !== 'string'
        ? 'at_hash_missing'
        : value === validClaims['at_hash']
          ? undefined
          : 'at_hash_mismatch';
  }
  throw new Error(`no rule for ${claim}`);
}

const CLAIMS = ['iss', 'aud', 'azp', 'exp', 'iat', 'nbf', 'sub', 'nonce', 'at_hash', 'auth_time'] as const;

/** The valid payload as JSON text, with `claim` replaced by (or, for `azp`/`nbf`, added as) `valueText`. */
function payloadWith(claim: string, valueText: string): string {
  const entries = Object.entries(validClaims)
    .filter(([name]) => name !== claim)
    .map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`);
  return `{${[...entries, `${JSON.stringify(claim)}:${valueText}`].join(',')}}`;
}

describe('validateIdToken (fuzz)', () => {
  it('accepts the valid seed token, with or without extra claims of any type', async () => {
    expect(await outcome(await sign(JSON.stringify(validClaims)))).toBe('valid');
    await fuzzAsync(
      'id token: valid with extra claims',
      fc.asyncProperty(
        fc.dictionary(
          fc.string({ maxLength: 8 }).filter((name) => !(CLAIMS as readonly string[]).includes(name)),
          fc.jsonValue({ maxDepth: 2 }),
          { maxKeys: 4 },
        ),
        async (extra) => {
          const payload = JSON.stringify({ ...extra, ...validClaims });
          expect(await outcome(await sign(payload))).toBe('valid');
        },
      ),
      0.2,
    );
  });

  it.each(
    CLAIMS.flatMap((claim) => (Object.keys(JSON_VALUE_TEXT) as JsonType[]).map((type) => [claim, type] as const)),
  )('refuses %s as a %s that is not a valid value, with its own code', async (claim, type) => {
    await fuzzAsync(
      `id token: ${claim} as ${type}`,
      fc.asyncProperty(JSON_VALUE_TEXT[type], async (text) => {
        const expected = expectedFor(claim, JSON.parse(text), idp.clientId);
        expect(await outcome(await sign(payloadWith(claim, text)))).toEqual(expected ? { code: expected } : 'valid');
      }),
      1 / 60,
    );
  });

  it('refuses every claim with any wrong value, huge numbers included, with the code its rule names', async () => {
    await fuzzAsync(
      'id token: one claim, any value',
      fc.asyncProperty(fc.constantFrom(...CLAIMS), anyJsonText, async (claim, text) => {
        const expected = expectedFor(claim, JSON.parse(text), idp.clientId);
        expect(await outcome(await sign(payloadWith(claim, text)))).toEqual(expected ? { code: expected } : 'valid');
      }),
    );
  });

  it('refuses several wrong claims at once with one of their codes, and any payload that is not a JSON object', async () => {
    const manyClaims = fc
      .array(fc.tuple(fc.constantFrom(...CLAIMS), anyJsonText), { minLength: 1, maxLength: 10 })
      .map((changes) => {
        const entries = new Map(Object.entries(validClaims).map(([name, value]) => [name, JSON.stringify(value)]));
        for (const [claim, text] of changes) entries.set(claim, text);
        const codes = changes.map(([claim]) => expectedFor(claim, JSON.parse(entries.get(claim)!), idp.clientId));
        return {
          payload: `{${[...entries].map(([name, text]) => `${JSON.stringify(name)}:${text}`).join(',')}}`,
          codes,
        };
      });
    const notAnObject = fc.oneof(
      anyJsonText.filter((text) => !text.startsWith('{')),
      fc.string({ maxLength: 20 }),
      fc.constantFrom('', '{', '{"iss":', 'null', '[]', '"{}"', '\ufeff{}', '{}x', '{"a":1}{"b":2}'),
    );
    await fuzzAsync(
      'id token: many claims, non-object payloads',
      fc.asyncProperty(
        fc.oneof(
          manyClaims,
          notAnObject.map((payload) => ({ payload, codes: null })),
        ),
        async ({ payload, codes }) => {
          const result = await outcome(await sign(payload));
          if (codes === null) {
            let parsed: unknown;
            try {
              // The UTF-8 decoder drops a leading byte order mark, as RFC 8259 §8.1 allows.
              parsed = JSON.parse(payload.replace(/^\ufeff/, ''));
            } catch {
              // Not JSON at all: must be refused as malformed.
            }
            expect(result).toEqual(
              parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? result : { code: 'invalid_id_token' },
            );
          } else if (codes.every((code) => code === undefined)) {
            expect(result).toBe('valid');
          } else {
            expect(result).not.toBe('valid');
            expect(codes).toContain((result as { code: ImplicitAuthErrorCode }).code);
          }
        },
      ),
    );
  });

  it('refuses a header with a wrong alg, kid or any crit with the code its rule names', async () => {
    const headerValue = fc.oneof(
      anyJsonText.map((text) => JSON.parse(text) as unknown),
      fc.constant(undefined),
    );
    const headers = fc.record({
      alg: fc.oneof(
        fc.constantFrom('EdDSA', 'none', 'None', 'HS256', 'RS256', 'ES256', 'PS512', 'eddsa', 'EdDSA ', ''),
        headerValue,
      ),
      kid: fc.oneof(fc.constantFrom(idp.key.kid, undefined, 'other', '', `${idp.key.kid} `), headerValue),
      crit: fc.oneof(fc.constant(undefined), fc.constant(undefined), headerValue, fc.constant(['b64'])),
      extra: fc.dictionary(
        fc.constantFrom('typ', 'cty', 'jwk', 'jku', 'x5u', 'x5c', 'zip', 'x', '__proto__'),
        fc.jsonValue({ maxDepth: 1 }),
        { maxKeys: 3 },
      ),
    });
    await fuzzAsync(
      'id token: header',
      fc.asyncProperty(headers, async ({ alg, kid, crit, extra }) => {
        const protectedHeader = { ...extra, alg, kid, crit };
        const token = await sign(JSON.stringify(validClaims), JSON.parse(JSON.stringify(protectedHeader)));
        // Rule 7: only the configured asymmetric algorithms; RFC 7515 §4.1.11: no `crit`; then the key by `kid`.
        const expected: ImplicitAuthErrorCode | undefined =
          typeof alg !== 'string' || !options.algorithms.includes(alg as never)
            ? 'unsupported_algorithm'
            : crit !== undefined
              ? 'invalid_id_token'
              : alg !== 'EdDSA' || (kid !== undefined && kid !== idp.key.kid)
                ? 'unknown_key'
                : undefined;
        expect(await outcome(token)).toEqual(expected ? { code: expected } : 'valid');
      }),
      0.5,
    );
  });

  describe('structure', () => {
    /** Characters that break base64url or the compact serialisation. */
    const noise = fc.constantFrom('.', '=', '==', '+', '/', ' ', '%', '\n', '\u0000', 'é', '\ud800', 'A', '_', '-', '');
    const segment = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/),
      fc.string({ unit: 'binary', maxLength: 20 }),
      anyJsonText.map(base64urlOf),
      fc.constantFrom(
        base64urlOf({ alg: 'EdDSA' }),
        base64urlOf('{}'),
        base64urlOf('[]'),
        base64urlOf('null'),
        'e30=',
        'e30',
        'e3',
      ),
      // Bytes that are not UTF-8.
      fc.uint8Array({ maxLength: 12 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
    );

    /** Mutations of a valid token: a character changed, added or dropped, segments cut, repeated or swapped. */
    const mutation = fc.oneof(
      fc.tuple(fc.nat(), noise).map(
        ([at, c]) =>
          (t: string) =>
            t.slice(0, at % t.length) + c + t.slice((at % t.length) + 1),
      ),
      fc.tuple(fc.nat(), noise).map(
        ([at, c]) =>
          (t: string) =>
            t.slice(0, at % t.length) + c + t.slice(at % t.length),
      ),
      fc.nat().map((at) => (t: string) => t.slice(0, at % t.length) + t.slice((at % t.length) + 1)),
      fc.nat().map((at) => (t: string) => t.slice(0, at % t.length)),
      fc.array(fc.nat(4), { maxLength: 5 }).map((order) => (t: string) => {
        const parts = t.split('.');
        return order.map((i) => parts[i % parts.length]).join('.');
      }),
    );

    it('refuses 0–5 segments of anything, bad base64url and non-object JSON with invalid_id_token', async () => {
      await fuzzAsync(
        'id token: segments',
        fc.asyncProperty(fc.array(segment, { maxLength: 5 }), fc.anything(), async (segments, notAString) => {
          const token = segments.join('.');
          const result = await outcome(token);
          const strictJsonObject = (s: string) => {
            // RFC 7515 §2: base64url without padding; RFC 7519 §7.2: a UTF-8 JSON object.
            if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return false;
            try {
              const value: unknown = JSON.parse(
                new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(s, 'base64url')),
              );
              return !!value && typeof value === 'object' && !Array.isArray(value);
            } catch {
              // Not UTF-8 or not JSON: not a JSON object.
              return false;
            }
          };
          if (segments.length !== 3 || !strictJsonObject(segments[0]) || !strictJsonObject(segments[1])) {
            expect(result).toEqual({ code: 'invalid_id_token' });
          } else {
            expect(result).not.toBe('valid');
          }
          if (typeof notAString !== 'string') expect(await outcome(notAString)).toEqual({ code: 'invalid_id_token' });
        }),
      );
    });

    it('never accepts a mutated valid token unless it decodes to the very same bytes', async () => {
      const valid = await sign(JSON.stringify(validClaims));
      const bytes = (t: string) => t.split('.').map((s) => Buffer.from(s, 'base64url').toString('hex'));
      await fuzzAsync(
        'id token: mutations',
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          const token = mutations.reduce((t, mutate) => mutate(t), valid);
          const result = await outcome(token);
          if (result === 'valid') {
            // Only the signature may differ in its text (unused trailing bits); the signed input is byte-exact.
            expect(token.split('.').slice(0, 2)).toEqual(valid.split('.').slice(0, 2));
            expect(bytes(token)).toEqual(bytes(valid));
          }
        }),
      );
    });
  });
});
