import { type ApiConfig, type ResolvedImplicitAuthConfig } from '../config/implicit-auth-config';
import { isSecureUrl } from '../protocol/https-url';
import { fail } from '../config/resolve-config';

/** The configured API a request goes to: whose token it may carry, and the scope to ask for one with. */
export interface ApiMatch {
  readonly audience: string | undefined;
  readonly scope: string;
  /** Whether the request may go out without a token when none can be had. */
  readonly allowAnonymous: boolean;
}

/**
 * Which configured API, if any, a request goes to. `baseUri` resolves relative URLs (pass `document.baseURI`
 * per request: without a `<base>` element it follows the current page). With `audience`, only an entry
 * configured for that audience is returned.
 */
export interface ApiMatcher {
  (url: string, method: string, baseUri: string, audience?: string): ApiMatch | null;
  /** How many URLs the matcher keeps the parse of (at most the `cacheSize` it was created with). */
  readonly cachedUrls: number;
}

/** How many URLs a matcher keeps the parse of by default: well above the URLs an app calls again and again. */
export const DEFAULT_MATCHER_CACHE_SIZE = 256;

/**
 * The longest URL whose parse is kept, in characters. Longer ones (big query strings) are parsed on every
 * request, so a full cache holds at most `cacheSize` × 2 KiB of URLs.
 */
export const MAX_CACHED_URL_LENGTH = 2 * 1024;

interface Entry extends ApiMatch {
  /** The path prefix as the URL parser normalised it, without trailing `/` (`''`: the whole origin). */
  readonly prefix: string;
  /** The same prefix as a decoding server reads it (see {@link decodePath}). */
  readonly decoded: string;
  readonly methods: ReadonlySet<string> | null;
}

/** How many times a path is percent-decoded at most: three levels of encoding, then one pass finding it stable. */
const MAX_DECODE_PASSES = 4;

