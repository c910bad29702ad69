import * as ngHttp from '@angular/common/http';
import { type EnvironmentProviders, inject, type InjectionToken, makeEnvironmentProviders } from '@angular/core';
import { injectPageBaseUri } from '../page-address';
import { IMPLICIT_AUTH_CONFIG_SOURCE } from '../tokens';
import { API_MATCHER, IMPLICIT_AUTH_REQUEST, INTERCEPTED } from './auth-interceptor';

/**
 * Dev mode only: warns once when a request to a configured API reaches the end of HttpClient's interceptor
 * chain without having passed through the token interceptor. That catches the known trap of registering
 * `ImplicitAuthInterceptor` through `HTTP_INTERCEPTORS` while HttpClient was set up with
 * `provideHttpClient()` without `withInterceptorsFromDi()` (class interceptors then silently never run), and
 * forgetting the interceptor altogether. In production it provides nothing.
 *
 * It hooks Angular's root interceptor list (the one its HTTP transfer cache uses), looked up by name so that
 * an Angular version without it turns the check off instead of breaking the build.
 * @see https://angular.dev/guide/http/interceptors#di-based-interceptors
 */
export function provideInterceptorCheck(): EnvironmentProviders {
  const rootInterceptors =
    typeof ngDevMode === 'undefined' || ngDevMode
      ? (ngHttp as unknown as Record<string, InjectionToken<unknown> | undefined>)['ɵHTTP_ROOT_INTERCEPTOR_FNS']
      : undefined;
  if (!rootInterceptors) return makeEnvironmentProviders([]);
  return makeEnvironmentProviders([
    {
      provide: rootInterceptors,
      multi: true,
      useFactory: (): ngHttp.HttpInterceptorFn => {
        let warned = false;
        const baseUri = injectPageBaseUri();
        return (req, next) => {
          if (
            !warned &&
            !INTERCEPTED.has(req.context) &&
            !req.headers.has('Authorization') &&
            !req.context.get(IMPLICIT_AUTH_REQUEST).skip &&
            isConfigured(inject(IMPLICIT_AUTH_CONFIG_SOURCE, { optional: true })) &&
            inject(API_MATCHER)(req.urlWithParams, req.method, baseUri())
          ) {
            warned = true;
            console.warn(
              `ngx-implicit-auth: ${req.method} ${req.url} goes to a configured API but bypassed the token interceptor. ` +
                'Standalone app: provideHttpClient(withInterceptors([implicitAuthInterceptor])). ' +
                'NgModule app (ImplicitAuthModule.forRoot registers ImplicitAuthInterceptor in HTTP_INTERCEPTORS): ' +
                'provideHttpClient(withInterceptorsFromDi()) in the root module, or the class interceptor never runs.',
            );
          }
          return next(req);
        };
      },
    },
  ]);
}

/** Whether the config is there (no source: given straight as `IMPLICIT_AUTH_CONFIG`, e.g. by the testing kit). */
function isConfigured(source: { readonly config?: unknown } | null): boolean {
  return !source || source.config !== undefined;
}
