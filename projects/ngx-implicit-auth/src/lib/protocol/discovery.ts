import { ImplicitAuthError } from '../errors';
import { DEFAULT_NETWORK_TIMEOUT_MS } from './deadline';
import { fetchJsonObject } from './fetch-json';
import { parseHttpsUrl } from './parse-https-url';

/** The provider metadata the library uses (OIDC Discovery §3, RFC 8414 §2, RFC 9207 §3). Other members are kept. */
export interface ProviderMetadata {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly jwks_uri?: string;
  readonly end_session_endpoint?: string;
  readonly userinfo_endpoint?: string;
  readonly authorization_response_iss_parameter_supported?: boolean;
  readonly response_types_supported?: readonly string[];
  readonly response_modes_supported?: readonly string[];
  readonly id_token_signing_alg_values_supported?: readonly string[];
}

/** Endpoints the library navigates to or sends tokens to: each must be an https URL when present. */
const ENDPOINTS = ['authorization_endpoint', 'jwks_uri', 'end_session_endpoint', 'userinfo_endpoint'];

/**
 * Fetches `{issuer}/.well-known/openid-configuration` (a trailing `/` of the issuer is removed first, its path kept)
 * and checks that the document's `issuer` equals the configured one exactly, and that its endpoints are https URLs.
 *
 * @param timeoutMs How long to wait for the document. Default 10000.
 * @throws {ImplicitAuthError} `network_timeout` when no answer came in time, `network_error` when none came at all
 *   (with `cause`); `discovery_failed` for HTTP and JSON failures, an issuer mismatch or an unusable endpoint.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationRequest (§4.1)
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation (§4.3)
 */
export async function fetchProviderMetadata(
  issuer: string,
  fetchFn: typeof fetch,
  timeoutMs = DEFAULT_NETWORK_TIMEOUT_MS,
): Promise<ProviderMetadata> {
  const metadata = await fetchJsonObject(
    fetchFn,
    `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
    'discovery_failed',
    { timeoutMs },
  );
  // §4.3: the issuer MUST be identical to the one the document was fetched for, else it may impersonate another.
  if (metadata['issuer'] !== issuer) {
    throw new ImplicitAuthError(
      'discovery_failed',
      typeof ngDevMode === 'undefined' || ngDevMode
        ? `discovery: issuer ${String(metadata['issuer'])}, expected ${issuer}`
        : '',
    );
  }
  // §3: authorization_endpoint is REQUIRED; every endpoint we use must be https (never javascript: or plain http).
  parseHttpsUrl(metadata['authorization_endpoint'], 'discovery_failed', 'authorization_endpoint');
  for (const name of ENDPOINTS) {
    if (metadata[name] !== undefined) parseHttpsUrl(metadata[name], 'discovery_failed', name);
  }
  return metadata as unknown as ProviderMetadata;
}
