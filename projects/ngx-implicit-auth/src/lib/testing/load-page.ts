import type { ProviderToken } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type {
  ImplicitAuthConfig,
  SilentRenewConfig,
  TokenStorageKind,
  TokenStore,
} from '../config/implicit-auth-config';
import type { ImplicitAuthFeature } from '../features';
import { withSilentRenew } from '../features/with-silent-renew';
import { withStorage } from '../features/with-storage';
import { withTabSync } from '../features/with-tab-sync';
import { withUserInfo } from '../features/with-user-info';
import { provideImplicitAuth } from '../provide-implicit-auth';
import { IMPLICIT_AUTH_CLOCK, IMPLICIT_AUTH_FETCH, IMPLICIT_AUTH_REDIRECT } from '../tokens';
import type { TestIssuer } from './test-issuer';

/**
 * One "page load" of an app using the library: a fresh TestBed (which runs the app initializer, like a real
 * bootstrap) over the current jsdom location and storage, wired to the in-memory provider `idp`, recording the
 * URLs the library leaves for in `redirects`. Resolves once start-up has finished, or at once with
 * `{ waitForStart: false }` (to act while start-up is still under way).
 */
export async function loadPage<T extends { whenReady(): Promise<void> }>(
  service: ProviderToken<T>,
  idp: TestIssuer,
  config: SpecConfig,
  redirects: string[],
  { waitForStart = true }: { readonly waitForStart?: boolean } = {},
): Promise<T> {
  TestBed.resetTestingModule();
  TestBed.configureTestingModule({
    providers: [
      provideImplicitAuthAsSpecsDo({ issuer: idp.issuer, clientId: idp.clientId, ...config }),
      { provide: IMPLICIT_AUTH_FETCH, useValue: idp.fetch },
      { provide: IMPLICIT_AUTH_CLOCK, useValue: idp.clock },
      { provide: IMPLICIT_AUTH_REDIRECT, useValue: (url: string) => redirects.push(url) },
    ],
  });
  const auth = TestBed.inject(service);
  if (waitForStart) await auth.whenReady();
  return auth;
}

/**
 * A spec's settings: the config, plus the features' options under the names they have as features' arguments
 * (`silentRenew` for `withSilentRenew()`, `false` for none; `storage` for `withStorage()`; `loadUserInfo` for
 * `withUserInfo()`).
 */
export type SpecConfig = Partial<ImplicitAuthConfig> & {
  readonly silentRenew?: SilentRenewConfig | false;
  readonly storage?: TokenStorageKind | TokenStore;
  readonly loadUserInfo?: boolean;
};

/**
 * `provideImplicitAuth` as the README's quick start wires it (`withSilentRenew()`, `withTabSync()`), with the
 * features a spec's settings select (see {@link SpecConfig}).
 */
export function provideImplicitAuthAsSpecsDo(
  { silentRenew, storage, loadUserInfo, ...config }: SpecConfig & Pick<ImplicitAuthConfig, 'issuer' | 'clientId'>,
  ...more: ImplicitAuthFeature[]
) {
  const features: ImplicitAuthFeature[] = [withTabSync(), ...more];
  if (silentRenew !== false) features.push(withSilentRenew(silentRenew));
  if (storage) features.push(withStorage(storage));
  if (loadUserInfo) features.push(withUserInfo());
  return provideImplicitAuth(config, ...features);
}
