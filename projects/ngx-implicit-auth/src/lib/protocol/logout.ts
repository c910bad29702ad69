import { ImplicitAuthError } from '../errors';
import { parseHttpsUrl } from './parse-https-url';
import { RESERVED_LOGOUT_PARAMETERS } from './reserved-parameters';

export interface LogoutUrlOptions {
  /** `oidc`: RP-Initiated Logout at `end_session_endpoint`. `auth0`: Auth0's `{issuer}/v2/logout`. */
  readonly style: 'oidc' | 'auth0';
  /** Required with style `oidc`. */
  readonly endSessionEndpoint?: string;
  readonly issuer: string;
  readonly clientId: string;
  /** The ID token last issued to this client (RECOMMENDED for `oidc`, unused by `auth0`). */
  readonly idTokenHint?: string;
  readonly postLogoutRedirectUri: string;
  /** Returned to `post_logout_redirect_uri` (`oidc` only). */
  readonly state?: string;
  /** Further parameters (e.g. Auth0's `federated`); they never override the ones above. */
  readonly extraParams?: Readonly<Record<string, string>>;
}

/**
 * Builds the URL that ends the session at the provider.
 *
 * - `oidc`: `end_session_endpoint?id_token_hint&client_id&post_logout_redirect_uri[&state]`.
 * - `auth0`: `{issuer}/v2/logout?client_id&returnTo`.
 *
 * @throws {ImplicitAuthError} `invalid_config` when the endpoint is missing or not https, or an extra parameter
 *   names a reserved one.
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout (§2)
 * @see https://auth0.com/docs/api/authentication/logout/auth-0-logout
 */
export function buildLogoutUrl(options: LogoutUrlOptions): string {
  const oidc = options.style === 'oidc';
  if (oidc && !options.endSessionEndpoint)
    throw new ImplicitAuthError(
      'invalid_config',
      typeof ngDevMode === 'undefined' || ngDevMode ? 'logout: no end_session_endpoint' : '',
    );
  const url = parseHttpsUrl(
    oidc ? options.endSessionEndpoint : `${options.issuer.replace(/\/$/, '')}/v2/logout`,
    'invalid_config',
    'logout endpoint',
  );
  const params: Record<string, string | undefined> = oidc
    ? {
        id_token_hint: options.idTokenHint,
        client_id: options.clientId,
        post_logout_redirect_uri: options.postLogoutRedirectUri,
        state: options.state,
      }
    : { client_id: options.clientId, returnTo: options.postLogoutRedirectUri };
  for (const [name, value] of Object.entries(options.extraParams ?? {})) {
    if (RESERVED_LOGOUT_PARAMETERS.includes(name)) {
      throw new ImplicitAuthError(
        'invalid_config',
        typeof ngDevMode === 'undefined' || ngDevMode ? `logout: ${name} cannot be overridden` : '',
      );
    }
    url.searchParams.set(name, value);
  }
  // Set after the extras so these always win.
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url.href;
}
