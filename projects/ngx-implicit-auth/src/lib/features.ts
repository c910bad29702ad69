import type { EnvironmentProviders, Injector, Provider } from '@angular/core';
import type { ImplicitAuthConfig } from './config/implicit-auth-config';

/** The kinds of optional feature `provideImplicitAuth(config, ...features)` accepts. */
export type ImplicitAuthFeatureKind =
  'silent-renew' | 'tab-sync' | 'storage' | 'user-info' | 'logging' | 'config-loader' | 'guard-options';

/**
 * An optional feature, built by a `withX()` function and passed to `provideImplicitAuth(config, ...features)`.
 * Opaque: its members are the library's own (`ɵ`), as with Angular's `HttpFeature`.
 */
export interface ImplicitAuthFeature<K extends ImplicitAuthFeatureKind = ImplicitAuthFeatureKind> {
  readonly ɵkind: K;
  readonly ɵproviders: readonly (Provider | EnvironmentProviders)[];
}

/** Builds a feature of `kind` (for the `withX()` functions). */
export function makeFeature<K extends ImplicitAuthFeatureKind>(
  kind: K,
  providers: readonly (Provider | EnvironmentProviders)[],
): ImplicitAuthFeature<K> {
  return { ɵkind: kind, ɵproviders: providers };
}

/**
 * `withConfigLoader()`'s result, given to `provideImplicitAuth()` in the config's place: the settings are loaded at
 * start-up. Opaque, like every feature.
 */
export interface ImplicitAuthConfigLoader extends ImplicitAuthFeature<'config-loader'> {
  readonly ɵload: (injector: Injector) => Promise<ImplicitAuthConfig>;
}
