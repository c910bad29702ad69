import type { SilentRenewConfig } from '../config/implicit-auth-config';
import { type ImplicitAuthFeature, makeFeature } from '../features';
import { resolveSilentRenew } from '../renewal/silent-renew-options';
import { IMPLICIT_AUTH_FEATURE_PARTS, IMPLICIT_AUTH_ON_DEMAND_LOADER, injectOnDemandLoader } from '../tokens';

/**
 * Silent renewal in a hidden iframe with `prompt=none` (OIDC Core §3.1.2.1): the session is restored on reload
 * and tokens are renewed before they expire, without leaving the app. Needs `silent-callback.html` served at
 * `redirectUri` and registered at the provider. Without this feature an expired token means an interactive
 * sign-in, and none of the renewal code ships.
 *
 * ```ts
 * provideImplicitAuth(config, withSilentRenew({ marginSeconds: 120 }))
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 */
export function withSilentRenew(options: SilentRenewConfig = {}): ImplicitAuthFeature<'silent-renew'> {
  return makeFeature('silent-renew', [
    {
      provide: IMPLICIT_AUTH_FEATURE_PARTS,
      multi: true,
      useValue: { silentRenew: (origin: string, base: string) => resolveSilentRenew(options, origin, base) },
    },
    {
      // The on-demand code with the renewal coordinator in it: one chunk to load, as without the feature.
      provide: IMPLICIT_AUTH_ON_DEMAND_LOADER,
      useFactory: () => injectOnDemandLoader(() => import('../on-demand-renewal')),
    },
  ]);
}
