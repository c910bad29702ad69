import { InjectionToken } from '@angular/core';
import { ImplicitAuthError } from '../errors';
import { type ImplicitAuthFeature, makeFeature } from '../features';
import { tokenName } from '../tokens';

/** Where the guard sends users instead of the route they asked for. Each is an absolute app route. */
export interface ImplicitAuthGuardOptions {
  /**
   * An app page with a sign-in button (e.g. `/sign-in`). When set, a signed-out user is sent there with
   * `?returnUrl=<the URL asked for>` instead of straight to the provider. Default: straight to the provider.
   */
  readonly signInRoute?: string;
  /** Where a signed-in user lacking a route's scopes or claims goes. Default: the navigation is refused. */
  readonly forbiddenRoute?: string;
  /**
   * Where the user goes when the last sign-in failed or was cancelled (`auth.error()`), instead of being sent to sign
   * in again, which could loop. Default `'/'`: the app's root, which shows `error()`. (When the refused page is that
   * route itself, the navigation is refused instead.)
   */
  readonly errorRoute?: string;
}

/** The guard's options; set with {@link withGuardOptions}. */
export const IMPLICIT_AUTH_GUARD_OPTIONS = new InjectionToken<ImplicitAuthGuardOptions>(
  tokenName('IMPLICIT_AUTH_GUARD_OPTIONS'),
  {
    providedIn: 'root',
    factory: () => ({}),
  },
);

/**
 * Sets where `authGuard` sends users: `provideImplicitAuth(config, withGuardOptions({ signInRoute: '/sign-in',
 * forbiddenRoute: '/forbidden', errorRoute: '/auth-error' }))`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.2.1 (errors such as `access_denied` land on `errorRoute`)
 */
export function withGuardOptions(options: ImplicitAuthGuardOptions): ImplicitAuthFeature<'guard-options'> {
  if (typeof ngDevMode === 'undefined' || ngDevMode) {
    for (const [name, route] of Object.entries(options)) {
      if (route !== undefined && !(typeof route === 'string' && /^\/(?![/\\])/.test(route))) {
        throw new ImplicitAuthError(
          'invalid_config',
          typeof ngDevMode === 'undefined' || ngDevMode
            ? `ngx-implicit-auth: withGuardOptions ${name} must be an absolute app route such as '/sign-in'`
            : '',
        );
      }
    }
  }
  return makeFeature('guard-options', [{ provide: IMPLICIT_AUTH_GUARD_OPTIONS, useValue: options }]);
}
