/** The `response_type` values of the implicit flow (OIDC Core §3.2.2.1, RFC 6749 §4.2.1). */
export type ImplicitResponseType = 'id_token token' | 'id_token' | 'token';

/** The response types this library speaks, the only ones `responseType` may name. */
export const IMPLICIT_RESPONSE_TYPES: readonly ImplicitResponseType[] = ['id_token token', 'id_token', 'token'];

/**
 * The scope requested when the config names none: OpenID's usual set with an ID token; none for `token`, where
 * RFC 6749 §3.3 lets a pure OAuth 2.0 request leave `scope` out (an `openid` would make it an OpenID one).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export function defaultScope(responseType: ImplicitResponseType): string {
  return responseType === 'token' ? '' : 'openid profile email';
}

/**
 * A scope normalised for a request: single spaces, with `openid` added for response types with an ID token
 * (without it the request is not an OpenID Connect request).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ImplicitAuthRequest (§3.2.2.1)
 */
export function scopeFor(responseType: ImplicitResponseType, scope: string): string {
  const normalised = scope.trim().replace(/\s+/g, ' ');
  return responseType === 'token' || normalised.split(' ').includes('openid')
    ? normalised
    : `openid ${normalised}`.trim();
}

/**
 * Whether a request carries a `nonce`. With an ID token it is REQUIRED and checked. With response type `token` and
 * `openid` in the scope, it is an OpenID request some providers refuse without one; it is sent, but checks nothing,
 * since no ID token comes back. A pure OAuth 2.0 `token` request carries none.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ImplicitAuthRequest (§3.2.2.1)
 */
export function needsNonce(responseType: ImplicitResponseType, scope: string): boolean {
  return responseType !== 'token' || scope.split(' ').includes('openid');
}
