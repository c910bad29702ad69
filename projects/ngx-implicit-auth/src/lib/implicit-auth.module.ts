import { type ModuleWithProviders, NgModule } from '@angular/core';
import type { ImplicitAuthConfig } from './config';
import type { ImplicitAuthFeature } from './features';
import { provideImplicitAuth } from './provide-implicit-auth';

/**
 * For NgModule apps: `ImplicitAuthModule.forRoot(config)` in the root module registers the same providers as
 * {@link provideImplicitAuth}.
 */
@NgModule()
export class ImplicitAuthModule {
  static forRoot(
    config: ImplicitAuthConfig,
    ...features: readonly ImplicitAuthFeature[]
  ): ModuleWithProviders<ImplicitAuthModule> {
    return { ngModule: ImplicitAuthModule, providers: [provideImplicitAuth(config, ...features)] };
  }
}
