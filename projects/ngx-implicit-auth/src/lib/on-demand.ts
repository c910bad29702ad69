/*
 * The code loaded at the first exchange with the provider (`loadOnDemand`): the provider client, the sign-in and renewal
 * flows, the one completion path with jose's signature check, discovery, the JWKS cache, UserInfo and the
 * authorize and logout URLs. What every page load needs (start-up, the session and its signals, the interceptor's
 * fast path, the guard) stays in the initial bundle; a visitor who never signs in never downloads this. Once loaded
 * it stays for the page's lifetime: later renewals pay nothing.
 */
import type { FlowContext } from './flows/flow-context';
import { beginSignIn, finishSignIn, providerLogoutUrl } from './flows/interactive-sign-in';
import { ProviderClient } from './flows/provider-client';
import { createRenewalCoordinator } from './renewal/renewal-coordinator';

/**
 * The flows the service delegates to, bound to its context once the chunk has loaded. `signIn` is the service's
 * own `login()`, for the interactive fallback after blocked cookies (one redirect at a time, errors recorded).
 */
export function createAuthFlows(
  base: Omit<FlowContext, 'provider'>,
  fetch: typeof globalThis.fetch,
  signIn: () => Promise<void>,
) {
  // One provider client for the page: discovery and keys are fetched once, shared by sign-in and renewal.
  const ctx: FlowContext = { ...base, provider: new ProviderClient(base.config, base.clock, fetch) };
  const flows = {
    signIn: (options: Parameters<typeof beginSignIn>[1], epoch: number) => beginSignIn(ctx, options, epoch),
    finishSignIn: async (encoded: string, epoch: number) => {
      const returnUrl = await finishSignIn(ctx, encoded, epoch);
      renewal.signedInInteractively();
      return returnUrl;
    },
    logoutUrl: (idToken: string | undefined, returnTo: string, params?: Readonly<Record<string, string>>) =>
      providerLogoutUrl(ctx, idToken, returnTo, params),
    restore: (epoch: number) => renewal.restore(epoch),
    renew: (audience: string | undefined, scope: string | undefined, epoch: number) =>
      renewal.renew(audience, scope, epoch),
  };
  const renewal = createRenewalCoordinator(ctx, signIn);
  return flows;
}

export type AuthFlows = ReturnType<typeof createAuthFlows>;
