/*
 * The code loaded at the first exchange with the provider (`loadOnDemand`): the provider client, the sign-in flows,
 * the one completion path with jose's signature check, discovery, the JWKS cache and the authorize and logout URLs.
 * What every page load needs (start-up, the session and its signals, the interceptor's fast path, the guard) stays
 * in the initial bundle; a visitor who never signs in never downloads this. Once loaded it stays for the page's
 * lifetime: later renewals pay nothing. Silent renewal comes with it only with `withSilentRenew()`
 * (`on-demand-renewal.ts`).
 */
import type { FlowContext } from './flows/flow-context';
import { beginSignIn, finishSignIn, providerLogoutUrl } from './flows/interactive-sign-in';
import { ProviderClient } from './flows/provider-client';

// The interceptor's `WWW-Authenticate` parser: read only on a `401` carrying the header (see `auth-interceptor.ts`).
export { isInvalidTokenChallenge } from './http/www-authenticate';

/** The flows the service delegates to, bound to its context (`context`, which renewal shares) once loaded. */
export function createAuthFlows(base: Omit<FlowContext, 'provider'>, fetch: typeof globalThis.fetch) {
  // One provider client for the page: discovery and keys are fetched once, shared by sign-in and renewal.
  const context: FlowContext = { ...base, provider: new ProviderClient(base.config, base.clock, fetch, base.userInfo) };
  return {
    context,
    signIn: (options: Parameters<typeof beginSignIn>[1], epoch: number) => beginSignIn(context, options, epoch),
    finishSignIn: (encoded: string, epoch: number) => finishSignIn(context, encoded, epoch),
    logoutUrl: (idToken: string | undefined, returnTo: string, params?: Readonly<Record<string, string>>) =>
      providerLogoutUrl(context, idToken, returnTo, params),
  };
}

export type AuthFlows = ReturnType<typeof createAuthFlows>;
