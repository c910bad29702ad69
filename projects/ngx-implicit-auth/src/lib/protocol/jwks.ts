import type { Clock } from '../clock';
import { ImplicitAuthError } from '../errors';
import { ASYMMETRIC_ALGORITHM } from './algorithms';
import { DEFAULT_NETWORK_TIMEOUT_MS } from './deadline';
import { fetchJsonObject } from './fetch-json';

/**
 * Returns the issuer's verification key for a JWS header. Its shape fits jose's `compactVerify` key function.
 * Implementations only ever look at `alg` and `kid`: keys embedded in the header (`jwk`, `jku`, `x5u`, `x5c`) are
 * attacker-controlled and never used.
 */
export type KeyResolver = (header: { alg?: string; kid?: string }) => Promise<CryptoKey>;

/** The {@link KeyResolver} of a JWK Set, which can also make a key ready before a validation asks for it. */
export interface JwksKeyResolver extends KeyResolver {
  /**
   * Makes the key for `header` ready ahead of a validation: the set fetched again if the kept one is too old (or
   * none is kept yet), the key imported if the set has it. An unknown `kid` re-fetches nothing (a validation does
   * that, within the cooldown). A head start only: never rejects.
   */
  prefetch(header: { alg?: string; kid?: string }): Promise<void>;
}

export interface JwksKeyResolverOptions {
  /** Called as a plain function (never as a method), so `window.fetch` works unbound. */
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  /**
   * Minimum seconds between two re-fetches caused by an unknown `kid`. The first one after any fetch is immediate,
   * so a key rotated a second after the set was fetched still works. Default 30.
   */
  readonly refetchCooldownSeconds?: number;
  /** Seconds after which the set is fetched again before use, so a key the provider removed stops verifying. Default 600. */
  readonly maxAgeSeconds?: number;
  /** How long one fetch of the set may take before a `network_timeout`. Default 10000 ms. */
  readonly timeoutMs?: number;
}

/** A member of a JWK Set, as received: every field must be checked before use. */
interface Jwk {
  readonly kty?: unknown;
  readonly kid?: unknown;
  readonly use?: unknown;
  readonly alg?: unknown;
  readonly key_ops?: unknown;
  readonly crv?: unknown;
  readonly n?: unknown;
  readonly e?: unknown;
  readonly x?: unknown;
  readonly y?: unknown;
  readonly d?: unknown;
}

interface KeySet {
  readonly keys: readonly Jwk[];
  readonly fetchedAt: number;
  /**
   * Imports by `kid:alg`, per fetched set so a rotation never serves a stale import; kept from the start, so a
   * validation and a prefetch asking at once share one import.
   */
  readonly imported: Map<string, Promise<CryptoKey>>;
}

/** The key type, WebCrypto import parameters and curve for a signing `alg` (already checked to be asymmetric). */
function keyParams(
  alg: string,
): [kty: string, params: RsaHashedImportParams | EcKeyImportParams | Algorithm, crv?: string] {
  const bits = alg.slice(2);
  const hash = `SHA-${bits}`;
  switch (alg.slice(0, 2)) {
    case 'RS':
      return ['RSA', { name: 'RSASSA-PKCS1-v1_5', hash }];
    case 'PS':
      return ['RSA', { name: 'RSA-PSS', hash }];
    case 'ES': {
      const namedCurve = `P-${bits === '512' ? 521 : bits}`;
      return ['EC', { name: 'ECDSA', namedCurve }, namedCurve];
    }
  }
  return ['OKP', { name: 'Ed25519' }, 'Ed25519'];
}

/**
 * Whether `jwk` can verify `alg`: matching `kty` and curve, `use` absent or `sig`, `key_ops` absent or with `verify`,
 * `alg` absent or equal, public key material present and no private part. Other keys in the set are ignored.
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-4
 */
