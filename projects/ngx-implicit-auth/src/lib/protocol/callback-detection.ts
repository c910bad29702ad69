/**
 * The longest authorization response accepted, in characters: 64 KiB. Real ones carry two JWTs and a few short
 * parameters (a few KiB at most); anything longer is refused unread, so a crafted link cannot make start-up or a
 * renewal spend its time decoding megabytes.
 */
export const MAX_AUTHORIZATION_RESPONSE_LENGTH = 64 * 1024;

/**
 * Whether a fragment looks like an authorization response at all (has `state`, `error`, `access_token` or
 * `id_token`), to decide whether to handle a URL at start-up. Never throws. Reads at most
 * {@link MAX_AUTHORIZATION_RESPONSE_LENGTH} characters: an oversized response naming one of those early on is
 * still one (and `parseAuthorizationResponse` refuses it), and the rest of a long fragment is never read.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.2
 */
export function isAuthorizationResponse(encoded: string): boolean {
  const params = new URLSearchParams(encoded.slice(0, MAX_AUTHORIZATION_RESPONSE_LENGTH).replace(/^#/, ''));
  return ['state', 'error', 'access_token', 'id_token'].some((name) => params.has(name));
}

/**
 * The one `state` of an encoded response (`#…` or `?…`), to find its transaction before validating it; none,
 * several (a smuggling attempt) or an oversized response give `undefined`. Never throws.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.2
 */
export function stateOfResponse(encoded: string): string | undefined {
  if (encoded.length > MAX_AUTHORIZATION_RESPONSE_LENGTH) return undefined;
  const states = new URLSearchParams(encoded.replace(/^[#?]/, '')).getAll('state');
  return states.length === 1 ? states[0] : undefined;
}
