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
  type ImplicitAuthFeature,
  provideImplicitAuth,
  type SilentRenewConfig,
  type TokenStorageKind,
  withGuardOptions,
  withSilentRenew,
  withStorage,
  withTabSync,
  withUserInfo,
} from 'ngx-implicit-auth';
import { routes } from './app.routes';

/**
 * `auth.config.json`: the library's config, plus which optional features the demo turns on, so one build runs every
 * set-up the e2e suite tries. Silent renewal and tab sync are on unless the file says `false`.
 */
export type DemoAuthConfig = ImplicitAuthConfig & {
  readonly silentRenew?: SilentRenewConfig | false;
  readonly tabSync?: boolean;
  readonly storage?: TokenStorageKind;
  readonly loadUserInfo?: boolean;
};

/** The demo's providers, around the auth settings read from `auth.config.json`. */
export function createAppConfig({
  silentRenew,
  tabSync,
  storage,
  loadUserInfo,
  ...auth
}: DemoAuthConfig): ApplicationConfig {
  const features: ImplicitAuthFeature[] = [withGuardOptions({ forbiddenRoute: '/forbidden', errorRoute: '/' })];
  if (silentRenew !== false) features.push(withSilentRenew(silentRenew));
  if (tabSync !== false) features.push(withTabSync());
  if (storage) features.push(withStorage(storage));
  if (loadUserInfo) features.push(withUserInfo());
  return {
    providers: [
      provideBrowserGlobalErrorListeners(),
      provideZonelessChangeDetection(),
      provideRouter(routes),
      provideHttpClient(withInterceptors([implicitAuthInterceptor])),
      provideImplicitAuth(auth, ...features),
    ],
  };
}
