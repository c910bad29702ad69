import { ImplicitAuthError } from './errors';
import { DEFAULT_NETWORK_TIMEOUT_MS } from './protocol/deadline';
import { RESERVED_AUTHORIZE_PARAMETERS } from './protocol/reserved-parameters';

/** The `response_type` values of the implicit flow (OIDC Core §3.2.2.1, RFC 6749 §4.2.1). */
export type ImplicitResponseType = 'id_token token' | 'id_token' | 'token';

/** Asymmetric JWS algorithms an ID token may be signed with. `none` and HS* are never accepted. */
export type IdTokenSigningAlgorithm =
  'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

export const ID_TOKEN_SIGNING_ALGORITHMS: readonly IdTokenSigningAlgorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** Where tokens are kept between page loads. */
export type TokenStorageKind = 'memory' | 'session';

/** A custom place for tokens (e.g. an encrypted store). Values are opaque JSON strings. */
export interface TokenStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** Endpoints for providers without discovery, or to override what discovery says. */
export interface ImplicitAuthEndpoints {
  readonly authorization?: string;
  readonly jwks?: string;
  readonly endSession?: string;
  readonly userinfo?: string;
}

/** How `logout()` ends the session at the provider. */
export interface LogoutConfig {
  /**
   * `'oidc'` (default): RP-initiated logout at the provider's `end_session_endpoint` with `id_token_hint`,
   * `client_id` and `post_logout_redirect_uri`. `'auth0'`: Auth0's `/v2/logout` with `client_id` and
   * `returnTo`. `'local'`: forget the tokens in the app only.
   */
  readonly style?: 'oidc' | 'auth0' | 'local';
  /** Where the provider sends the user after logout. Default: the app's origin + `/`. */
  readonly postLogoutRedirectUri?: string;
}

/** One API that may receive access tokens. Nothing else ever does. */
export interface ApiConfig {
  /** Absolute base URL: scheme, host, optional port, optional path prefix (matched at `/` boundaries). */
  readonly url: string;
  /** The audience to request tokens for; default: the top-level `audience`. */
  readonly audience?: string;
  /** The scope to request for this audience; default: the top-level `scope`. */
  readonly scope?: string;
  /** HTTP methods that get a token (upper case); default: all. */
  readonly methods?: readonly string[];
  /**
   * Whether a request goes out without a token when none can be had (signed out, renewal refused), for APIs
   * with public endpoints; the API then answers for itself. Default false: such a request is not sent and fails
   * with a 401 `HttpErrorResponse` carrying the `ImplicitAuthError`.
   */
  readonly allowAnonymous?: boolean;
}

/** Silent renewal in a hidden iframe with `prompt=none`. */
export interface SilentRenewConfig {
  /** The page the iframe loads; it must post its fragment to the parent. Default: origin + `/silent-callback.html`. */
  readonly redirectUri?: string;
  /** How long to wait for the provider before a `timeout` error, in ms. Default 10000. */
  readonly timeoutMs?: number;
  /** How long before expiry to renew, in seconds. Default 60. */
  readonly marginSeconds?: number;
  /** Whether to renew before expiry on a timer. Default true. */
  readonly automatic?: boolean;
  /** Whether to try a silent sign-in on start-up when no tokens are kept (session restore). Default true. */
  readonly restoreSession?: boolean;
  /** Whether to ask for `response_mode=web_message` (Auth0 supports it). Default false. */
  readonly webMessage?: boolean;
  /**
   * What to do when the browser blocks the provider's cookie in the iframe (`third_party_cookies_blocked`):
   * `'sign-out'` (default) ends the session cleanly, and the next guarded route or `login()` signs in
   * interactively; `'redirect'` starts that interactive sign-in at once (top level, the provider's cookie is
   * first-party, so an alive provider session usually signs the user straight back in). Never a loop: nothing
   * retries silently.
   */
  readonly onCookiesBlocked?: 'sign-out' | 'redirect';
  /**
   * Where the ID token sent as `id_token_hint` is kept. `'memory'` (default): with the session, so with
   * `storage: 'memory'` a reload's restore goes without a hint. `'session'`: the ID token (never an access token)
   * is also kept in sessionStorage, for providers that refuse `prompt=none` without `id_token_hint`
   * (`invalid_request`). The trade-off: a script able to read sessionStorage can read the ID token, which proves
   * who the user is to this app but grants no API access.
   */
  readonly idTokenHint?: 'memory' | 'session';
}

