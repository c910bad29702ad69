import { base64url, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import type { Clock, IdTokenSigningAlgorithm, ImplicitAuthEndpoints, ProviderErrorCode } from 'ngx-implicit-auth';
import type { InMemoryTokens, InMemoryUser } from './in-memory-open-id-provider';

/*
 * The provider's side of the protocol, framework-free and in memory: a key pair made for this provider alone, the
 * discovery document, the JWK Set and UserInfo served by a `fetch`, and authorization responses with ID tokens signed
 * by jose. WebCrypto only (no `node:` modules), so it runs in a browser, in jsdom and in Node alike.
 */

export interface InMemoryIssuerOptions {
  /** The issuer identifier, exactly as the app is configured with it. */
  readonly issuer: string;
  /** Endpoints the app was configured with explicitly; the others live under the issuer. */
  readonly endpoints: ImplicitAuthEndpoints;
  readonly algorithm: IdTokenSigningAlgorithm;
  /** How long issued tokens live, in seconds. */
  readonly lifetimeSeconds: number;
  readonly clock: Clock;
}

/** Who an answer is for and what they granted. */
export interface Grant {
  readonly user: InMemoryUser;
  /** When the user authenticated at the provider (the ID token's `auth_time`), in ms since the epoch. */
  readonly authTime: number;
  /** The scopes granted, sent as the response's `scope`; `undefined`: what was asked for, unsaid (RFC 6749 §5.1). */
  readonly scopes?: readonly string[];
}

export interface InMemoryIssuer {
  readonly authorizationEndpoint: string;
  /** Serves discovery, the JWK Set and UserInfo; any other URL is a 404. */
  readonly fetch: typeof fetch;
  /** The latest expiry of any token issued so far, in ms since the epoch (0 before the first). */
  readonly latestExpiry: number;
  /** Whether `url` is the authorization endpoint (its query aside). */
  isAuthorizationRequest(url: string): boolean;
  /** Whether `url` is on the provider's origin. */
  isOwnUrl(url: string): boolean;
  /** The successful response to `request` for `grant`, and the tokens in it. */
  respond(request: URLSearchParams, grant: Grant): Promise<{ response: URLSearchParams; tokens: InMemoryTokens }>;
  /** An error response to `request` (RFC 6749 §4.2.2.1, OIDC Core §3.1.2.6). */
  refuse(request: URLSearchParams, error: ProviderErrorCode, description?: string): URLSearchParams;
}

/** An issued access token: what UserInfo answers for it, until when. */
interface IssuedAccessToken {
  readonly claims: InMemoryUser;
  readonly expiresAt: number;
}

/** Claims the provider sets itself: a user's claims never override them. */
const PROTOCOL_CLAIMS = ['iss', 'aud', 'azp', 'exp', 'iat', 'nbf', 'nonce', 'at_hash', 'c_hash', 'auth_time'];

export function createInMemoryIssuer(options: InMemoryIssuerOptions): InMemoryIssuer {
  const { issuer, endpoints, algorithm: alg, clock } = options;
  const base = issuer.replace(/\/$/, '');
  const origin = new URL(base).origin;
  const discoveryUrl = `${base}/.well-known/openid-configuration`;
  const authorizationEndpoint = endpoints.authorization ?? `${base}/authorize`;
  const jwksUri = endpoints.jwks ?? `${base}/jwks`;
  const userinfoEndpoint = endpoints.userinfo ?? `${base}/userinfo`;
  const endSessionEndpoint = endpoints.endSession ?? `${base}/logout`;
  const kid = `${alg.toLowerCase()}-in-memory`;
  // For this provider alone, begun at once: RSA key generation takes tens to hundreds of milliseconds, and the
  // app's discovery request (the issuer's first use) comes a moment before its JWK Set request or a signature.
  const keys: Promise<{ privateKey: CryptoKey; publicJwk: JWK }> = generateKeyPair(alg, { extractable: true }).then(
    async ({ privateKey, publicKey }) => ({
      privateKey,
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
    }),
  );
  const signingKey = () => keys;
  const accessTokens = new Map<string, IssuedAccessToken>();
  let latestExpiry = 0;

  /** OIDC Discovery §3: only what this provider does. */
  const metadata = () => ({
    issuer,
    authorization_endpoint: authorizationEndpoint,
    jwks_uri: jwksUri,
    userinfo_endpoint: userinfoEndpoint,
    end_session_endpoint: endSessionEndpoint,
    response_types_supported: ['id_token token', 'id_token', 'token'],
    response_modes_supported: ['fragment', 'web_message'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [alg],
  });

  /** UserInfo (OIDC Core §5.3): the claims of the user an unexpired access token of ours was issued to. */
  const userinfo = (authorization: string | null): Response => {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    const issued = token === undefined ? undefined : accessTokens.get(token);
    if (!issued || issued.expiresAt <= clock.now()) {
      return new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
    }
    return json(issued.claims);
  };

  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : 'href' in input ? input.href : input.url;
    const headers = new Headers(init?.headers);
    if (url === discoveryUrl) return json(metadata());
    if (url === jwksUri) return json({ keys: [(await signingKey()).publicJwk] });
    if (url === userinfoEndpoint) return userinfo(headers.get('Authorization'));
    return new Response('Not found', { status: 404 });
  };

  return {
    authorizationEndpoint,
    fetch: fetchFn as typeof fetch,
    get latestExpiry() {
      return latestExpiry;
    },
    isAuthorizationRequest: (url) => url.split(/[?#]/)[0] === authorizationEndpoint,
    isOwnUrl: (url) => url.startsWith(`${origin}/`),

    /**
     * The implicit grant's answer (OIDC Core §3.2.2.5): what `response_type` asks for, bound to the request's
     * `state` and `nonce`; an access token comes with `token_type`, `expires_in` and the ID token's `at_hash`.
     * @see https://openid.net/specs/openid-connect-core-1_0.html#ImplicitAuthResponse
     */
    async respond(request, grant) {
      const types = (request.get('response_type') ?? '').split(' ');
      const now = clock.now();
      const expiresAt = now + options.lifetimeSeconds * 1000;
      const response = new URLSearchParams();
      const tokens: { idToken?: string; accessToken?: string } = {};
      if (types.includes('token')) {
        tokens.accessToken = randomToken();
        accessTokens.set(tokens.accessToken, { claims: grant.user, expiresAt });
        response.set('access_token', tokens.accessToken);
        response.set('token_type', 'Bearer');
        response.set('expires_in', String(options.lifetimeSeconds));
      }
      if (types.includes('id_token')) {
        const claims: Record<string, unknown> = { ...grant.user };
        for (const name of PROTOCOL_CLAIMS) delete claims[name];
        const nonce = request.get('nonce');
        const { privateKey } = await signingKey();
        tokens.idToken = await new SignJWT({
          ...claims,
          ...(nonce === null ? {} : { nonce }),
          auth_time: Math.floor(grant.authTime / 1000),
          ...(tokens.accessToken ? { at_hash: await atHash(tokens.accessToken, alg) } : {}),
        })
          .setProtectedHeader({ alg, kid, typ: 'JWT' })
          .setIssuer(issuer)
          .setAudience(request.get('client_id') ?? '')
          .setIssuedAt(Math.floor(now / 1000))
          .setExpirationTime(Math.floor(expiresAt / 1000))
          .sign(privateKey);
        response.set('id_token', tokens.idToken);
      }
      if (grant.scopes) response.set('scope', grant.scopes.join(' '));
      response.set('state', request.get('state') ?? '');
      latestExpiry = Math.max(latestExpiry, expiresAt);
      return { response, tokens };
    },

    refuse(request, error, description) {
      const response = new URLSearchParams({ error });
      if (description !== undefined) response.set('error_description', description);
      response.set('state', request.get('state') ?? '');
      return response;
    },
  };
}

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
}

/** An opaque access token: 256 random bits. */
function randomToken(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * `at_hash`: base64url of the left half of the hash (the one of the ID token's `alg`; SHA-512 for EdDSA) of the
 * access token's ASCII octets. Written here from the specification rather than taken from the library, so that the
 * library's own check meets an independent implementation, as with any real provider.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ImplicitIDToken (§3.2.2.10)
 */
async function atHash(accessToken: string, alg: IdTokenSigningAlgorithm): Promise<string> {
  const bits = alg === 'EdDSA' ? '512' : alg.slice(-3);
  const digest = new Uint8Array(await crypto.subtle.digest(`SHA-${bits}`, new TextEncoder().encode(accessToken)));
  return base64url.encode(digest.subarray(0, digest.length / 2));
}
