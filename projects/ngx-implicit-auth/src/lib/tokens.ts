import { InjectionToken } from '@angular/core';
import type { Clock } from './clock';
import { systemClock } from './clock';
import type { ResolvedImplicitAuthConfig } from './config';

/** The resolved configuration (defaults filled in, every field checked). */
export const IMPLICIT_AUTH_CONFIG = new InjectionToken<ResolvedImplicitAuthConfig>('IMPLICIT_AUTH_CONFIG');

/** The time source; tests provide a fake clock. */
export const IMPLICIT_AUTH_CLOCK = new InjectionToken<Clock>('IMPLICIT_AUTH_CLOCK', {
  providedIn: 'root',
  factory: () => systemClock,
});

/** The `fetch` used for discovery, JWKS and UserInfo (never HttpClient, so interceptors never see IdP calls). */
export const IMPLICIT_AUTH_FETCH = new InjectionToken<typeof fetch>('IMPLICIT_AUTH_FETCH', {
  providedIn: 'root',
  factory: () => (input, init) => fetch(input, init),
});
