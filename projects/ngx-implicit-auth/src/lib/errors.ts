/**
 * Every failure the library reports, as one string-literal union so `switch (error.code)` narrows.
 * Grouped by the step that raises it.
 */
export type ImplicitAuthErrorCode =
  // Configuration and provider metadata
  | 'invalid_config'
  /** `withConfigLoader()`'s function failed (its failure is the `cause`); a hung one is `network_timeout`. */
  | 'config_load_failed'
  | 'discovery_failed'
  | 'jwks_failed'
  // Network, for any request to the provider and the on-demand code: the app may retry (the provider's content
  // was never seen, so the step's own code would mislead)
  | 'network_timeout'
  | 'network_error'
  // Authorization response (callback fragment)
  | 'invalid_response'
  | 'duplicate_parameter'
  | 'state_mismatch'
  | 'transaction_expired'
  | 'provider_error'
  | 'response_issuer_mismatch'
  | 'invalid_token_type'
  | 'invalid_expires_in'
  // ID token (OIDC Core §3.2.2.11 / §3.1.3.7)
  | 'invalid_id_token'
  | 'unsupported_algorithm'
  | 'unknown_key'
  | 'invalid_signature'
  | 'invalid_issuer'
  | 'invalid_audience'
  | 'invalid_azp'
  | 'missing_claim'
  | 'token_expired'
  | 'invalid_iat'
  /**
   * The ID token is sound, but its times only fit a clock difference between this device and the provider
   * beyond `clockSkewSeconds`; `clockOffsetSeconds` says how far the device's clock is off.
   */
  | 'clock_skew'
  | 'nonce_mismatch'
  | 'auth_time_too_old'
  | 'at_hash_missing'
  | 'at_hash_mismatch'
  // UserInfo (OIDC Core §5.3)
  | 'userinfo_failed'
  | 'userinfo_sub_mismatch'
  // Application-side requests
  | 'invalid_return_url'
  | 'not_authenticated'
  /**
   * The call needs the browser (the session, a redirect to the provider, a renewal) and was made during server-side
   * rendering, where the session is unknown: the browser's own service answers it after hydration.
   */
  | 'unavailable_on_server'
  // Silent renewal
  | 'timeout'
  /** The silent renewal's redirect landed on a page of the app that is not `silent-callback.html`. */
  | 'silent_callback_missing'
  /** `renew()` or an expired token's renewal was asked for without `withSilentRenew()`. */
  | 'renewal_disabled'
  | 'third_party_cookies_blocked'
  | 'user_switched'
  // Session keeping
  /** The user signed out while the operation was under way; its result was discarded. */
  | 'signed_out'
  /** The browser refused to store the session or a pending sign-in (quota, disabled storage). */
  | 'storage_failed'
  // The library itself
  /** A failure the library did not foresee: a bug to report, with the original failure as `cause`. */
  | 'internal_error';

/**
 * Error codes an authorization server may send back in the `error` parameter
 * (RFC 6749 §4.2.2.1, OIDC Core §3.1.2.6). Other strings are passed through verbatim.
 */
export type ProviderErrorCode =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'interaction_required'
  | 'login_required'
  | 'account_selection_required'
  | 'consent_required'
  | 'invalid_request_uri'
  | 'invalid_request_object'
  | 'request_not_supported'
  | 'request_uri_not_supported'
  | 'registration_not_supported'
  | (string & {});

export interface ImplicitAuthErrorOptions {
  /** The provider's `error` parameter, verbatim, when the failure came from the provider. */
  readonly error?: ProviderErrorCode;
  /** The provider's `error_description`, when it sent one. */
  readonly errorDescription?: string;
  /** The underlying failure (a jose error, a network error, …). */
  readonly cause?: unknown;
  /** With `clock_skew`: how far this device's clock is ahead of the provider's, in seconds (negative: behind). */
  readonly clockOffsetSeconds?: number;
}

/**
 * The one error type the library throws or emits. Never a bare string.
 *
 * In a production build the library passes no message texts (they are dropped, see `lib/README.md`): `message` is
 * then `ngx-implicit-auth: <code>`, with the provider's `error` in parentheses when it sent one; `code`, `error`,
 * `errorDescription`, `clockOffsetSeconds` and `cause` are the same as in development.
 */
export class ImplicitAuthError extends Error {
  override readonly name = 'ImplicitAuthError';
  /** The provider's `error` parameter, verbatim, when the failure came from the provider. */
  readonly error?: ProviderErrorCode;
  /** The provider's `error_description`, when it sent one. */
  readonly errorDescription?: string;
  /**
   * With `clock_skew`: how far this device's clock is ahead of the provider's, in seconds (negative: behind),
   * measured from the refused ID token, so an app can say "your device clock is 12 minutes fast".
   */
  readonly clockOffsetSeconds?: number;

  constructor(
    readonly code: ImplicitAuthErrorCode,
    message: string,
    options: ImplicitAuthErrorOptions = {},
  ) {
    super(
      message || `ngx-implicit-auth: ${code}${options.error ? ` (${options.error})` : ''}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.error = options.error;
    this.errorDescription = options.errorDescription;
    this.clockOffsetSeconds = options.clockOffsetSeconds;
  }
}

/** Whether `value` is an {@link ImplicitAuthError}, optionally with the given code. */
export function isImplicitAuthError(value: unknown, code?: ImplicitAuthErrorCode): value is ImplicitAuthError {
  return value instanceof ImplicitAuthError && (code === undefined || value.code === code);
}

/**
 * Whether only an interactive sign-in can go on: the provider answered a `prompt=none` request with one of the
 * errors that mean "the user must interact" (OIDC Core §3.1.2.6), or the library concluded that the browser
 * blocks the provider's cookies in the renewal iframe (`third_party_cookies_blocked`), where every silent request
 * would fail the same way while a top-level sign-in still works.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError
 */
export function isInteractionRequired(value: unknown): boolean {
  if (isImplicitAuthError(value, 'third_party_cookies_blocked')) return true;
  return (
    isImplicitAuthError(value, 'provider_error') &&
    (value.error === 'login_required' ||
      value.error === 'interaction_required' ||
      value.error === 'consent_required' ||
      value.error === 'account_selection_required')
  );
}
