import type { JWK } from 'jose';
import { authErrorOf, createTestIssuer, type TestIssuer } from '../testing';
import { createJwksKeyResolver, type JwksKeyResolver, type KeyResolver } from './jwks';

describe('createJwksKeyResolver', () => {
  let idp: TestIssuer;
  let resolve: KeyResolver;
  const fetches = () => idp.http.count(idp.jwksUri);

  beforeEach(async () => {
    idp = await createTestIssuer();
    resolve = createJwksKeyResolver(idp.jwksUri, { fetch: idp.fetch, clock: idp.clock });
  });

  it('fetches the set lazily, once, and reuses the imported key', async () => {
    expect(fetches()).toBe(0);
    const key = await resolve({ alg: 'RS256', kid: idp.key.kid });
    expect(key.type).toBe('public');
    expect(key.usages).toEqual(['verify']);
    expect(await resolve({ alg: 'RS256', kid: idp.key.kid })).toBe(key);
    expect(fetches()).toBe(1);
  });

  it('selects the key by kid among several', async () => {
    const second = await idp.createKey('RS256');
    const data = new TextEncoder().encode('signed by the second key');
    const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', second.privateKey, data);
    const key = await resolve({ alg: 'RS256', kid: second.kid });
    expect(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, signature, data)).toBe(true);
  });

  it('uses the only usable key when the header has no kid', async () => {
    await expect(resolve({ alg: 'RS256' })).resolves.toBeTruthy();
  });

  it('refuses to guess between several usable keys when the header has no kid', async () => {
    await idp.createKey('RS256');
    expect((await authErrorOf(resolve({ alg: 'RS256' }))).code).toBe('unknown_key');
  });

  it('ignores keys that cannot verify this alg', async () => {
    const good = idp.key.publicJwk;
    const { kid: _kid, ...noKid } = good;
    const ec = (await idp.createKey('ES256', { publish: false })).publicJwk;
    const unusable: JWK[] = [
      { ...noKid, use: 'enc' },
      { ...noKid, key_ops: ['encrypt'] },
      { ...noKid, alg: 'RS512' },
      { ...noKid, d: 'private-part' },
      { ...noKid, n: undefined },
      { kty: 'oct', k: 'c2VjcmV0' },
      { ...ec, kid: undefined, alg: undefined },
      { ...ec, kid: undefined, alg: undefined, crv: 'P-384' },
    ];
    idp.jwks.keys = [...unusable, { ...noKid, key_ops: ['verify'] }];
    await expect(resolve({ alg: 'RS256' })).resolves.toBeTruthy();
    // Without the good key, none of the others is taken.
    const fresh = createJwksKeyResolver(idp.jwksUri, { fetch: idp.fetch, clock: idp.clock });
    idp.jwks.keys = unusable;
    expect((await authErrorOf(fresh({ alg: 'RS256' }))).code).toBe('unknown_key');
  });

  describe('selects a key by kty, crv and alg (RFC 7517 §4, RFC 7518 §3.1)', () => {
    /** Resolves `alg` without a kid against `keys`: it succeeds only when exactly one key is usable. */
    const onlyUsable = async (alg: string, keys: JWK[]) => {
      idp.jwks.keys = keys;
      const fresh = createJwksKeyResolver(idp.jwksUri, { fetch: idp.fetch, clock: idp.clock });
      return fresh({ alg }).then(
        () => 'resolved',
        (error: unknown) => (error as { code: string }).code,
      );
    };
    const withoutKid = ({ kid: _kid, ...jwk }: JWK): JWK => jwk;

    it('ignores a key whose kty does not fit the alg, even with the right key material', async () => {
      const rsa = withoutKid(idp.key.publicJwk);
      expect(await onlyUsable('RS256', [{ ...rsa, kty: 'EC' }, rsa])).toBe('resolved');
      expect(await onlyUsable('RS256', [{ ...rsa, kty: 'EC' }])).toBe('unknown_key');
    });

    it('ignores an EC key on another curve than the alg names', async () => {
      const p256 = withoutKid((await idp.createKey('ES256', { publish: false })).publicJwk);
      expect(await onlyUsable('ES256', [{ ...p256, crv: 'P-384' }, p256])).toBe('resolved');
      expect(await onlyUsable('ES384', [p256])).toBe('unknown_key');
    });

    it('ignores an OKP key that is not Ed25519 for EdDSA', async () => {
      const ed = withoutKid((await idp.createKey('EdDSA', { publish: false })).publicJwk);
      expect(await onlyUsable('EdDSA', [{ ...ed, crv: 'Ed448' }, ed])).toBe('resolved');
      expect(await onlyUsable('EdDSA', [{ ...ed, crv: 'Ed448' }])).toBe('unknown_key');
    });

    it('ignores a key whose alg is another one, and takes a key without alg', async () => {
      const rsa = withoutKid(idp.key.publicJwk);
      expect(await onlyUsable('RS256', [{ ...rsa, alg: 'PS256' }, rsa])).toBe('resolved');
      expect(await onlyUsable('RS256', [{ ...rsa, alg: undefined }])).toBe('resolved');
      expect(await onlyUsable('RS256', [{ ...rsa, alg: 'PS256' }])).toBe('unknown_key');
    });
  });

  it('refuses a kid that is not a string without fetching the set', async () => {
    expect((await authErrorOf(resolve({ alg: 'RS256', kid: 42 as unknown as string }))).code).toBe('unknown_key');
    expect(fetches()).toBe(0);
  });

  it('imports keys for verification only, not extractable', async () => {
    const key = await resolve({ alg: 'RS256', kid: idp.key.kid });
    expect(key.extractable).toBe(false);
  });

  it('caches imported keys per kid: each kid gets its own key', async () => {
    const second = await idp.createKey('RS256');
    const first = await resolve({ alg: 'RS256', kid: idp.key.kid });
    const other = await resolve({ alg: 'RS256', kid: second.kid });
    expect(other).not.toBe(first);
    const data = new TextEncoder().encode('signed by the second key');
    const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', second.privateKey, data);
    expect(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', other, signature, data)).toBe(true);
  });

  it('requires the public key material of the key type (RFC 7518 §6)', async () => {
    const rsa = idp.key.publicJwk;
    const ec = (await idp.createKey('ES256', { publish: false })).publicJwk;
    const ed = (await idp.createKey('EdDSA', { publish: false })).publicJwk;
    const cases: [string, JWK][] = [
      ['RS256', { ...rsa, e: undefined }],
      ['RS256', { ...rsa, n: undefined }],
      ['ES256', { ...ec, y: undefined }],
      ['ES256', { ...ec, x: undefined }],
      ['EdDSA', { ...ed, x: undefined }],
    ];
    for (const [alg, jwk] of cases) {
      idp.jwks.keys = [jwk];
      const fresh = createJwksKeyResolver(idp.jwksUri, { fetch: idp.fetch, clock: idp.clock });
      expect((await authErrorOf(fresh({ alg, kid: jwk.kid }))).code).toBe('unknown_key');
    }
    idp.jwks.keys = [ed];
    const fresh = createJwksKeyResolver(idp.jwksUri, { fetch: idp.fetch, clock: idp.clock });
    await expect(fresh({ alg: 'EdDSA', kid: ed.kid })).resolves.toBeTruthy();
  });

  it('waits the configured timeoutMs for the set, no less', async () => {
    jest.useFakeTimers();
    try {
      const slow = createJwksKeyResolver(idp.jwksUri, { fetch: idp.fetch, clock: idp.clock, timeoutMs: 1_500 });
      idp.http.hang(idp.jwksUri);
      let settled = false;
      const result = authErrorOf(slow({ alg: 'RS256', kid: idp.key.kid })).finally(() => (settled = true));
      await jest.advanceTimersByTimeAsync(1_499);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect((await result).code).toBe('network_timeout');
    } finally {
      jest.useRealTimers();
    }
  });

  it('ignores malformed entries in the set', async () => {
    idp.jwks.keys = [null, 'key', 42, idp.key.publicJwk] as unknown as JWK[];
    await expect(resolve({ alg: 'RS256', kid: idp.key.kid })).resolves.toBeTruthy();
  });

  it('reports unusable key material as unknown_key', async () => {
    const ec = await idp.createKey('ES256', { publish: false });
    idp.jwks.keys = [{ ...ec.publicJwk, x: 'AAAA' }];
    const error = await authErrorOf(resolve({ alg: 'ES256', kid: ec.kid }));
    expect(error.code).toBe('unknown_key');
    expect(error.cause).toBeDefined();
  });

  it('refuses headers with no usable alg', async () => {
    for (const alg of [undefined, 'none', 'HS256', 'RS1']) {
      expect((await authErrorOf(resolve({ alg, kid: idp.key.kid }))).code).toBe('unknown_key');
    }
    expect(fetches()).toBe(0);
  });

  describe('key rotation', () => {
    it('re-fetches for an unknown kid even one second after a fetch', async () => {
      await resolve({ alg: 'RS256', kid: idp.key.kid });
      const rotated = await idp.createKey('RS256');
      idp.clock.advance(1);
      await expect(resolve({ alg: 'RS256', kid: rotated.kid })).resolves.toBeTruthy();
      expect(fetches()).toBe(2);
    });

    it('does not re-fetch again for a kid still unknown after a fetch', async () => {
      await resolve({ alg: 'RS256', kid: idp.key.kid });
      for (let i = 0; i < 5; i++) {
        idp.clock.advance(60);
        expect((await authErrorOf(resolve({ alg: 'RS256', kid: 'ghost' }))).code).toBe('unknown_key');
      }
      expect(fetches()).toBe(2);
    });

    it('re-fetches for another unknown kid at most once per cooldown', async () => {
      await resolve({ alg: 'RS256', kid: idp.key.kid });
      await authErrorOf(resolve({ alg: 'RS256', kid: 'ghost-1' }));
      expect(fetches()).toBe(2);
      idp.clock.advance(29);
      await authErrorOf(resolve({ alg: 'RS256', kid: 'ghost-2' }));
      expect(fetches()).toBe(2);
      idp.clock.advance(1);
      await authErrorOf(resolve({ alg: 'RS256', kid: 'ghost-2' }));
      expect(fetches()).toBe(3);
    });

    it('shares one fetch between concurrent misses', async () => {
      await resolve({ alg: 'RS256', kid: idp.key.kid });
      const a = await idp.createKey('RS256');
      const b = await idp.createKey('RS256');
      await Promise.all([resolve({ alg: 'RS256', kid: a.kid }), resolve({ alg: 'RS256', kid: b.kid })]);
      expect(fetches()).toBe(2);
    });

    it('shares the first fetch between concurrent first uses', async () => {
      await Promise.all([1, 2, 3].map(() => resolve({ alg: 'RS256', kid: idp.key.kid })));
      expect(fetches()).toBe(1);
    });

    it('re-fetches a set older than maxAgeSeconds, so a removed key stops working', async () => {
      await resolve({ alg: 'RS256', kid: idp.key.kid });
      idp.jwks.keys = [(await idp.createKey('RS256', { publish: false })).publicJwk];
      idp.clock.advance(599);
      await expect(resolve({ alg: 'RS256', kid: idp.key.kid })).resolves.toBeTruthy();
      idp.clock.advance(1);
      expect((await authErrorOf(resolve({ alg: 'RS256', kid: idp.key.kid }))).code).toBe('unknown_key');
    });
  });

  describe('prefetch, a head start before a validation', () => {
    let resolver: JwksKeyResolver;

    beforeEach(() => {
      resolver = createJwksKeyResolver(idp.jwksUri, { fetch: idp.fetch, clock: idp.clock });
    });

    it('fetches and imports the key, which the validation then gets without another fetch or import', async () => {
      await resolver.prefetch({ alg: 'RS256', kid: idp.key.kid });
      expect(fetches()).toBe(1);
      const prefetched = await resolver({ alg: 'RS256', kid: idp.key.kid });
      expect(prefetched.type).toBe('public');
      expect(await resolver({ alg: 'RS256', kid: idp.key.kid })).toBe(prefetched);
      expect(fetches()).toBe(1);
    });

    it('shares its fetch and import with a validation asking at the same time', async () => {
      const [, key] = await Promise.all([
        resolver.prefetch({ alg: 'RS256', kid: idp.key.kid }),
        resolver({ alg: 'RS256', kid: idp.key.kid }),
      ]);
      expect(await resolver({ alg: 'RS256', kid: idp.key.kid })).toBe(key);
      expect(fetches()).toBe(1);
    });

    it('fetches a set older than maxAgeSeconds again, so the validation after it does not wait for it', async () => {
      await resolver({ alg: 'RS256', kid: idp.key.kid });
      idp.clock.advance(600);
      await resolver.prefetch({ alg: 'RS256', kid: idp.key.kid });
      expect(fetches()).toBe(2);
      await resolver({ alg: 'RS256', kid: idp.key.kid });
      expect(fetches()).toBe(2);
    });

    it('leaves a fresh set alone, and fetches nothing for an unknown kid (a validation re-fetches, within the cooldown)', async () => {
      await resolver({ alg: 'RS256', kid: idp.key.kid });
      await resolver.prefetch({ alg: 'RS256', kid: idp.key.kid });
      await resolver.prefetch({ alg: 'RS256', kid: 'rotated' });
      expect(fetches()).toBe(1);
      const rotated = await idp.createKey('RS256');
      await expect(resolver({ alg: 'RS256', kid: rotated.kid })).resolves.toBeTruthy();
      expect(fetches()).toBe(2);
    });

    it('never rejects: an unreachable set, unusable key material or a header naming no key', async () => {
      idp.http.unreachable(idp.jwksUri);
      await expect(resolver.prefetch({ alg: 'RS256', kid: idp.key.kid })).resolves.toBeUndefined();
      const ec = await idp.createKey('ES256', { publish: false });
      idp.http.json(idp.jwksUri, () => ({ keys: [{ ...ec.publicJwk, x: 'AAAA' }] }));
      await expect(resolver.prefetch({ alg: 'ES256', kid: ec.kid })).resolves.toBeUndefined();
      await expect(resolver.prefetch({ alg: 'HS256' })).resolves.toBeUndefined();
      // The validation still reports what is wrong.
      expect((await authErrorOf(resolver({ alg: 'ES256', kid: ec.kid }))).code).toBe('unknown_key');
    });
  });

  describe('fetch failures', () => {
    it('reports an unreachable JWKS as network_error with the cause', async () => {
      idp.http.unreachable(idp.jwksUri);
      const error = await authErrorOf(resolve({ alg: 'RS256', kid: idp.key.kid }));
      expect(error.code).toBe('network_error');
      expect(error.cause).toBeInstanceOf(TypeError);
    });

    it('gives up on a JWKS that never answers with network_timeout, and fetches again on the next use', async () => {
      jest.useFakeTimers();
      try {
        const hanging = createJwksKeyResolver(idp.jwksUri, { fetch: idp.fetch, clock: idp.clock, timeoutMs: 1_500 });
        idp.http.hang(idp.jwksUri);
        const settled = authErrorOf(hanging({ alg: 'RS256', kid: idp.key.kid }));
        await jest.advanceTimersByTimeAsync(1_500);
        expect((await settled).code).toBe('network_timeout');
        // The provider recovers: the timed-out fetch was not kept, so the next use fetches and verifies.
        idp.http.json(idp.jwksUri, () => idp.jwks);
        await expect(hanging({ alg: 'RS256', kid: idp.key.kid })).resolves.toBeTruthy();
        expect(idp.http.count(idp.jwksUri)).toBe(2);
      } finally {
        jest.useRealTimers();
      }
    });

    it.each([
      ['an HTTP error', () => new Response('{}', { status: 500 })],
      ['a body that is not JSON', () => new Response('<html>')],
      ['JSON without keys', () => new Response('{"keys":{}}')],
    ])('reports %s as jwks_failed', async (_name, respond) => {
      idp.http.on(idp.jwksUri, respond);
      expect((await authErrorOf(resolve({ alg: 'RS256', kid: idp.key.kid }))).code).toBe('jwks_failed');
    });

    it('tries again on the next use after a failed first fetch', async () => {
      idp.http.unreachable(idp.jwksUri);
      await authErrorOf(resolve({ alg: 'RS256', kid: idp.key.kid }));
      idp.http.json(idp.jwksUri, () => idp.jwks);
      await expect(resolve({ alg: 'RS256', kid: idp.key.kid })).resolves.toBeTruthy();
    });
  });

  it('does not count a key without its public material as a candidate (RFC 7518 §6)', async () => {
    const withoutKid = ({ kid: _kid, ...jwk }: JWK): JWK => jwk;
    const rsa = withoutKid(idp.key.publicJwk);
    const ec = withoutKid((await idp.createKey('ES256', { publish: false })).publicJwk);
    const ed = withoutKid((await idp.createKey('EdDSA', { publish: false })).publicJwk);
    const cases: [string, JWK, JWK][] = [
      ['RS256', { ...rsa, e: undefined }, rsa],
      ['ES256', { ...ec, y: undefined }, ec],
      ['ES256', { ...ec, x: undefined }, ec],
      ['EdDSA', { ...ed, x: undefined }, ed],
    ];
    for (const [alg, incomplete, complete] of cases) {
      // Without a kid, exactly one usable key is required: the incomplete one must not count.
      idp.jwks.keys = [incomplete, complete];
      const fresh = createJwksKeyResolver(idp.jwksUri, { fetch: idp.fetch, clock: idp.clock });
      await expect(fresh({ alg })).resolves.toBeTruthy();
    }
  });
});
