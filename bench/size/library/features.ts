/*
 * The library's settings in the size bench: the README's quick start (`withSilentRenew()`, `withTabSync()`). The
 * bench's per-feature builds replace this file with one from ../features/ (angular.json `fileReplacements`).
 */
import {
  type ImplicitAuthConfig,
  type ImplicitAuthConfigLoader,
  type ImplicitAuthFeature,
  withSilentRenew,
  withTabSync,
} from 'ngx-implicit-auth';

export const config = (given: ImplicitAuthConfig): ImplicitAuthConfig | ImplicitAuthConfigLoader => given;
export const features: ImplicitAuthFeature[] = [withSilentRenew(), withTabSync()];
