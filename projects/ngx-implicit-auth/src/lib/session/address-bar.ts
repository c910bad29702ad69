import { isAuthorizationResponse, stateOfResponse } from '../protocol/callback-detection';
import type { SessionKeeper } from './session-keeper';

/*
 * What the library does to the address bar at start-up: the callback taken out before anyone reads it, and the
 * `state` of an RP-initiated logout's return recognised and removed.
 */

/**
 * Takes an authorization response out of the address bar, if one is there, so no route, history entry or analytics
 * script sees `#access_token=…`; the page becomes the one the sign-in asked to return to (the guard waits for the
 * response's validation before trusting it). Returns the response, or `null`.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.3 (tokens in the URL)
 */
export function takeCallback(keeper: SessionKeeper): string | null {
  const { hash, pathname, search } = keeper.window.location;
  if (!isAuthorizationResponse(hash)) return null;
  const state = stateOfResponse(hash);
  replaceUrl(
    keeper.window,
    (state === undefined ? null : keeper.transactions.peek(state))?.returnUrl ?? pathname + search,
  );
  return hash;
}

/**
 * Back from RP-initiated logout: the provider passes the `state` sent back in the query. Only that exact value
 * is taken out of the address bar (an app may use a `state` parameter of its own).
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RedirectionAfterLogout (§3)
 */
export function finishLogoutReturn(keeper: SessionKeeper): void {
  const expected = keeper.hints.get(keeper.keys.logoutState);
  if (!expected) return;
  const url = new URL(keeper.window.location.href);
  const states = url.searchParams.getAll('state');
  if (states.length !== 1 || states[0] !== expected) return;
  keeper.hints.remove(keeper.keys.logoutState);
  url.searchParams.delete('state');
  replaceUrl(keeper.window, url.pathname + url.search + url.hash);
}

/** Replaces the address bar's URL without a navigation or a history entry. */
export function replaceUrl(window: Window, url: string): void {
  window.history.replaceState(window.history.state, '', url);
}
