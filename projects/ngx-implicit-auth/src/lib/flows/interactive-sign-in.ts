import type { LoginOptions } from '../implicit-auth.service';
import { generateRandomToken } from '../protocol/random';
import { needsNonce, scopeFor } from '../protocol/response-type';
import { toSafeReturnUrl } from '../protocol/return-url';
import type { PendingTransaction } from '../session/transaction-store';
import { completeAuthorization } from './complete-authorization';
import type { FlowContext } from './flow-context';

/**
 * Starts an interactive sign-in: a fresh transaction (`state`, `nonce`, what was asked, where to return) is kept
 * for the callback, then the browser leaves for the provider. Nothing leaves when the user signed out since
 * `epoch` was read, or when the transaction cannot be kept.
 *
 * @throws {ImplicitAuthError} `invalid_return_url`, `storage_failed`, `signed_out`, or a provider failure.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ImplicitAuthRequest (§3.2.2.1)
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7 (one-time state and nonce)
 */
export async function beginSignIn(ctx: FlowContext, options: LoginOptions, epoch: number): Promise<void> {
  const { config, keeper } = ctx;
  const { location } = ctx.window;
  const returnUrl = toSafeReturnUrl(
    options.returnUrl ?? location.pathname + location.search + location.hash,
    location.origin,
  );
  const now = ctx.clock.now();
  const scope = options.scope ? scopeFor(config.responseType, options.scope) : config.scope;
  const transaction: PendingTransaction = {
    state: generateRandomToken(),
    nonce: needsNonce(config.responseType, scope) ? generateRandomToken() : undefined,
    returnUrl,
    responseType: config.responseType,
    scope,
    audience: options.audience ?? config.audience,
    startedAt: now,
    maxAgeSeconds: options.maxAge ?? config.maxAgeSeconds,
    expiresAt: now + config.transactionTtlSeconds * 1000,
    appState: options.appState,
  };
  const url = await ctx.provider.authorizeUrl(transaction, {
    prompt: options.prompt,
    extraParams: { ...config.authorizeParams, ...options.authorizeParams },
  });
  // Signed out while the provider was being asked: the user chose that, so no redirect starts.
  keeper.checkEpoch(epoch);
  ctx.transactions.prune(now);
  ctx.transactions.save(transaction);
  keeper.hints.remove(keeper.keys.logoutState);
  keeper.state.emit({ type: 'login_started', returnUrl });
  ctx.redirect(url);
}

/**
 * Finishes an interactive sign-in from the callback's encoded response: the one completion path (see
 * `completeAuthorization`), then, only when every check passed and the user did not sign out since `epoch` was
 * read, a new session. Returns where to land.
 *
 * @throws {ImplicitAuthError} any validation failure (recorded as the last error, with a `validation_failed`
 *   event); the session is then untouched.
 */
export async function finishSignIn(ctx: FlowContext, encoded: string, epoch: number): Promise<string> {
  const { keeper, clock } = ctx;
  try {
    const take = (state: string) => ctx.transactions.take(state);
    const providerClock = keeper.providerTime.clockFor(false);
    const { request, validated } = await completeAuthorization(
      encoded,
      take,
      ctx.provider,
      ctx.config.issuer,
      clock,
      providerClock,
    );
    // `logout()` while the response was being checked: it is dropped, never stored.
    keeper.checkEpoch(epoch);
    ctx.accept(validated, request.audience, null, clock.now());
    const { returnUrl, appState } = request;
    keeper.state.emit({ type: 'signed_in', claims: validated.claims, returnUrl, appState });
    return request.returnUrl;
  } catch (error: unknown) {
    throw keeper.fail(error, true);
  }
}

/**
 * The provider's logout URL, with a fresh `state` (some providers only redirect back when the request carries one),
 * remembered so the return can be recognised (`finishLogoutReturn` in `session/address-bar.ts`).
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout (§2, `state`)
 */
export async function providerLogoutUrl(
  ctx: FlowContext,
  idToken: string | undefined,
  returnTo: string,
  params?: Readonly<Record<string, string>>,
): Promise<string | null> {
  const { keeper } = ctx;
  const state = generateRandomToken();
  const url = await ctx.provider.logoutUrl(idToken, returnTo, state, params);
  if (url && ctx.config.logout.style === 'oidc') keeper.hints.set(keeper.keys.logoutState, state);
  return url;
}
