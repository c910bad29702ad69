import type { Clock } from '../clock';
import { type ResolvedImplicitAuthConfig, type SilentRenewConfig } from '../config/implicit-auth-config';
import { scopeFor } from '../protocol/response-type';
import { ImplicitAuthError } from '../errors';
import { parseAuthorizationResponse, providerError } from '../protocol/authorization-response';
import { needsNonce } from '../protocol/response-type';
import { generateRandomToken } from '../protocol/random';
import type { Expectation, ProviderPort, ValidatedResponse } from '../response-types';
import { requestInHiddenIframe } from './silent-request';

export interface SilentAuthorizeRequest {
  readonly audience: string | undefined;
  readonly scope: string;
  /** The current ID token, sent as `id_token_hint` so the provider renews for the same user. */
  readonly idTokenHint?: string;
}

/**
 * One silent authorization: a hidden iframe asks the provider with `prompt=none`, a fresh `state` and `nonce`,
 * and the response gets the full validation of an interactive sign-in. Stores nothing.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest (§3.1.2.1, `prompt=none`)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError (§3.1.2.6, `login_required` & co.)
 */
export async function authorizeSilently(
  client: ProviderPort,
  config: ResolvedImplicitAuthConfig,
  renew: Required<SilentRenewConfig>,
  request: SilentAuthorizeRequest,
  window: Window,
  clock: Clock,
): Promise<ValidatedResponse> {
  const metadata = await client.metadata();
  const scope = scopeFor(config.responseType, request.scope);
  const expected: Expectation = {
    state: generateRandomToken(),
    nonce: needsNonce(config.responseType, scope) ? generateRandomToken() : undefined,
    responseType: config.responseType,
    scope,
    audience: request.audience,
    // The renewal is its own transaction: its ID token may not predate this request either.
    startedAt: clock.now(),
    // The configured `max_age` holds for renewals too, or a silent request would extend an old authentication.
    maxAgeSeconds: config.maxAgeSeconds,
  };
  const url = await client.authorizeUrl(
    expected,
    {
      prompt: 'none',
      idTokenHint: request.idTokenHint,
      responseMode: renew.webMessage ? 'web_message' : undefined,
      extraParams: config.authorizeParams,
    },
    renew.redirectUri,
  );
  const encoded = await requestInHiddenIframe(url, {
    expectedState: expected.state,
    timeoutMs: renew.timeoutMs,
    window,
    mode: renew.webMessage ? 'web_message' : 'fragment',
    providerOrigin: new URL(metadata.authorization_endpoint).origin,
  });
  const response = parseAuthorizationResponse(encoded);
  // The iframe channel already matched the state; checked again here so this step stands on its own.
  if (response.state !== expected.state) {
    throw new ImplicitAuthError('state_mismatch', 'The renewal response does not match its request');
  }
  if (response.error) {
    throw providerError(response, config.issuer, metadata.authorization_response_iss_parameter_supported === true);
  }
  return client.validate(response, expected);
}
