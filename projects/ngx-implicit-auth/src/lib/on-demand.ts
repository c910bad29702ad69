/*
 * The code loaded at the first exchange with the provider (`loadOnDemand`): the provider client, the sign-in flows,
 * the one completion path with jose's signature check, discovery, the JWKS cache and the authorize and logout URLs,
 * the pending sign-ins' store and the step that stores a validated response as the session (`acceptResponse`).
 * What every page load needs (start-up, the session and its signals, the interceptor's fast path, the guard) stays
 * in the initial bundle; a visitor who never signs in never downloads this. Once loaded it stays for the page's
 * lifetime: later renewals pay nothing. Silent renewal comes with it only with `withSilentRenew()`
 * (`on-demand-renewal.ts`).
 */
import { ImplicitAuthError } from './errors';
import type { BaseFlowContext, FlowContext } from './flows/flow-context';
import { beginSignIn, finishSignIn, providerLogoutUrl } from './flows/interactive-sign-in';
import { ProviderClient } from './flows/provider-client';
import type { RenewalCoordinator } from './renewal/renewal-coordinator';
import { sessionWrites } from './session/accept-response';
import type { SessionKeeper } from './session/session-keeper';

// The interceptor's `WWW-Authenticate` parser: read only on a `401` carrying the header (see `auth-interceptor.ts`).
export { isInvalidTokenChallenge } from './http/www-authenticate';

/** The flows the service delegates to, bound to its context (`context`, which renewal shares) once loaded. */
export function createAuthFlows(base: BaseFlowContext, fetch: typeof globalThis.fetch) {
  // One provider client for the page: discovery and keys are fetched once, shared by sign-in and renewal.
  const context: FlowContext = {
    ...base,
    ...sessionWrites(base.keeper),
    provider: new ProviderClient(base.config, base.clock, fetch, base.userInfo),
  };
  return {
    context,
    signIn: (options: Parameters<typeof beginSignIn>[1], epoch: number) => beginSignIn(context, options, epoch),
    finishSignIn: (encoded: string, epoch: number) => finishSignIn(context, encoded, epoch),
    logoutUrl: (idToken: string | undefined, returnTo: string, params?: Readonly<Record<string, string>>) =>
      providerLogoutUrl(context, idToken, returnTo, params),
  };
}

export type AuthFlows = ReturnType<typeof createAuthFlows>;

/**
 * Without `withSilentRenew()`: no restore, and a renewal is `renewal_disabled` (recorded, with its event). Here, not
 * in the initial code: every renewal waits for this module anyway.
 */
export function withoutRenewal(keeper: SessionKeeper): RenewalCoordinator {
  return {
    restore: async () => undefined,
    renew: async () => {
      const error = keeper.fail(
        new ImplicitAuthError(
          'renewal_disabled',
          typeof ngDevMode === 'undefined' || ngDevMode ? 'Silent renewal is off: withSilentRenew()' : '',
        ),
      );
      keeper.state.emit({ type: 'renewal_failed', error });
      throw error;
    },
    signedInInteractively: () => undefined,
  };
}
