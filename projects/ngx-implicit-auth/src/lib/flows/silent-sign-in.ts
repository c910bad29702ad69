import { ImplicitAuthError } from '../errors';
import { generateRandomToken } from '../protocol/random';
import { needsNonce, scopeFor } from '../protocol/response-type';
import { requestInHiddenIframe } from '../renewal/silent-request';
import { completeAuthorization } from './complete-authorization';
import type { FlowContext } from './flow-context';
import type { Expectation, ValidatedResponse } from './provider-port';

export interface SilentSignInRequest {
  readonly audience: string | undefined;
  readonly scope: string;
  /** The current ID token, sent as `id_token_hint` so the provider renews for the same user. */
  readonly idTokenHint?: string;
  /**
   * Whether this renews a session whose tokens already passed here: the clocks agreed then, so an ID token issued
   * before this request is refused as such (`invalid_iat`), not taken for a clock difference.
   */
  readonly renewing?: boolean;
}

/**
 * One silent authorization: a hidden iframe asks the provider with `prompt=none`, a fresh `state` and `nonce`,
 * and the answer takes the same completion path as an interactive sign-in (`completeAuthorization`), bound to
 * this request alone. Stores nothing.
 *
 * @throws {ImplicitAuthError} `renewal_disabled` when silent renewal is off, `timeout`, or any validation failure.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest (§3.1.2.1, `prompt=none`)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError (§3.1.2.6, `login_required` & co.)
 */
export async function signInSilently(ctx: FlowContext, request: SilentSignInRequest): Promise<ValidatedResponse> {
  const { config, provider, clock } = ctx;
  const renew = config.silentRenew;
  if (!renew)
    throw new ImplicitAuthError(
      'renewal_disabled',
      typeof ngDevMode === 'undefined' || ngDevMode ? 'Silent renewal is turned off' : '',
    );
  const metadata = await provider.metadata();
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
  const url = await provider.authorizeUrl(
    expected,
    {
      prompt: 'none',
      idTokenHint: request.idTokenHint,
      responseMode: renew.webMessage ? 'web_message' : undefined,
      extraParams: config.authorizeParams,
    },
    renew.redirectUri,
  );
  const answer = requestInHiddenIframe(url, {
    expectedState: expected.state,
    timeoutMs: renew.timeoutMs,
    window: ctx.window,
    mode: renew.webMessage ? 'web_message' : 'fragment',
    providerOrigin: new URL(metadata.authorization_endpoint).origin,
  });
  // While the iframe is out: the signing key made ready (the key set fetched again if it aged, the key imported),
  // so validating the answer waits for neither.
  void provider.prefetchSigningKey(request.idTokenHint);
  const encoded = await answer;
  // The iframe channel already matched the state; the completion path checks it again, so it stands on its own.
  const take = (state: string) => (state === expected.state ? expected : null);
  const providerClock = ctx.keeper.providerTime.clockFor(request.renewing === true);
  return (await completeAuthorization(encoded, take, provider, config.issuer, clock, providerClock)).validated;
}
