import type { EnvironmentProviders, Provider } from '@angular/core';

/** The kinds of optional feature `provideImplicitAuth(config, ...features)` accepts. */
export type ImplicitAuthFeatureKind = 'guard-options';

/** An optional feature, built by a `withX()` function. */
export interface ImplicitAuthFeature<K extends ImplicitAuthFeatureKind = ImplicitAuthFeatureKind> {
  readonly kind: K;
  readonly providers: readonly (Provider | EnvironmentProviders)[];
}
