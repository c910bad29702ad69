import { isPlatformBrowser } from '@angular/common';
import {
  DOCUMENT,
  type EnvironmentProviders,
  inject,
  InjectionToken,
  Injector,
  makeEnvironmentProviders,
  PLATFORM_ID,
  provideAppInitializer,
  provideEnvironmentInitializer,
} from '@angular/core';
import { ImplicitAuthError } from './errors';
import type { ImplicitAuthConfig, ResolvedImplicitAuthConfig } from './config/implicit-auth-config';
import { appBase, resolveWithParts } from './config/resolve-config';
import { DefaultImplicitAuthService } from './default-implicit-auth.service';
import { API_MATCHER } from './http/auth-interceptor';
import { provideInterceptorCheck } from './http/interceptor-check';
import { checkFeatures } from './features/check-features';
import type { ImplicitAuthConfigLoader, ImplicitAuthFeature } from './features';
import { ImplicitAuthService } from './implicit-auth.service';
import { IMPLICIT_AUTH_CONFIG, IMPLICIT_AUTH_CONFIG_SOURCE, IMPLICIT_AUTH_PARTS, tokenName } from './tokens';
import { serverConfigOrigin } from './page-address';
import { ServerImplicitAuthService } from './server-implicit-auth.service';

/**
 * Sets up sign-in with the implicit flow for a standalone app:
 *
 * ```ts
 * bootstrapApplication(App, {
 *   providers: [
 *     provideRouter(routes),
 *     provideHttpClient(withInterceptors([implicitAuthInterceptor])),
 *     provideImplicitAuth({ issuer: 'https://tenant.auth0.com/', clientId: '…', audience: 'https://api.example' },
 *       withSilentRenew(), withTabSync()),
 *   ],
 * });
 * ```
 *
 * `config` is the settings, or `withConfigLoader(load)` to load them at start-up. Optional machinery comes as
 * features (`withSilentRenew()`, `withTabSync()`, `withStorage()`, `withUserInfo()`, `withLogging()`,
 * `withGuardOptions()`): an app ships only the features it uses. The config is checked at start-up: a missing or
 * contradictory field, or in dev mode a contradictory feature, fails bootstrap with an
 * `ImplicitAuthError('invalid_config')` naming it. A callback in the URL is taken out of the address bar before the
 * router's first navigation.
 *
 * During server-side rendering (`PLATFORM_ID` not a browser's) the same call provides an inert service instead
 * (see `ServerImplicitAuthService`): status `loading`, nothing read from the page, the browser taking over after
 * hydration.
 */
export function provideImplicitAuth(
  config: ImplicitAuthConfig | ImplicitAuthConfigLoader,
  ...features: readonly ImplicitAuthFeature[]
): EnvironmentProviders {
  const kinds = features.map((feature) => feature.ɵkind);
  if (typeof ngDevMode === 'undefined' || ngDevMode) {
    const repeated = kinds.find((kind, i) => kinds.indexOf(kind) !== i || kind === 'config-loader');
    if (repeated) {
      throw new ImplicitAuthError(
        'invalid_config',
        repeated === 'config-loader'
          ? 'ngx-implicit-auth: withConfigLoader() takes the config’s place: provideImplicitAuth(withConfigLoader(…), …)'
          : `ngx-implicit-auth: the '${repeated}' feature was given twice`,
      );
    }
  }
  const loader = 'ɵkind' in config ? config : undefined;
  return makeEnvironmentProviders([
    { provide: IMPLICIT_AUTH_PROVIDED, useValue: true },
    provideEnvironmentInitializer(() => {
      // Two sets of providers mean two services, two sessions and two redirects (ngrx's root guard, Angular's
      // FOR_ROOT_CALLED_TWICE): refused where the second one is created, e.g. in a lazy route's providers.
      if (inject(IMPLICIT_AUTH_PROVIDED, { optional: true, skipSelf: true })) {
        throw new ImplicitAuthError(
          'invalid_config',
          typeof ngDevMode === 'undefined' || ngDevMode
            ? 'ngx-implicit-auth: provideImplicitAuth() or ImplicitAuthModule.forRoot() was used twice; provide it once, at the root'
            : '',
        );
      }
    }),
    // The settings as given; with `withConfigLoader()`, filled in by its initializer below.
    { provide: IMPLICIT_AUTH_CONFIG_SOURCE, useValue: { config: loader ? undefined : config } },
    {
      provide: IMPLICIT_AUTH_CONFIG,
      useFactory: () => {
        const given = inject(IMPLICIT_AUTH_CONFIG_SOURCE).config;
        if (!given) {
          throw new ImplicitAuthError(
            'invalid_config',
            typeof ngDevMode === 'undefined' || ngDevMode
              ? 'ngx-implicit-auth: used before withConfigLoader() has loaded the config'
              : '',
          );
        }
        const parts = inject(IMPLICIT_AUTH_PARTS);
        let resolved: ResolvedImplicitAuthConfig;
        // On the server the page's address is not the browser's (see `serverConfigOrigin`), and the server never
        // renews: the silent page's origin is checked in the browser. (`ngServerMode` is false in the CLI's browser
        // builds: they drop this branch.)
        if ((typeof ngServerMode === 'undefined' || ngServerMode) && !isPlatformBrowser(inject(PLATFORM_ID))) {
          const origin = serverConfigOrigin(given);
          resolved = resolveWithParts(given, origin, `${origin}/`, { storage: parts.storage });
        } else {
          const { location, baseURI } = inject(DOCUMENT);
          resolved = resolveWithParts(given, location.origin, appBase(location.origin, baseURI), parts);
        }
        if (typeof ngDevMode === 'undefined' || ngDevMode) checkFeatures(resolved, kinds);
        return resolved;
      },
    },
    DefaultImplicitAuthService,
    {
      provide: ImplicitAuthService,
      useFactory: () =>
        // `ngServerMode` is false in the CLI's browser builds: they drop the server's service altogether.
        (typeof ngServerMode === 'undefined' || ngServerMode) && !isPlatformBrowser(inject(PLATFORM_ID))
          ? new ServerImplicitAuthService()
          : inject(DefaultImplicitAuthService),
    },
    provideAppInitializer(() => {
      const injector = inject(Injector);
      // A server has no address bar, storage or session to start from: the browser starts after hydration.
      const browser = isPlatformBrowser(inject(PLATFORM_ID));
      const start = () => {
        // Built now so a misconfigured API list (e.g. one covering the issuer) fails at start-up, not on a request.
        injector.get(API_MATCHER);
        if (browser) injector.get(DefaultImplicitAuthService).start();
      };
      if (!loader) return start();
      const source = inject(IMPLICIT_AUTH_CONFIG_SOURCE);
      return loader.ɵload(injector).then((loaded) => {
        source.config = loaded;
        start();
      });
    }),
    provideInterceptorCheck(),
    features.map((feature) => feature.ɵproviders),
  ]);
}

/** Present in an injector that holds the library's providers (see the root guard above). */
const IMPLICIT_AUTH_PROVIDED = new InjectionToken<boolean>(tokenName('provided'));
