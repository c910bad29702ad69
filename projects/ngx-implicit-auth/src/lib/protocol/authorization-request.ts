import { ImplicitAuthError } from '../errors';
import { parseHttpsUrl } from './parse-https-url';
import { RESERVED_AUTHORIZE_PARAMETERS } from './reserved-parameters';
import { type ImplicitResponseType, needsNonce } from './response-type';

/** Everything an authorization request carries. */
export interface AuthorizationRequest {
  readonly authorizationEndpoint: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly responseType: ImplicitResponseType;
  /** Space-separated scopes; empty leaves `scope` out, for the provider's default (RFC 6749 §3.3). */
  readonly scope: string;
  /** Fresh per request (see `generateRandomToken`); binds the response to this browser (RFC 6749 §10.12). */
  readonly state: string;
  /** Fresh per request; required when {@link needsNonce} says so. */
  readonly nonce?: string;
  /** The API to get an access token for (Auth0's `audience`). */
  readonly audience?: string;
  readonly prompt?: string;
  /**
   * OIDC `max_age` in seconds: the provider re-authenticates a user who signed in longer ago; the ID token then
   * carries `auth_time`, which the response check requires.
   */
  readonly maxAge?: number;
  readonly responseMode?: 'fragment' | 'web_message';
  readonly idTokenHint?: string;
  /** Further parameters (e.g. `login_hint`); none may name a reserved one (`RESERVED_AUTHORIZE_PARAMETERS`). */
  readonly extraParams?: Readonly<Record<string, string>>;
}

/**
 * Builds the URL that starts an implicit-flow sign-in. Query parameters already on the endpoint are kept (RFC 6749
 * §3.1), values are form-urlencoded, and `extraParams` can neither replace a parameter set here nor a reserved one.
 *
 * @throws {ImplicitAuthError} `invalid_config` for a non-https endpoint, a missing `state`, a missing `nonce` with
 *   an ID token, a `maxAge` that is not a whole number of seconds or comes without an ID token, or an extra
 *   parameter naming a reserved one.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ImplicitAuthRequest (§3.2.2.1)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.1
 */
export function buildAuthorizationUrl(request: AuthorizationRequest): string {
  const url = parseHttpsUrl(request.authorizationEndpoint, 'invalid_config', 'authorization endpoint');
  const fail = (problem: string) => new ImplicitAuthError('invalid_config', problem && `authorize request: ${problem}`);
  // RFC 6749 §10.12: without state the callback cannot be tied to this request (CSRF).
  if (!request.state) throw fail(typeof ngDevMode === 'undefined' || ngDevMode ? 'state required' : '');
  // OIDC Core §3.2.2.1: nonce is REQUIRED with an ID token; it binds the token to this request (replay).
  if (needsNonce(request.responseType, request.scope) && !request.nonce)
    throw fail(typeof ngDevMode === 'undefined' || ngDevMode ? 'nonce required' : '');
  // OIDC Core §3.1.2.1: `max_age` is a non-negative number of seconds, answered by the ID token's `auth_time`; with
  // no ID token nothing could check that the provider honoured it.
  if (request.maxAge !== undefined) {
    if (!Number.isSafeInteger(request.maxAge) || request.maxAge < 0)
      throw fail(typeof ngDevMode === 'undefined' || ngDevMode ? 'max_age must be whole seconds' : '');
    if (request.responseType === 'token')
      throw fail(typeof ngDevMode === 'undefined' || ngDevMode ? 'max_age needs an ID token' : '');
  }
  const params = url.searchParams;
  // The endpoint's own query may not pre-set a reserved parameter either (e.g. a stray response_mode=form_post).
  for (const name of RESERVED_AUTHORIZE_PARAMETERS) params.delete(name);
  for (const [name, value] of Object.entries(request.extraParams ?? {})) {
    if (RESERVED_AUTHORIZE_PARAMETERS.includes(name))
      throw fail(typeof ngDevMode === 'undefined' || ngDevMode ? `${name} cannot be overridden` : '');
    params.set(name, value);
  }
  const own: Record<string, string | undefined> = {
    response_type: request.responseType,
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    // RFC 6749 §3.3: without a scope the provider applies its default; an empty `scope=` could be refused.
    scope: request.scope || undefined,
    state: request.state,
    nonce: request.nonce,
    audience: request.audience,
    prompt: request.prompt,
    max_age: request.maxAge?.toString(),
    response_mode: request.responseMode,
    id_token_hint: request.idTokenHint,
  };
  // Set after the extras (and over any endpoint query) so these always win.
  for (const [name, value] of Object.entries(own)) {
    if (value !== undefined) params.set(name, value);
  }
  return url.href;
}
