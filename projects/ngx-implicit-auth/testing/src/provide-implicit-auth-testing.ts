import { DOCUMENT, type EnvironmentProviders, inject, makeEnvironmentProviders } from '@angular/core';
import {
  type IdTokenClaims,
  IMPLICIT_AUTH_CLOCK,
  IMPLICIT_AUTH_CONFIG,
  type ImplicitAuthConfig,
  type ImplicitAuthFeature,
  ImplicitAuthService,
  ɵresolveConfig,
} from 'ngx-implicit-auth';
import { FakeImplicitAuthService } from './fake-implicit-auth.service';

export interface ImplicitAuthTestingOptions {
  /** Config to test with, checked like the real one; `issuer` and `clientId` have test defaults. */
  readonly config?: Partial<ImplicitAuthConfig>;
  /** Start signed in, with these claims (`true`: default claims). Default: signed out. */
  readonly signedIn?: boolean | Partial<IdTokenClaims>;
}

/**
 * Provides {@link FakeImplicitAuthService} as `ImplicitAuthService` (inject either), the resolved config and
 * any features, so the app's guards, interceptor and components run against a controllable fake:
 *
 * ```ts
 * TestBed.configureTestingModule({
 *   providers: [
 *     provideRouter(routes),
 *     provideHttpClient(withInterceptors([implicitAuthInterceptor])),
 *     provideHttpClientTesting(),
 *     provideImplicitAuthTesting({ config: { apis: [{ url: 'https://api.example' }] }, signedIn: true }),
 *   ],
 * });
 * ```
 * @see https://angular.dev/guide/testing/services
 */
export function provideImplicitAuthTesting(
  options: ImplicitAuthTestingOptions = {},
  ...features: readonly ImplicitAuthFeature[]
): EnvironmentProviders {
  const config: ImplicitAuthConfig = { issuer: 'https://idp.example/', clientId: 'test-client', ...options.config };
  return makeEnvironmentProviders([
    { provide: IMPLICIT_AUTH_CONFIG, useFactory: () => ɵresolveConfig(config, inject(DOCUMENT).location.origin) },
    {
      provide: FakeImplicitAuthService,
      useFactory: () => {
        const { issuer, clientId, audience, clockSkewSeconds } = inject(IMPLICIT_AUTH_CONFIG);
        const clock = inject(IMPLICIT_AUTH_CLOCK);
        const fake = new FakeImplicitAuthService({ clock, issuer, clientId, audience, clockSkewSeconds });
        if (options.signedIn) fake.signIn(options.signedIn === true ? {} : options.signedIn);
        return fake;
      },
    },
    { provide: ImplicitAuthService, useExisting: FakeImplicitAuthService },
    features.map((feature) => feature.ɵproviders),
  ]);
}