/**
 * Everything the library needs to know. Only `issuer` and `clientId` are required.
 */
export interface ImplicitAuthConfig {
  /** The provider's issuer identifier, exactly as in its discovery document and its ID tokens' `iss`. */
  readonly issuer: string;
  /** The client id registered at the provider. */
  readonly clientId: string;
  /** Where the provider sends the callback. Default: the app's origin + `/`. */
  readonly redirectUri?: string;
  /** Default `'id_token token'`. */
  readonly responseType?: ImplicitResponseType;
  /**
   * Default `'openid profile email'` with an ID token (`openid` is always added then); with response type `'token'`,
   * none: a pure OAuth 2.0 request without `scope`, for the provider's default (RFC 6749 §3.3). A `'token'` request
   * whose scope names `openid` also carries a `nonce`.
   */
  readonly scope?: string;
  /** The API identifier to request an access token for (Auth0's `audience`). */
  readonly audience?: string;
  /** Tolerance for clock differences when checking `exp`/`iat`, in seconds. Default 60, at most 300. */
  readonly clockSkewSeconds?: number;
  /**
   * OIDC `max_age`, in seconds, sent with every request (renewals included): the provider re-authenticates a user
   * who signed in longer ago, and the ID token's `auth_time` must show it. Default: not sent. Needs an ID token.
   */
  readonly maxAgeSeconds?: number;
  /** Where tokens live. Default `'memory'` (lost on reload; restored silently). */
  readonly storage?: TokenStorageKind | TokenStore;
  /** Accepted ID token signature algorithms. Default `['RS256']`. */
  readonly algorithms?: readonly IdTokenSigningAlgorithm[];
  /** Explicit endpoints. With `authorization` and `jwks` set (or `token` response type), discovery is skipped. */
  readonly endpoints?: ImplicitAuthEndpoints;
  readonly logout?: LogoutConfig;
  /**
   * Extra parameters added to every authorize request (e.g. `{ connection: 'github' }`). The library's own
   * (`RESERVED_AUTHORIZE_PARAMETERS`: `response_type`, `scope`, `state`, `nonce`, `audience`, `prompt`, `max_age`, …)
   * are refused.
   */
  readonly authorizeParams?: Readonly<Record<string, string>>;
  /** Whether to load UserInfo after sign-in and merge it into `claims`. Default false. */
  readonly loadUserInfo?: boolean;
  /** How long a pending sign-in may wait for its callback, in seconds. Default 600. */
  readonly transactionTtlSeconds?: number;
  /**
   * How long each wait on the network may take before a `network_timeout`, in ms: discovery, the JWK Set,
   * UserInfo and the library's on-demand code. Default 10000, at most 120000.
   */
  readonly networkTimeoutMs?: number;
  /** The APIs that receive access tokens. Default: none (no request gets a token). */
  readonly apis?: readonly ApiConfig[];
  /** Silent renewal; `false` turns it off. */
  readonly silentRenew?: SilentRenewConfig | false;
}

/** The config with every default filled in and every field checked. */
export interface ResolvedImplicitAuthConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly responseType: ImplicitResponseType;
  readonly scope: string;
  readonly audience?: string;
  readonly clockSkewSeconds: number;
  readonly maxAgeSeconds?: number;
  readonly storage: TokenStorageKind | TokenStore;
  readonly algorithms: readonly IdTokenSigningAlgorithm[];
  readonly endpoints: ImplicitAuthEndpoints;
  readonly logout: Required<LogoutConfig>;
  readonly authorizeParams: Readonly<Record<string, string>>;
  readonly loadUserInfo: boolean;
  readonly transactionTtlSeconds: number;
  readonly networkTimeoutMs: number;
  readonly apis: readonly ApiConfig[];
  readonly silentRenew: Required<SilentRenewConfig> | false;
}

const MAX_CLOCK_SKEW_SECONDS = 300;
/** A provider that takes longer than two minutes to answer is down, as far as a waiting user can tell. */
const MAX_NETWORK_TIMEOUT_MS = 120_000;

