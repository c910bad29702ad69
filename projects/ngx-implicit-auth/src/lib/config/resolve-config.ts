import { ImplicitAuthError } from '../errors';
import { ID_TOKEN_SIGNING_ALGORITHMS } from '../protocol/algorithms';
import { DEFAULT_NETWORK_TIMEOUT_MS } from '../protocol/deadline';
import { isSecureUrl } from '../protocol/https-url';
import { RESERVED_AUTHORIZE_PARAMETERS } from '../protocol/reserved-parameters';
import { defaultScope, IMPLICIT_RESPONSE_TYPES, scopeFor } from '../protocol/response-type';
import type {
  ImplicitAuthConfig,
  ResolvedImplicitAuthConfig,
  SilentRenewConfig,
  TokenStorageKind,
  TokenStore,
} from './implicit-auth-config';

/**
 * The common default of oidc-client-ts and Microsoft's identity libraries, and the most tolerated: a wider
 * window keeps expired tokens longer and retires live ones earlier. A clock off by more is corrected, not
 * tolerated (`clock: 'provider'`).
 */
const DEFAULT_CLOCK_SKEW_SECONDS = 300;
const MAX_CLOCK_SKEW_SECONDS = 300;
/** Config fields of earlier versions that are features now, with the feature that replaces each. */
const MOVED_TO_FEATURES = [
  ['silentRenew', 'withSilentRenew({...})'],
  ['storage', "withStorage('session')"],
  ['loadUserInfo', 'withUserInfo()'],
] as const;
/** A provider that takes longer than two minutes to answer is down, as far as a waiting user can tell. */
const MAX_NETWORK_TIMEOUT_MS = 120_000;

/**
 * @param problem What is wrong, for a developer; `''` in production builds (the callers guard it with `ngDevMode`).
 * @throws {ImplicitAuthError} `invalid_config` naming `field` (a feature's fields too, e.g. `silentRenew.timeoutMs`).
 */
export function fail(field: string, problem: string): never {
  throw new ImplicitAuthError('invalid_config', `ngx-implicit-auth: config.${field} ${problem || 'is invalid'}`);
}

/** An absolute https URL (http only on loopback hosts, for development), without credentials. */
export function checkUrl(field: string, value: unknown): URL {
  let url: URL | undefined;
  try {
    url = new URL(value as string);
  } catch {
    // A relative or malformed URL is a config mistake: named below instead of leaking the TypeError.
  }
  if (!url || typeof value !== 'string')
    fail(field, typeof ngDevMode === 'undefined' || ngDevMode ? 'must be an absolute URL' : '');
  // The one transport rule, from protocol/: https (http only on loopback), no credentials.
  if (!isSecureUrl(url))
    fail(
      field,
      typeof ngDevMode === 'undefined' || ngDevMode
        ? 'must be https (http only on loopback) and hold no credentials'
        : '',
    );
  return url;
}

/** The app's folder (`https://host/app/`): the base URL's directory, or the origin's root for a foreign base. */
export function appBase(origin: string, baseUri: string): string {
  try {
    const folder = new URL('./', baseUri);
    return folder.origin === origin ? folder.href : `${origin}/`;
  } catch {
    // An unparsable base: the origin's root, as before there was a base to read.
    return `${origin}/`;
  }
}

/** `value`, a number from 0 to `max`, or `fallback` when not given. */
export function checkPositive(field: string, value: unknown, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    fail(field, typeof ngDevMode === 'undefined' || ngDevMode ? `must be a number between 0 and ${max}` : '');
  }
  return value;
}

/**
 * Fills in defaults and checks every field, so a contradictory or incomplete config fails at start-up
 * with a message naming the field instead of failing later in the middle of a sign-in.
 *
 * @param origin The app's origin (e.g. `https://app.example`), for the defaults that depend on it.
 * @param baseUri The document's base URL (`document.baseURI`, from `<base href>`): the redirect URIs default to the
 *   app's own folder on it, so an app served under `/app/` needs no settings. A base on another origin is ignored.
 * @throws {ImplicitAuthError} `invalid_config`
 */
