import type { FlowContext } from '../flows/flow-context';
import type { ValidatedResponse } from '../flows/provider-port';
import type { Session } from './session';
import type { SessionKeeper } from './session-keeper';
import { createTransactionStore } from './transaction-store';

/** What the flows write to `keeper`'s session, built with the on-demand code: the pending sign-ins and `accept`. */
export function sessionWrites(keeper: SessionKeeper): Pick<FlowContext, 'transactions' | 'accept'> {
  return {
    transactions: createTransactionStore(keeper.sessionStorage, keeper.keys.transactionPrefix),
    accept: (...args) => acceptResponse(keeper, ...args),
  };
}

/**
 * Stores validated tokens as `keeper`'s session. `previous` is the session to add them to (a renewal), or `null`
 * to begin a new session at `startedAt` (an interactive sign-in replaces whatever was there); `began` records a
 * new session as the browser's newest. Shares the result with the app's other tabs. Only a provider's response
 * gets here, and it comes through the on-demand code: so does this.
 */
export function acceptResponse(
  keeper: SessionKeeper,
  { tokens, claims, clockOffsetMs }: ValidatedResponse,
  audience: string | undefined,
  previous: Session | null,
  startedAt: number,
  began = previous === null,
): void {
  const { config, state } = keeper;
  // Before `adopt`, which plans the renewal on the learned clock (from the ID token's `exp` without an access token).
  keeper.providerTime.learn(clockOffsetMs);
  const accessTokens = { ...previous?.accessTokens };
  if (tokens.accessToken && tokens.expiresAt) {
    accessTokens[audience ?? ''] = {
      token: tokens.accessToken,
      expiresAt: tokens.expiresAt,
      receivedAt: keeper.clock.now(),
      scopes: tokens.scopes,
    };
    state.emit({ type: 'token_received', audience, expiresAt: tokens.expiresAt });
  }
  const session: Session = {
    issuer: config.issuer,
    clientId: config.clientId,
    startedAt: previous?.startedAt ?? startedAt,
    idToken: tokens.idToken ?? previous?.idToken,
    claims: claims ?? previous?.claims ?? null,
    accessTokens,
  };
  keeper.adopt(session, began);
  const renew = config.silentRenew;
  if (renew && renew.idTokenHint === 'session' && session.idToken) {
    keeper.hints.set(keeper.keys.idTokenHint, session.idToken);
  }
  state.setError(null);
  keeper.tabs.publish({ type: 'tokens_updated', audience, tokens: session });
}