function fail(field: string, problem: string): never {
  throw new ImplicitAuthError('invalid_config', `ngx-implicit-auth: config.${field} ${problem}`);
}

/** The scope requested when the config names none: OpenID's usual set with an ID token, nothing for `token`. */
function defaultScope(responseType: ImplicitResponseType): string {
  // RFC 6749 §3.3: a pure OAuth 2.0 request may leave `scope` out; `openid` there would make it an OpenID one.
  return responseType === 'token' ? '' : 'openid profile email';
}

/**
 * A scope normalised for a request: single spaces, with `openid` added for response types with an ID token
 * (OIDC Core §3.2.2.1: without it the request is not an OpenID Connect request).
 */
export function scopeFor(responseType: ImplicitResponseType, scope: string): string {
  const normalised = scope.trim().replace(/\s+/g, ' ');
  return responseType === 'token' || normalised.split(' ').includes('openid')
    ? normalised
    : `openid ${normalised}`.trim();
}

/**
 * `value` resolved against `origin` by the browser's URL parser, if it lands on that origin (`//evil`,
 * `/\\evil`, `javascript:` and other origins do not); else `null`.
 */
export function sameOriginHref(value: string, origin: string): string | null {
  try {
    const url = new URL(value, origin);
    return url.origin === origin ? url.href : null;
  } catch {
    // Not a URL at all: treated like one on another origin.
    return null;
  }
}

/** Whether `hostname` is a loopback host, where plain http is acceptable for development. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** An absolute https URL (http only on loopback hosts, for development), without credentials. */
function checkUrl(field: string, value: unknown): URL {
  let url: URL | undefined;
  try {
    url = new URL(value as string);
  } catch {
    // A relative or malformed URL is a config mistake: named below instead of leaking the TypeError.
  }
  if (!url || typeof value !== 'string') fail(field, 'must be an absolute URL');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    fail(field, 'must be https (http only on loopback)');
  }
  if (url.username || url.password) fail(field, 'must hold no credentials');
  return url;
}

function checkPositive(field: string, value: unknown, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    fail(field, `must be a number between 0 and ${max}`);
  }
  return value;
}

/**
 * Fills in defaults and checks every field, so a contradictory or incomplete config fails at start-up
 * with a message naming the field instead of failing later in the middle of a sign-in.
 *
 * @param origin The app's origin (e.g. `https://app.example`), for the defaults that depend on it.
 * @throws {ImplicitAuthError} `invalid_config`
 */
