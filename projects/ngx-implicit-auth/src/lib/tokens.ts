import { DOCUMENT, inject, InjectionToken } from '@angular/core';
import type { Clock } from './clock';
import { systemClock } from './clock';
import type {
  ImplicitAuthConfig,
  ResolvedImplicitAuthConfig,
  SilentRenewConfig,
  TokenStorageKind,
  TokenStore,
} from './config/implicit-auth-config';
import type { ImplicitAuthEvent } from './events';
import type { TabSync } from './renewal/tab-sync';
import type { Session } from './session/session';
import type { createSessionStore } from './session/session-store';
import { type OnDemandModule, reimportAfterFailure } from './on-demand-loader';

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
export const IMPLICIT_AUTH_ON_DEMAND_LOADER = new InjectionToken<() => Promise<OnDemandModule>>(
  tokenName('IMPLICIT_AUTH_ON_DEMAND_LOADER'),
  {
    providedIn: 'root',
    factory: () => injectOnDemandLoader(() => import('./on-demand')),
  },
);

/**
 * `load` (an `import()` of an on-demand module), made to load again after a failed download, from a fresh URL
 * against the page's base (see `reimportAfterFailure`). Call it in an injection context.
 */
export function injectOnDemandLoader(load: () => Promise<OnDemandModule>): () => Promise<OnDemandModule> {
  const document = inject(DOCUMENT);
  return reimportAfterFailure(load, () => document.baseURI);
}

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

/**
 * What the optional features in use bring to the core (internal). Each part is there only when its `withX()` is
 * given, so an app that does not use a feature does not ship its code: the core refers to the feature's code only
 * through this token.
 */
export interface ImplicitAuthParts {
  /** `withSilentRenew()`: its options, resolved against the app's origin and base URL. */
  readonly silentRenew?: (origin: string, base: string) => Required<SilentRenewConfig>;
  /** `withTabSync()`: the cross-tab channel and lock for this app's sessions. */
  readonly tabSync?: (name: string) => TabSync<Session>;
  /** `withStorage()`: where sessions are kept between page loads, and the store that keeps them there. */
  readonly storage?: { readonly kind: TokenStorageKind | TokenStore; readonly create: typeof createSessionStore };
  /** `withUserInfo()`: UserInfo is loaded after each sign-in and renewal (the request is in the on-demand code). */
  readonly userInfo?: true;
  /** `withLogging()`: hears every event. */
  readonly log?: (event: ImplicitAuthEvent) => void;
}

/** Each feature's part (multi); read merged through {@link IMPLICIT_AUTH_PARTS}. */
export const IMPLICIT_AUTH_FEATURE_PARTS = new InjectionToken<readonly ImplicitAuthParts[]>(
  tokenName('IMPLICIT_AUTH_FEATURE_PARTS'),
);

/** The parts of every feature in use, merged. */
export const IMPLICIT_AUTH_PARTS = new InjectionToken<ImplicitAuthParts>(tokenName('IMPLICIT_AUTH_PARTS'), {
  providedIn: 'root',
  factory: () => Object.assign({}, ...(inject(IMPLICIT_AUTH_FEATURE_PARTS, { optional: true }) ?? [])),
});

/**
 * The settings as the app gave them (internal); with `withConfigLoader()`, empty until loaded. The interceptor lets
 * requests through untouched until then (no API is configured yet), so the loader may use HttpClient.
 */
export const IMPLICIT_AUTH_CONFIG_SOURCE = new InjectionToken<{ config?: ImplicitAuthConfig }>(
  tokenName('IMPLICIT_AUTH_CONFIG_SOURCE'),
);
