import { DOCUMENT, inject, InjectionToken } from '@angular/core';
import type { Clock } from './clock';
import { systemClock } from './clock';
import type { ResolvedImplicitAuthConfig } from './config/implicit-auth-config';
import { reimportAfterFailure } from './on-demand-loader';

/** The resolved configuration (defaults filled in, every field checked). */
export const IMPLICIT_AUTH_CONFIG = new InjectionToken<ResolvedImplicitAuthConfig>(tokenName('IMPLICIT_AUTH_CONFIG'));

/** The time source; tests provide a fake clock. */
export const IMPLICIT_AUTH_CLOCK = new InjectionToken<Clock>(tokenName('IMPLICIT_AUTH_CLOCK'), {
  providedIn: 'root',
  factory: () => systemClock,
});

/** The `fetch` used for discovery, JWKS and UserInfo (never HttpClient, so interceptors never see IdP calls). */
export const IMPLICIT_AUTH_FETCH = new InjectionToken<typeof fetch>(tokenName('IMPLICIT_AUTH_FETCH'), {
  providedIn: 'root',
  factory: () => (input, init) => fetch(input, init),
});

/**
 * Loads the library's on-demand module (a lazy chunk), from a fresh URL after a failed download (see
 * `reimportAfterFailure`). Internal: tests provide a loader that fails or never answers.
 */
export const IMPLICIT_AUTH_ON_DEMAND_LOADER = new InjectionToken<() => Promise<typeof import('./on-demand')>>(
  tokenName('IMPLICIT_AUTH_ON_DEMAND_LOADER'),
  {
    providedIn: 'root',
    factory: () => {
      const document = inject(DOCUMENT);
      return reimportAfterFailure(
        () => import('./on-demand'),
        () => document.baseURI,
      );
    },
  },
);

/**
 * How the library leaves the app for the provider (sign-in, logout): `location.assign` by default.
 * Tests provide a function that records the URL.
 */
export const IMPLICIT_AUTH_REDIRECT = new InjectionToken<(url: string) => void>(tokenName('IMPLICIT_AUTH_REDIRECT'), {
  providedIn: 'root',
  factory: () => {
    const location = inject(DOCUMENT).location;
    return (url) => location.assign(url);
  },
});

/** A token's description: it names the library in dev-mode errors, and costs nothing in production builds. */
export function tokenName(name: string): string {
  return typeof ngDevMode === 'undefined' || ngDevMode ? `ngx-implicit-auth: ${name}` : '';
}