export function resolveConfig(config: ImplicitAuthConfig, origin: string): ResolvedImplicitAuthConfig {
  if (config === null || typeof config !== 'object') fail('', 'must be an object');
  const issuerUrl = checkUrl('issuer', config.issuer);
  if (issuerUrl.search || issuerUrl.hash) fail('issuer', 'must have no query or fragment');
  if (typeof config.clientId !== 'string' || config.clientId.trim() === '') fail('clientId', 'is required');

  const redirectUri = config.redirectUri ?? `${origin}/`;
  const redirect = checkUrl('redirectUri', redirectUri);
  if (redirect.hash) fail('redirectUri', 'must have no fragment');

  const responseType = config.responseType ?? 'id_token token';
  if (!['id_token token', 'id_token', 'token'].includes(responseType)) {
    fail('responseType', "must be 'id_token token', 'id_token' or 'token'");
  }

  const scope = scopeFor(responseType, config.scope ?? defaultScope(responseType));

  if (config.audience !== undefined && (typeof config.audience !== 'string' || config.audience === '')) {
    fail('audience', 'must be a non-empty string');
  }

  const maxAgeSeconds = config.maxAgeSeconds;
  if (maxAgeSeconds !== undefined) {
    if (!Number.isSafeInteger(maxAgeSeconds) || maxAgeSeconds < 0) {
      fail('maxAgeSeconds', 'must be whole seconds, 0 or more');
    }
    // OIDC Core §3.1.2.1: only the ID token's `auth_time` shows the provider honoured it.
    if (responseType === 'token') fail('maxAgeSeconds', "needs an ID token: not with responseType 'token'");
  }

  const algorithms = config.algorithms ?? ['RS256'];
  if (!Array.isArray(algorithms) || algorithms.length === 0) fail('algorithms', 'must list at least one algorithm');
  for (const alg of algorithms) {
    if (!ID_TOKEN_SIGNING_ALGORITHMS.includes(alg)) {
      fail('algorithms', `has '${String(alg)}': only asymmetric ones are accepted`);
    }
  }

  const storage = config.storage ?? 'memory';
  if (
    storage !== 'memory' &&
    storage !== 'session' &&
    !(typeof storage === 'object' && storage !== null && typeof storage.get === 'function')
  ) {
    fail('storage', "must be 'memory', 'session' or a TokenStore");
  }

  const endpoints = config.endpoints ?? {};
  for (const key of ['authorization', 'jwks', 'endSession', 'userinfo'] as const) {
    if (endpoints[key] !== undefined) checkUrl(`endpoints.${key}`, endpoints[key]);
  }

  const logoutStyle = config.logout?.style ?? 'oidc';
  if (!['oidc', 'auth0', 'local'].includes(logoutStyle)) fail('logout.style', "must be 'oidc', 'auth0' or 'local'");
  const postLogoutRedirectUri = config.logout?.postLogoutRedirectUri ?? `${origin}/`;
  checkUrl('logout.postLogoutRedirectUri', postLogoutRedirectUri);

  const authorizeParams = config.authorizeParams ?? {};
  for (const [name, value] of Object.entries(authorizeParams)) {
    if (RESERVED_AUTHORIZE_PARAMETERS.includes(name)) fail(`authorizeParams.${name}`, 'is reserved');
    if (typeof value !== 'string') fail(`authorizeParams.${name}`, 'must be a string');
  }

  const apis = config.apis ?? [];
  if (!Array.isArray(apis)) fail('apis', 'must be an array');
  apis.forEach((api, i) => {
    const url = checkUrl(`apis[${i}].url`, api?.url);
    if (url.search || url.hash) fail(`apis[${i}].url`, 'must have no query or fragment');
  });
  if (apis.length && responseType === 'id_token') {
    fail('apis', "needs an access token: not with responseType 'id_token'");
  }

  const renew = config.silentRenew;
  let silentRenew: Required<SilentRenewConfig> | false = false;
  if (renew !== false) {
    const silentRedirectUri = renew?.redirectUri ?? `${origin}/silent-callback.html`;
    const silent = checkUrl('silentRenew.redirectUri', silentRedirectUri);
    if (silent.origin !== origin) fail('silentRenew.redirectUri', `must be on the app's origin (${origin})`);
    silentRenew = {
      redirectUri: silentRedirectUri,
      timeoutMs: checkPositive('silentRenew.timeoutMs', renew?.timeoutMs, 10_000, 600_000),
      marginSeconds: checkPositive('silentRenew.marginSeconds', renew?.marginSeconds, 60),
      automatic: renew?.automatic ?? true,
      restoreSession: renew?.restoreSession ?? true,
      webMessage: renew?.webMessage ?? false,
      onCookiesBlocked: renew?.onCookiesBlocked === 'redirect' ? 'redirect' : 'sign-out',
      idTokenHint: renew?.idTokenHint ?? 'memory',
    };
    if (silentRenew.idTokenHint !== 'memory' && silentRenew.idTokenHint !== 'session') {
      fail('silentRenew.idTokenHint', "must be 'memory' or 'session'");
    }
  }

  return {
    issuer: config.issuer,
    clientId: config.clientId,
    redirectUri,
    responseType,
    scope,
    audience: config.audience,
    clockSkewSeconds: checkPositive('clockSkewSeconds', config.clockSkewSeconds, 60, MAX_CLOCK_SKEW_SECONDS),
    maxAgeSeconds,
    storage,
    algorithms,
    endpoints,
    logout: { style: logoutStyle, postLogoutRedirectUri },
    authorizeParams,
    loadUserInfo: config.loadUserInfo ?? false,
    transactionTtlSeconds: checkPositive('transactionTtlSeconds', config.transactionTtlSeconds, 600, 3600),
    networkTimeoutMs: checkPositive(
      'networkTimeoutMs',
      config.networkTimeoutMs,
      DEFAULT_NETWORK_TIMEOUT_MS,
      MAX_NETWORK_TIMEOUT_MS,
    ),
    apis,
    silentRenew,
  };
}
