import { createHash } from 'node:crypto';
import { CompactSign, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { IdTokenSigningAlgorithm } from '../protocol/algorithms';
import type { ImplicitResponseType } from '../protocol/response-type';
import { createFakeClock, type FakeClock } from './fake-clock';
import { createFakeFetch, type FakeFetch } from './fake-fetch';

/** A signing key of the test issuer. */
export interface TestSigningKey {
  readonly kid: string;
  readonly alg: IdTokenSigningAlgorithm;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** The public JWK as published in the JWK Set (with `kid`, `alg`, `use: 'sig'`). */
  readonly publicJwk: JWK;
}

export interface SignIdTokenOptions {
  /** The key to sign with; default: the issuer's first key. */
  readonly key?: TestSigningKey;
  /** The header's `kid`; default the key's; `null` leaves it out. */
  readonly kid?: string | null;
  /** Extra protected-header parameters (e.g. `{ jwk }`). */
  readonly header?: Readonly<Record<string, unknown>>;
  /** Adds the matching `at_hash` for this access token (computed independently of the library). */
  readonly accessToken?: string;
}

export interface TestAuthorizationResponseOptions {
  readonly state: string;
  /** Put into the ID token's `nonce`. */
  readonly nonce?: string;
  /** Default `'id_token token'`. */
  readonly responseType?: ImplicitResponseType;
  /** Default: a fresh random-looking token. */
  readonly accessToken?: string;
  /** Default 3600; `null` leaves it out. */
  readonly expiresIn?: number | string | null;
  /** Default `'Bearer'`. */
  readonly tokenType?: string;
  readonly scope?: string;
  /** The RFC 9207 `iss` parameter (not sent by default). */
  readonly iss?: string;
  /** Claims merged over the defaults (`undefined` removes one). */
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly signOptions?: SignIdTokenOptions;
}

/**
 * An OpenID provider in memory: keys generated with jose, a discovery document, a JWK Set and a UserInfo endpoint
 * served by a fake `fetch`, a fake clock, and helpers that sign real ID tokens.
 */
export interface TestIssuer {
  readonly issuer: string;
  readonly clientId: string;
  readonly clock: FakeClock;
  /** The fake `fetch` serving this issuer (register more routes with `http.on`/`http.json`). */
  readonly http: FakeFetch;
  /** Shorthand for `http.fetch`. */
  readonly fetch: typeof fetch;
  readonly discoveryUrl: string;
  readonly jwksUri: string;
  readonly authorizationEndpoint: string;
  readonly endSessionEndpoint: string;
  readonly userinfoEndpoint: string;
  /** The discovery document as served; change it to test. */
  readonly metadata: Record<string, unknown>;
  /** The JWK Set as served; change `keys` to rotate. */
  readonly jwks: { keys: JWK[] };
  /** The UserInfo response served to any request with a Bearer token. */
  userinfo: Record<string, unknown>;
  /** The first signing key (published). */
  readonly key: TestSigningKey;
  /** Default ID token claims (`iss`, `aud`, `sub`, `iat`, `exp` = now + 1 h, `name`, `email`), with overrides. */
  claims(overrides?: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** Signs an ID token with jose; `claims` are merged over {@link claims}'s defaults (`undefined` removes one). */
  signIdToken(claims?: Readonly<Record<string, unknown>>, options?: SignIdTokenOptions): Promise<string>;
  /** A new signing key, published in the JWK Set unless `publish` is false. */
  createKey(alg?: IdTokenSigningAlgorithm, options?: { readonly publish?: boolean }): Promise<TestSigningKey>;
  /** A callback fragment (`#access_token=…&id_token=…&state=…`) as the provider would send it. */
  authorizationResponse(options: TestAuthorizationResponseOptions): Promise<string>;
}

export interface TestIssuerOptions {
  /** Default `https://idp.example`. */
  readonly issuer?: string;
  /** Default `spa-client`. */
  readonly clientId?: string;
  /** The first key's algorithm; default `RS256`. */
  readonly alg?: IdTokenSigningAlgorithm;
  readonly clock?: FakeClock;
}

/** Generated key pairs, reused across tests (RSA generation is slow); the n-th key of an alg is always distinct. */
const keyPool = new Map<string, Promise<CryptoKeyPair>[]>();

function pooledKeyPair(alg: IdTokenSigningAlgorithm, index: number): Promise<CryptoKeyPair> {
  const pool = keyPool.get(alg) ?? [];
  keyPool.set(alg, pool);
  return (pool[index] ??= generateKeyPair(alg, { extractable: true }));
}

/** `at_hash` computed with Node's crypto, independently of the library's WebCrypto code. */
export function referenceAtHash(accessToken: string, alg: string): string {
  const bits = alg === 'EdDSA' ? '512' : alg.slice(-3);
  const digest = createHash(`sha${bits}`).update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** Base64url of a string's UTF-8 bytes or of a JSON value. */
export function base64urlOf(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/**
 * Signs arbitrary header and payload text with WebCrypto, for tokens jose refuses to produce (an unknown `crit`,
 * a payload that is not a JSON object).
 */
export async function signJws(
  header: Readonly<Record<string, unknown>>,
  payload: string,
  key: Pick<TestSigningKey, 'privateKey'>,
): Promise<string> {
  const alg = String(header['alg']);
  const bits = Number(alg.slice(2));
  const params =
    alg === 'EdDSA'
      ? { name: 'Ed25519' }
      : alg.startsWith('ES')
        ? { name: 'ECDSA', hash: `SHA-${bits}` }
        : alg.startsWith('PS')
          ? { name: 'RSA-PSS', saltLength: bits / 8 }
          : { name: 'RSASSA-PKCS1-v1_5' };
  const input = `${base64urlOf(header)}.${base64urlOf(payload)}`;
  const signature = await crypto.subtle.sign(params, key.privateKey, new TextEncoder().encode(input));
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

/** An unsigned token (`alg: none`), as an attacker would send it. */
export function unsecuredToken(claims: Readonly<Record<string, unknown>>): string {
  return `${base64urlOf({ alg: 'none' })}.${base64urlOf(claims)}.`;
}

let accessTokenCounter = 0;

export async function createTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const issuer = options.issuer ?? 'https://idp.example';
  const clientId = options.clientId ?? 'spa-client';
  const clock = options.clock ?? createFakeClock();
  const http = createFakeFetch();
  const base = issuer.replace(/\/$/, '');
  const discoveryUrl = `${base}/.well-known/openid-configuration`;
  const jwks: { keys: JWK[] } = { keys: [] };
  const counts = new Map<string, number>();

  const createKey = async (alg: IdTokenSigningAlgorithm = options.alg ?? 'RS256', { publish = true } = {}) => {
    const index = counts.get(alg) ?? 0;
    counts.set(alg, index + 1);
    const { privateKey, publicKey } = await pooledKeyPair(alg, index);
    const kid = `${alg.toLowerCase()}-${index + 1}`;
    const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    if (publish) jwks.keys.push(publicJwk);
    return { kid, alg, privateKey, publicKey, publicJwk };
  };
  const key = await createKey();

  const claims = (overrides: Readonly<Record<string, unknown>> = {}) => {
    const now = clock.nowSeconds();
    const merged: Record<string, unknown> = {
      iss: issuer,
      aud: clientId,
      sub: 'user-1',
      iat: now,
      exp: now + 3600,
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      ...overrides,
    };
    for (const name of Object.keys(merged)) if (merged[name] === undefined) delete merged[name];
    return merged;
  };

  const signIdToken = async (overrides: Readonly<Record<string, unknown>> = {}, sign: SignIdTokenOptions = {}) => {
    const signingKey = sign.key ?? key;
    const payload = claims(
      sign.accessToken ? { at_hash: referenceAtHash(sign.accessToken, signingKey.alg), ...overrides } : overrides,
    );
    const kid = sign.kid === undefined ? signingKey.kid : sign.kid;
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: signingKey.alg, typ: 'JWT', ...(kid === null ? {} : { kid }), ...sign.header })
      .sign(signingKey.privateKey);
  };

  const testIssuer: TestIssuer = {
    issuer,
    clientId,
    clock,
    http,
    fetch: http.fetch,
    discoveryUrl,
    jwksUri: `${base}/jwks`,
    authorizationEndpoint: `${base}/authorize`,
    endSessionEndpoint: `${base}/session/end`,
    userinfoEndpoint: `${base}/me`,
    metadata: {},
    jwks,
    userinfo: { sub: 'user-1', name: 'Ada Lovelace', email: 'ada@example.com' },
    key,
    claims,
    signIdToken,
    createKey,
    async authorizationResponse(o) {
      const responseType = o.responseType ?? 'id_token token';
      const params = new URLSearchParams();
      let accessToken: string | undefined;
      if (responseType.split(' ').includes('token')) {
        accessToken = o.accessToken ?? `at-${++accessTokenCounter}-${Math.random().toString(36).slice(2)}`;
        params.set('access_token', accessToken);
        params.set('token_type', o.tokenType ?? 'Bearer');
        if (o.expiresIn !== null) params.set('expires_in', String(o.expiresIn ?? 3600));
      }
      if (responseType.split(' ').includes('id_token')) {
        const nonce = o.nonce === undefined ? {} : { nonce: o.nonce };
        params.set('id_token', await signIdToken({ ...nonce, ...o.claims }, { accessToken, ...o.signOptions }));
      }
      if (o.scope !== undefined) params.set('scope', o.scope);
      if (o.iss !== undefined) params.set('iss', o.iss);
      params.set('state', o.state);
      return `#${params}`;
    },
  };
  Object.assign(testIssuer.metadata, {
    issuer,
    authorization_endpoint: testIssuer.authorizationEndpoint,
    jwks_uri: testIssuer.jwksUri,
    end_session_endpoint: testIssuer.endSessionEndpoint,
    userinfo_endpoint: testIssuer.userinfoEndpoint,
    response_types_supported: ['id_token token', 'id_token', 'token'],
    response_modes_supported: ['fragment', 'web_message'],
    id_token_signing_alg_values_supported: ['RS256', 'RS384', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA'],
    authorization_response_iss_parameter_supported: false,
  });
  http.json(discoveryUrl, () => testIssuer.metadata);
  http.json(testIssuer.jwksUri, () => jwks);
  http.on(testIssuer.userinfoEndpoint, ({ headers }) =>
    /^Bearer \S+$/.test(headers.get('Authorization') ?? '')
      ? new Response(JSON.stringify(testIssuer.userinfo), { headers: { 'Content-Type': 'application/json' } })
      : new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } }),
  );
  return testIssuer;
}
