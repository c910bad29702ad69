import type { IdTokenSigningAlgorithm } from '../protocol/algorithms';
import type { ImplicitResponseType } from '../protocol/response-type';

export type { IdTokenSigningAlgorithm } from '../protocol/algorithms';
export type { ImplicitResponseType } from '../protocol/response-type';

/** Whose clock ID token times are judged on (see `ImplicitAuthConfig.clock`). */
export type ClockMode = 'device' | 'provider';

/** Where tokens are kept between page loads (`withStorage()`; `'memory'` without it). */
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

/** Silent renewal in a hidden iframe with `prompt=none`: the options of `withSilentRenew()`. */
export interface SilentRenewConfig {
  /** The page the iframe loads; it must post its fragment to the parent. Default: origin + `/silent-callback.html`. */
  readonly redirectUri?: string;
  /** How long to wait for the provider before a `timeout` error, in ms. Default 10000. */
  readonly timeoutMs?: number;
  /**
   * How long before the access token stops being handed out (its expiry less `clockSkewSeconds`; without one, the
   * ID token's `exp`) to renew, in seconds, capped at half the time left. Default 60.
   */
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
  /**
   * Tolerance for clock differences when checking `exp`/`iat`/`nbf`/`auth_time`, and how long before its expiry an
   * access token stops being handed out (automatic renewal is due `silentRenew.marginSeconds` before that), in
   * seconds. Default 300, at most 300. Beyond it, a sound ID token is refused with `clock_skew`, carrying the
   * measured offset in `clockOffsetSeconds`.
   */
  readonly clockSkewSeconds?: number;
  /**
   * Whose clock the ID token's times are judged on. `'device'` (default): this device's, within
   * `clockSkewSeconds`. `'provider'`: the offset between this device and the provider is learned from the first
   * ID token whose signature and nonce check out, and every later comparison is made on the provider's time, so
   * a device clock off by hours still signs in. The trade-off: the first token's freshness then rests on the
   * single-use nonce alone (its `iat` cannot be checked against a clock not yet known); every later token keeps
   * the `iat` lower bound. Needs an ID token.
   */
  readonly clock?: ClockMode;
  /**
   * OIDC `max_age`, in seconds, sent with every request (renewals included): the provider re-authenticates a user
   * who signed in longer ago, and the ID token's `auth_time` must show it. Default: not sent. Needs an ID token.
   */
  readonly maxAgeSeconds?: number;
  /** Accepted ID token signature algorithms. Default `['RS256']`. */
  readonly algorithms?: readonly IdTokenSigningAlgorithm[];
  /**
   * Audiences besides the client id an ID token's `aud` may name (OIDC Core §3.1.3.7 rule 3: a token with an
   * audience the client does not trust MUST be refused). Default none. With several audiences `azp` must name the
   * client. Only list parties you trust with your users' ID tokens.
   */
  readonly trustedAudiences?: readonly string[];
  /** Explicit endpoints. With `authorization` and `jwks` set (or `token` response type), discovery is skipped. */
  readonly endpoints?: ImplicitAuthEndpoints;
  readonly logout?: LogoutConfig;
  /**
   * Extra parameters added to every authorize request (e.g. `{ connection: 'github' }`). The library's own
   * (`RESERVED_AUTHORIZE_PARAMETERS`: `response_type`, `scope`, `state`, `nonce`, `audience`, `prompt`, `max_age`, …)
   * are refused.
   */
  readonly authorizeParams?: Readonly<Record<string, string>>;
  /** How long a pending sign-in may wait for its callback, in seconds. Default 600. */
  readonly transactionTtlSeconds?: number;
  /**
   * How long each wait on the network may take before a `network_timeout`, in ms: discovery, the JWK Set,
   * UserInfo and the library's on-demand code. Default 10000, at most 120000.
   */
  readonly networkTimeoutMs?: number;
  /** The APIs that receive access tokens. Default: none (no request gets a token). */
  readonly apis?: readonly ApiConfig[];
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
  readonly clock: ClockMode;
  readonly maxAgeSeconds?: number;
  /** Where sessions are kept (`withStorage()`); `'memory'` without it. */
  readonly storage: TokenStorageKind | TokenStore;
  readonly algorithms: readonly IdTokenSigningAlgorithm[];
  readonly trustedAudiences: readonly string[];
  readonly endpoints: ImplicitAuthEndpoints;
  readonly logout: Required<LogoutConfig>;
  readonly authorizeParams: Readonly<Record<string, string>>;
  readonly transactionTtlSeconds: number;
  readonly networkTimeoutMs: number;
  readonly apis: readonly ApiConfig[];
  /** Silent renewal's options (`withSilentRenew()`); `false` without it. */
  readonly silentRenew: Required<SilentRenewConfig> | false;
}
