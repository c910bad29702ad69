import { isInteractionRequired, type ImplicitAuthError, type ImplicitAuthErrorCode } from './errors';

/** What to check first, per failure: the one line a developer reads in the console. Dev mode only. */
const WHAT_TO_CHECK: Partial<Record<ImplicitAuthErrorCode, string>> = {
  invalid_config: 'the config field named in the message.',
  discovery_failed: "the issuer: its /.well-known/openid-configuration must answer, with this exact 'issuer'.",
  jwks_failed: "the provider's jwks_uri (and CORS on it).",
  network_timeout: 'that the provider is up and reachable from this page, or networkTimeoutMs.',
  network_error: 'that the provider is reachable from this page (offline? CORS on discovery and JWKS?).',
  state_mismatch: 'that the callback comes from a sign-in this tab started (not a bookmarked or reused callback URL).',
  transaction_expired: 'transactionTtlSeconds: the sign-in took longer than it allows.',
  provider_error: "the provider's error_description above: an unregistered redirect URI, client, audience or scope.",
  response_issuer_mismatch: "the issuer: the response's iss must equal it exactly.",
  invalid_issuer: "the issuer: it must equal the ID token's iss exactly (a trailing slash matters).",
  invalid_audience: 'clientId (and trustedAudiences if the ID token names other audiences).',
  unsupported_algorithm: "algorithms: it must list the provider's ID token signing algorithm.",
  unknown_key: "the provider's JWKS: it has no usable key for the ID token's kid and alg.",
  invalid_signature: "the provider's JWKS and algorithms.",
  token_expired: "the device's clock, or clockSkewSeconds.",
  invalid_iat: "the device's clock, or clockSkewSeconds.",
  nonce_mismatch: 'that the callback answers this tab’s own sign-in (not a replayed one).',
  timeout: 'that silentRenew.redirectUri serves silent-callback.html, and is registered at the provider.',
  silent_callback_missing:
    "that silentRenew.redirectUri serves ngx-implicit-auth's silent-callback.html: add it to the build's assets (README, quick start step 3).",
  third_party_cookies_blocked:
    'the browser blocks the provider’s cookie in the iframe: see "third-party cookies" in the README.',
  storage_failed: 'that sessionStorage is available and not full.',
};

/**
 * `login_required` & co. (`prompt=none` answered "the user must interact") describe the user, not the setup: no
 * session at the provider (signed out there, expired), or consent to give.
 */
const INTERACTION_HINT =
  'Nothing to fix in the config: the provider needs the user (no session there, or consent); login() signs in.';

/**
 * One console line for a refused sign-in or renewal, in dev mode only: the code, the provider's `error` and
 * `error_description`, and what to check. Never a token: messages and descriptions carry none.
 */
export function reportInDevMode(error: ImplicitAuthError): void {
  if (typeof ngDevMode === 'undefined' || ngDevMode) {
    const provider = error.error
      ? ` (provider: ${error.error}${error.errorDescription ? ` — ${error.errorDescription}` : ''})`
      : '';
    const check = WHAT_TO_CHECK[error.code];
    const hint = isInteractionRequired(error) ? ` ${INTERACTION_HINT}` : check ? ` Check ${check}` : '';
    console.warn(`ngx-implicit-auth: ${error.code}${provider}: ${error.message}.${hint}`);
  }
}
