/**
 * Authorize parameters the library sets itself or whose value its checks depend on. An extra parameter
 * (`config.authorizeParams`, `login({ authorizeParams })`) may never name one, and a query already on the
 * provider's `authorization_endpoint` loses them. The one list: config and the request builder both use it.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest (§3.1.2.1)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1 (parameters MUST NOT be included more than once)
 */
export const RESERVED_AUTHORIZE_PARAMETERS: readonly string[] = [
  // The response must come back as the flow expects, to the registered place, for this client.
  'response_type',
  'client_id',
  'redirect_uri',
  'response_mode',
  // What the response is checked against: the scopes granted, and the per-request CSRF and replay bindings.
  'scope',
  'state',
  'nonce',
  // The audience names where the token is kept and sent: another one would put a token for API B under API A.
  'audience',
  // A request object carries its own, unchecked copies of every parameter above (OIDC Core §6).
  'request',
  'request_uri',
  // `prompt=none` is what keeps a renewal silent, and `id_token_hint` is the session's own ID token; interactive
  // sign-ins choose a prompt with `login({ prompt })`.
  'prompt',
  'id_token_hint',
  // With `maxAgeSeconds` (or `login({ maxAge })`) the ID token's `auth_time` is checked against it; a `max_age`
  // slipped in as an extra would reach the provider while the response is checked against another value, or none.
  'max_age',
];

/**
 * Logout parameters the library sets itself (RP-Initiated Logout, and Auth0's `/v2/logout`): an extra parameter
 * (`logout({ params })`) may never name one.
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout (§2)
 */
export const RESERVED_LOGOUT_PARAMETERS: readonly string[] = [
  'id_token_hint',
  'client_id',
  'post_logout_redirect_uri',
  'state',
  'returnTo',
];