export function resolveConfig(
  config: ImplicitAuthConfig,
  origin: string,
  baseUri = `${origin}/`,
): ResolvedImplicitAuthConfig {
  // Developers' texts: production builds fold `dev` to false and drop them.
  const dev = typeof ngDevMode === 'undefined' || ngDevMode;
  const base = appBase(origin, baseUri);
  if (config === null || typeof config !== 'object') fail('', dev ? 'must be an object' : '');
  // Options that became features: named, so an upgrade does not silently lose renewal or storage.
  const moved = MOVED_TO_FEATURES.find(([key]) => key in config);
  if (moved) fail(moved[0], dev ? `is now a feature: provideImplicitAuth(config, ${moved[1]})` : '');
  const issuerUrl = checkUrl('issuer', config.issuer);
  if (issuerUrl.search || issuerUrl.hash) fail('issuer', dev ? 'must have no query or fragment' : '');
  if (typeof config.clientId !== 'string' || config.clientId.trim() === '') fail('clientId', dev ? 'is required' : '');

  const redirectUri = config.redirectUri ?? base;
  const redirect = checkUrl('redirectUri', redirectUri);
  if (redirect.hash) fail('redirectUri', dev ? 'must have no fragment' : '');

  const responseType = config.responseType ?? 'id_token token';
  if (!IMPLICIT_RESPONSE_TYPES.includes(responseType)) {
    fail('responseType', dev ? "must be 'id_token token', 'id_token' or 'token'" : '');
  }

  const scope = scopeFor(responseType, config.scope ?? defaultScope(responseType));

  if (config.audience !== undefined && (typeof config.audience !== 'string' || config.audience === '')) {
    fail('audience', dev ? 'must be a non-empty string' : '');
  }

  const maxAgeSeconds = config.maxAgeSeconds;
  if (maxAgeSeconds !== undefined) {
    if (!Number.isSafeInteger(maxAgeSeconds) || maxAgeSeconds < 0) {
      fail('maxAgeSeconds', dev ? 'must be whole seconds, 0 or more' : '');
    }
    // OIDC Core §3.1.2.1: only the ID token's `auth_time` shows the provider honoured it.
    if (responseType === 'token') fail('maxAgeSeconds', dev ? "needs an ID token: not with responseType 'token'" : '');
  }

  const clock = config.clock ?? 'device';
  if (clock !== 'device' && clock !== 'provider') fail('clock', dev ? "must be 'device' or 'provider'" : '');
  // Only an ID token carries the provider's time; an access token's expiry is a duration, measured here.
  if (clock === 'provider' && responseType === 'token')
    fail('clock', dev ? "'provider' needs an ID token: not with responseType 'token'" : '');

  const algorithms = config.algorithms ?? ['RS256'];
  if (!Array.isArray(algorithms) || algorithms.length === 0)
    fail('algorithms', dev ? 'must list at least one algorithm' : '');
  for (const alg of algorithms) {
    if (!ID_TOKEN_SIGNING_ALGORITHMS.includes(alg)) {
      fail('algorithms', dev ? `has '${String(alg)}': only asymmetric ones are accepted` : '');
    }
  }

  const trustedAudiences = config.trustedAudiences ?? [];
  if (!Array.isArray(trustedAudiences) || !trustedAudiences.every((aud) => typeof aud === 'string' && aud !== '')) {
    fail('trustedAudiences', dev ? 'must be a list of non-empty strings' : '');
  }

  const endpoints = config.endpoints ?? {};
  for (const key of ['authorization', 'jwks', 'endSession', 'userinfo'] as const) {
    if (endpoints[key] !== undefined) checkUrl(`endpoints.${key}`, endpoints[key]);
  }

  const logoutStyle = config.logout?.style ?? 'oidc';
  if (!['oidc', 'auth0', 'local'].includes(logoutStyle))
    fail('logout.style', dev ? "must be 'oidc', 'auth0' or 'local'" : '');
  const postLogoutRedirectUri = config.logout?.postLogoutRedirectUri ?? base;
  checkUrl('logout.postLogoutRedirectUri', postLogoutRedirectUri);

  const authorizeParams = config.authorizeParams ?? {};
  for (const [name, value] of Object.entries(authorizeParams)) {
    if (RESERVED_AUTHORIZE_PARAMETERS.includes(name)) fail(`authorizeParams.${name}`, dev ? 'is reserved' : '');
    if (typeof value !== 'string') fail(`authorizeParams.${name}`, dev ? 'must be a string' : '');
  }

  const apis = config.apis ?? [];
  if (!Array.isArray(apis)) fail('apis', dev ? 'must be an array' : '');
  apis.forEach((api, i) => {
    const url = checkUrl(`apis[${i}].url`, api?.url);
    if (url.search || url.hash) fail(`apis[${i}].url`, dev ? 'must have no query or fragment' : '');
  });
  if (apis.length && responseType === 'id_token') {
    fail('apis', dev ? "needs an access token: not with responseType 'id_token'" : '');
  }

  return {
    issuer: config.issuer,
    clientId: config.clientId,
    redirectUri,
    responseType,
    scope,
    audience: config.audience,
    clockSkewSeconds: checkPositive(
      'clockSkewSeconds',
      config.clockSkewSeconds,
      DEFAULT_CLOCK_SKEW_SECONDS,
      MAX_CLOCK_SKEW_SECONDS,
    ),
    clock,
    maxAgeSeconds,
    storage: 'memory',
    algorithms,
    trustedAudiences,
    endpoints,
    logout: { style: logoutStyle, postLogoutRedirectUri },
    authorizeParams,
    transactionTtlSeconds: checkPositive('transactionTtlSeconds', config.transactionTtlSeconds, 600, 3600),
    networkTimeoutMs: checkPositive(
      'networkTimeoutMs',
      config.networkTimeoutMs,
      DEFAULT_NETWORK_TIMEOUT_MS,
      MAX_NETWORK_TIMEOUT_MS,
    ),
    apis,
    silentRenew: false,
  };
}

/**
 * `resolveConfig`, then the features' own fields: silent renewal's options (`withSilentRenew()`, resolved against the
 * same origin and folder) and where sessions are kept (`withStorage()`; `'memory'` without it).
 */
export function resolveWithParts(
  config: ImplicitAuthConfig,
  origin: string,
  base: string,
  parts: {
    readonly silentRenew?: (origin: string, base: string) => Required<SilentRenewConfig>;
    readonly storage?: { readonly kind: TokenStorageKind | TokenStore };
  },
): ResolvedImplicitAuthConfig {
  return {
    ...resolveConfig(config, origin, base),
    silentRenew: parts.silentRenew?.(origin, base) ?? false,
    storage: parts.storage?.kind ?? 'memory',
  };
}
