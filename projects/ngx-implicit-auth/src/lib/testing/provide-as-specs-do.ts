import type { ImplicitAuthConfig } from '../config/implicit-auth-config';
import type { ImplicitAuthFeature } from '../features';
import { withSilentRenew } from '../features/with-silent-renew';
import { withStorage } from '../features/with-storage';
import { withTabSync } from '../features/with-tab-sync';
import { withUserInfo } from '../features/with-user-info';
import { provideImplicitAuth } from '../provide-implicit-auth';
import type { SpecConfig } from './spec-config';

export type { SpecConfig } from './spec-config';

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
