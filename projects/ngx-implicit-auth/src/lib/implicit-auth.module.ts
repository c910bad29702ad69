import { HTTP_INTERCEPTORS } from '@angular/common/http';
import { type ModuleWithProviders, NgModule } from '@angular/core';
import type { ImplicitAuthConfig } from './config/implicit-auth-config';
import type { ImplicitAuthConfigLoader, ImplicitAuthFeature } from './features';
import { ImplicitAuthInterceptor } from './http/auth-interceptor';
import { provideImplicitAuth } from './provide-implicit-auth';

/**
 * For NgModule apps: `ImplicitAuthModule.forRoot(config)` in the root module registers the same providers as
 * {@link provideImplicitAuth}, plus the class interceptor through `HTTP_INTERCEPTORS`. That one applies only when
 * HttpClient is set up with `HttpClientModule` or `provideHttpClient(withInterceptorsFromDi())`; in dev mode a
 * warning names the mistake when a request to a configured API goes out without it.
 */
@NgModule()
export class ImplicitAuthModule {
  static forRoot(
    config: ImplicitAuthConfig | ImplicitAuthConfigLoader,
    ...features: readonly ImplicitAuthFeature[]
  ): ModuleWithProviders<ImplicitAuthModule> {
    return {
      ngModule: ImplicitAuthModule,
      providers: [
        provideImplicitAuth(config, ...features),
        { provide: HTTP_INTERCEPTORS, useClass: ImplicitAuthInterceptor, multi: true },
      ],
    };
  }
}
