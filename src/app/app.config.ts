import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  type ApplicationConfig,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter } from '@angular/router';
import {
  implicitAuthInterceptor,
  type ImplicitAuthConfig,
  provideImplicitAuth,
  withGuardOptions,
} from 'ngx-implicit-auth';
import { routes } from './app.routes';

/** The demo's providers, around the auth settings read from `auth.config.json`. */
export function createAppConfig(auth: ImplicitAuthConfig): ApplicationConfig {
  return {
    providers: [
      provideBrowserGlobalErrorListeners(),
      provideZonelessChangeDetection(),
      provideRouter(routes),
      provideHttpClient(withInterceptors([implicitAuthInterceptor])),
      provideImplicitAuth(auth, withGuardOptions({ forbiddenRoute: '/forbidden', errorRoute: '/' })),
    ],
  };
}