/** Whether `path` is `prefix` or below it, at a `/` boundary: `/v1` covers `/v1` and `/v1/x`, never `/v1evil`. */
function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * The path as a server that percent-decodes before routing reads it: decoded until stable (in at most
 * {@link MAX_DECODE_PASSES} passes, which see through triple encoding), `\` as `/`, empty segments merged,
 * `.`/`..` resolved, including Tomcat's `..;param`. Without this second reading, `/v1/..%2Fadmin` or
 * `/v1/..;/admin` would pass as `/v1/…` and reach `/admin` on such a server.
 * `null` when the path cannot be decoded (no telling where such a server routes it).
 */
function decodePath(path: string): string | null {
  let decoded = path;
  try {
    for (let previous = '', passes = 0; previous !== decoded; passes++) {
      // Each pass over `%2525…` strips one level: "until stable" would cost one pass per level (a 1 MB path, minutes
      // of main thread). A path nested deeper than triple encoding matches nothing, like a malformed one.
      if (passes === MAX_DECODE_PASSES) return null;
      previous = decoded;
      decoded = decodeURIComponent(decoded);
    }
  } catch {
    // A malformed escape (`%zz`): servers disagree on it, so the path is treated as matching nothing.
    return null;
  }
  const segments: string[] = [];
  for (const segment of decoded.split(/[/\\]/)) {
    const name = segment.replace(/;.*/, '');
    if (name === '..') segments.pop();
    else if (name !== '.' && segment !== '') segments.push(segment);
  }
  return segments.map((segment) => `/${segment}`).join('');
}

const NONE: readonly Entry[] = [];

/**
 * Builds the matcher that decides which requests may carry an access token. Deny by default: no `apis`, no
 * token on any request. A request matches an entry when, after the WHATWG URL parser (the one the browser
 * sends the request with) has normalised it:
 * - it is `http(s)`, without userinfo (`https://user@api…` gets no token: no legitimate call needs it, and it
 *   is the classic way to dress one host up as another);
 * - scheme, host and port equal the entry's exactly (so `api.example.com.evil.example`, `api.example.com.`
 *   with its trailing dot, a homograph that becomes `xn--…`, another port or `http:` never match); plain
 *   `http:` can only match loopback entries, the only ones the config accepts;
 * - its path is the entry's prefix or below it at a `/` boundary, both as parsed and as a decoding server
 *   reads it (see {@link decodePath});
 * - its method is in the entry's `methods`, when set.
 * The longest matching prefix wins; among equal prefixes, the first entry. Entries are indexed by origin, and
 * the parse of the last `cacheSize` URLs is kept (a URL decides the same way on every request), so a repeated
 * URL costs two map lookups however many APIs there are; `cacheSize: 0` parses every request.
 *
 * @throws {ImplicitAuthError} `invalid_config` for an entry that is not a base URL, or that covers the issuer
 *   (the provider's discovery and key endpoints must never receive access tokens).
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-5.2 (bearer tokens restricted to their audience, TLS)
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.9.1 (access token phishing by a counterfeit resource server)
 * @see https://url.spec.whatwg.org/#url-parsing
 */
export function createApiMatcher(
  config: Pick<ResolvedImplicitAuthConfig, 'apis' | 'audience' | 'scope' | 'issuer'>,
  { cacheSize = DEFAULT_MATCHER_CACHE_SIZE }: { readonly cacheSize?: number } = {},
): ApiMatcher {
  const byOrigin = new Map<string, Entry[]>();
  const issuer = new URL(config.issuer);
  config.apis.forEach((api: ApiConfig, i) => {
    const field = `apis[${i}].url`;
    const url = new URL(api.url);
    // Checked by the config already; checked again because this is the last gate before a token leaves.
    if (!isSecureUrl(url) || url.search || url.hash) {
      fail(field, typeof ngDevMode === 'undefined' || ngDevMode ? 'is not an https (or loopback http) base URL' : '');
    }
    const prefix = url.pathname.replace(/\/+$/, '');
    const decoded = decodePath(prefix);
    if (decoded === null)
      fail(field, typeof ngDevMode === 'undefined' || ngDevMode ? 'has a malformed percent-escape' : '');
    if (url.origin === issuer.origin && isUnder(issuer.pathname.replace(/\/+$/, ''), prefix)) {
      fail(
        field,
        typeof ngDevMode === 'undefined' || ngDevMode
          ? "covers the issuer: the provider's discovery and key endpoints would receive access tokens"
          : '',
      );
    }
    const entries = byOrigin.get(url.origin) ?? [];
    entries.push({
      audience: api.audience ?? config.audience,
      scope: api.scope ?? config.scope,
      allowAnonymous: api.allowAnonymous === true,
      prefix,
      decoded,
      methods: api.methods ? new Set(api.methods.map((method) => method.toUpperCase())) : null,
    });
    // Stable sort: the most specific prefix first, config order among equals.
    byOrigin.set(
      url.origin,
      entries.sort((a, b) => b.prefix.length - a.prefix.length),
    );
  });
  if ((typeof ngDevMode === 'undefined' || ngDevMode) && byOrigin.size === 0) {
    console.warn('ngx-implicit-auth: no `apis` configured, so no request gets an access token.');
  }

  /**
   * The entries whose origin and path cover a URL, most specific first: everything the URL alone decides, which
   * is all the parsing. Method and audience are checked per request on top of it (see `match`), so a cached
   * parse serves every method and audience alike and can never hand one request another's decision.
   */
  const entriesCovering = (raw: string, baseUri: string): readonly Entry[] => {
    let url: URL;
    try {
      url = new URL(raw, baseUri);
    } catch {
      // Unparsable: the browser cannot send it either, and nothing unparsable gets a token.
      return NONE;
    }
    // `url.origin` alone would let `blob:https://api.example.com/…` through: only http(s) requests match.
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return NONE;
    const entries = byOrigin.get(url.origin);
    if (!entries) return NONE;
    const path = url.pathname;
    const decoded = /[%;]/.test(path) ? decodePath(path) : path;
    if (decoded === null) return NONE;
    return entries.filter(
      (entry) => isUnder(path, entry.prefix) && (decoded === path || isUnder(decoded, entry.decoded)),
    );
  };

  // The parse of each URL seen, oldest first. A key is the URL as the caller wrote it when it starts with
  // `http://` or `https://`: the URL parser then reads an authority, whatever the base (WHATWG "special
  // authority slashes" / "special relative or authority" states), so the base plays no part. Any other URL is
  // keyed with a leading space (no key of the first kind starts with one) and is valid only for `relativeBase`:
  // a new base URI drops the cache.
  const cache = new Map<string, readonly Entry[]>();
  let relativeBase: string | undefined;
  const cachedEntriesCovering = (raw: string, baseUri: string): readonly Entry[] => {
    if (raw.length > MAX_CACHED_URL_LENGTH || cacheSize <= 0) return entriesCovering(raw, baseUri);
    let key = raw;
    if (!raw.startsWith('https://') && !raw.startsWith('http://')) {
      if (baseUri !== relativeBase) {
        cache.clear();
        relativeBase = baseUri;
      }
      key = ` ${raw}`;
    }
    let entries = cache.get(key);
    if (entries === undefined) {
      entries = entriesCovering(raw, baseUri);
      // First in, first out: an evicted URL is parsed again on its next request, never answered differently.
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
      cache.set(key, entries);
    }
    return entries;
  };

  const match = (raw: string, method: string, baseUri: string, audience?: string): ApiMatch | null => {
    if (byOrigin.size === 0) return null;
    const entries = cachedEntriesCovering(raw, baseUri);
    if (entries.length === 0) return null;
    const upper = method.toUpperCase();
    for (const entry of entries) {
      if ((!entry.methods || entry.methods.has(upper)) && (audience === undefined || entry.audience === audience)) {
        return entry;
      }
    }
    return null;
  };
  return Object.defineProperty(match, 'cachedUrls', { get: () => cache.size }) as ApiMatcher;
}