function canVerify(jwk: Jwk, alg: string, kty: string, crv: string | undefined): boolean {
  return (
    jwk.kty === kty &&
    jwk.crv === crv &&
    (jwk.use === undefined || jwk.use === 'sig') &&
    (jwk.key_ops === undefined || (Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) &&
    (jwk.alg === undefined || jwk.alg === alg) &&
    jwk.d === undefined &&
    (kty === 'RSA'
      ? typeof jwk.n === 'string' && typeof jwk.e === 'string'
      : typeof jwk.x === 'string' && (kty === 'OKP' || typeof jwk.y === 'string'))
  );
}

/**
 * Resolves ID token keys from the provider's JWK Set, fetched lazily on first use and cached.
 *
 * - A header with a `kid` uses the one usable key with that `kid`; without a `kid`, the set's only usable key
 *   (OIDC Core §10.1: a `kid` is required when there are several).
 * - An unknown `kid` re-fetches the set once, immediately (key rotation), then at most once per
 *   `refetchCooldownSeconds`; a `kid` still unknown after a fetch does not re-fetch again until the set is fetched for
 *   another reason; concurrent misses share one request.
 *
 * A failed or timed-out fetch is never kept: the next use fetches again.
 *
 * @throws {ImplicitAuthError} `network_timeout` / `network_error` when the set did not arrive in time / at all (with
 *   `cause`), `jwks_failed` when it is not a JWK Set, `unknown_key` when no usable key matches.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#RotateSigKeys (§10.1.1)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#Signing (§10.1)
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export function createJwksKeyResolver(jwksUri: string, options: JwksKeyResolverOptions): JwksKeyResolver {
  const {
    fetch: fetchFn,
    clock,
    refetchCooldownSeconds = 30,
    maxAgeSeconds = 600,
    timeoutMs = DEFAULT_NETWORK_TIMEOUT_MS,
  } = options;
  let set: KeySet | undefined;
  let pending: Promise<KeySet> | undefined;
  let lastRefetch = -Infinity;
  /** `kid`s that were still unknown after the latest fetch. */
  let stillUnknown = new Set<string>();

  const load = () =>
    (pending ??= fetchJsonObject(fetchFn, jwksUri, 'jwks_failed', { timeoutMs })
      .then(({ keys }) => {
        if (!Array.isArray(keys))
          throw new ImplicitAuthError(
            'jwks_failed',
            typeof ngDevMode === 'undefined' || ngDevMode ? 'JWKS: no keys array' : '',
          );
        stillUnknown = new Set();
        return (set = {
          keys: keys.filter((key: unknown): key is Jwk => !!key && typeof key === 'object'),
          fetchedAt: clock.now(),
          imported: new Map(),
        });
      })
      .finally(() => (pending = undefined)));

  const find = ({ keys }: KeySet, alg: string, kid: string | undefined) => {
    const [kty, , crv] = keyParams(alg);
    const found = keys.filter((jwk) => (kid === undefined || jwk.kid === kid) && canVerify(jwk, alg, kty, crv));
    return found.length === 1 ? found[0] : undefined;
  };

  /** Whether `alg` and `kid` can name a key at all (asymmetric `alg`, string `kid` if any). */
  const usable = (alg: unknown, kid: unknown): alg is string =>
    typeof alg === 'string' && ASYMMETRIC_ALGORITHM.test(alg) && (kid === undefined || typeof kid === 'string');
  /** The kept set while it is young enough, else a fresh one. */
  const current = () => (set && clock.now() - set.fetchedAt < maxAgeSeconds * 1000 ? set : load());

  /** `jwk` of `keys`, imported once per set (a failed import is not kept: the next use tries again). */
  const importKey = (keys: KeySet, jwk: Jwk, alg: string, kid: string | undefined): Promise<CryptoKey> => {
    const id = `${kid ?? ''}:${alg}`;
    let key = keys.imported.get(id);
    if (!key) {
      const { kty, crv, n, e, x, y } = jwk;
      key = crypto.subtle
        .importKey('jwk', { kty, crv, n, e, x, y } as JsonWebKey, keyParams(alg)[1], false, ['verify'])
        .catch((error: unknown) => {
          keys.imported.delete(id);
          // Malformed key material (bad base64url, wrong length) makes this key unusable, not the set unreadable.
          throw new ImplicitAuthError(
            'unknown_key',
            typeof ngDevMode === 'undefined' || ngDevMode ? 'JWKS: unusable key' : '',
            { cause: error },
          );
        });
      keys.imported.set(id, key);
    }
    return key;
  };

  const resolve: KeyResolver = async ({ alg, kid }) => {
    if (!usable(alg, kid))
      throw new ImplicitAuthError(
        'unknown_key',
        typeof ngDevMode === 'undefined' || ngDevMode ? 'JWKS: unsupported header' : '',
      );
    let keys = await current();
    let jwk = find(keys, alg, kid);
    const missKey = kid ?? '';
    // A rotated key: re-fetch once (sharing any fetch in flight), but never hammer the provider.
    if (!jwk && !stillUnknown.has(missKey) && (pending || clock.now() - lastRefetch >= refetchCooldownSeconds * 1000)) {
      if (!pending) lastRefetch = clock.now();
      keys = await load();
      jwk = find(keys, alg, kid);
      if (!jwk) stillUnknown.add(missKey);
    }
    if (!jwk)
      throw new ImplicitAuthError(
        'unknown_key',
        typeof ngDevMode === 'undefined' || ngDevMode ? `JWKS: no key for kid ${kid}` : '',
      );
    return importKey(keys, jwk, alg, kid);
  };

  const prefetch = async ({ alg, kid }: { alg?: string; kid?: string }): Promise<void> => {
    if (!usable(alg, kid)) return;
    try {
      const keys = await current();
      const jwk = find(keys, alg, kid);
      if (jwk) await importKey(keys, jwk, alg, kid);
    } catch {
      // Only a head start: the validation resolves the key itself, and reports what fails then.
    }
  };

  return Object.assign(resolve, { prefetch });
}
