import { isPlatformBrowser } from '@angular/common';
import {
  DOCUMENT,
  type EnvironmentProviders,
  inject,
  InjectionToken,
  makeEnvironmentProviders,
  PLATFORM_ID,
  provideAppInitializer,
  provideEnvironmentInitializer,
} from '@angular/core';
import { ImplicitAuthError } from './errors';
import { type ImplicitAuthConfig } from './config/implicit-auth-config';
import { resolveConfig } from './config/resolve-config';
import { DefaultImplicitAuthService } from './default-implicit-auth.service';
import { API_MATCHER } from './http/auth-interceptor';
import { provideInterceptorCheck } from './http/interceptor-check';
import type { ImplicitAuthFeature } from './features';
import { ImplicitAuthService } from './implicit-auth.service';
import { serverConfigOrigin } from './page-address';
import { ServerImplicitAuthService } from './server-implicit-auth.service';
import { IMPLICIT_AUTH_CONFIG } from './tokens';

/**
 * Sets up sign-in with the implicit flow for a standalone app:
 *
 * ```ts
 * bootstrapApplication(App, {
 *   providers: [
 *     provideRouter(routes),
 *     provideHttpClient(withInterceptors([implicitAuthInterceptor])),
 *     provideImplicitAuth({ issuer: 'https://tenant.auth0.com/', clientId: '…', audience: 'https://api.example' }),
 *   ],
 * });
 * ```
 *
 * The config is checked at start-up: a missing or contradictory field fails bootstrap with an
 * `ImplicitAuthError('invalid_config')` naming the field. A callback in the URL is taken out of the address
 * bar before the router's first navigation.
 *
 * During server-side rendering (`PLATFORM_ID` not a browser's) the same call provides an inert service instead
 * (see `ServerImplicitAuthService`): status `loading`, nothing read from the page, the browser taking over after
 * hydration.
 */
export function provideImplicitAuth(
  config: ImplicitAuthConfig,
  ...features: readonly ImplicitAuthFeature[]
): EnvironmentProviders {
  if (typeof ngDevMode === 'undefined' || ngDevMode) {
    const kinds = features.map((feature) => feature.ɵkind);
    const repeated = kinds.find((kind, i) => kinds.indexOf(kind) !== i);
    if (repeated) {
      throw new ImplicitAuthError('invalid_config', `ngx-implicit-auth: the '${repeated}' feature was given twice`);
    }
  }
  return makeEnvironmentProviders([
    { provide: IMPLICIT_AUTH_PROVIDED, useValue: true },
    provideEnvironmentInitializer(() => {
      // Two sets of providers mean two services, two sessions and two redirects (ngrx's root guard, Angular's
      // FOR_ROOT_CALLED_TWICE): refused where the second one is created, e.g. in a lazy route's providers.
      if (inject(IMPLICIT_AUTH_PROVIDED, { optional: true, skipSelf: true })) {
        throw new ImplicitAuthError(
          'invalid_config',
          'ngx-implicit-auth: provideImplicitAuth() or ImplicitAuthModule.forRoot() was used twice; provide it once, at the root',
        );
      }
    }),
    {
      provide: IMPLICIT_AUTH_CONFIG,
      useFactory: () => {
        if (!isPlatformBrowser(inject(PLATFORM_ID))) return resolveConfig(config, serverConfigOrigin(config));
        const document = inject(DOCUMENT);
        return resolveConfig(config, document.location.origin, document.baseURI);
      },
    },
    DefaultImplicitAuthService,
    {
      provide: ImplicitAuthService,
      useFactory: () =>
        isPlatformBrowser(inject(PLATFORM_ID)) ? inject(DefaultImplicitAuthService) : new ServerImplicitAuthService(),
    },
    provideAppInitializer(() => {
      // Built now so a misconfigured API list (e.g. one covering the issuer) fails at start-up, not on a request.
      inject(API_MATCHER);
      // A server has no address bar, storage or session to start from: the browser starts after hydration.
      if (isPlatformBrowser(inject(PLATFORM_ID))) inject(DefaultImplicitAuthService).start();
    }),
    provideInterceptorCheck(),
    features.map((feature) => feature.ɵproviders),
  ]);
}

/** Present in an injector that holds the library's providers (see the root guard above). */
const IMPLICIT_AUTH_PROVIDED = new InjectionToken<boolean>(
  typeof ngDevMode === 'undefined' || ngDevMode ? 'ngx-implicit-auth: provided' : '',
);
