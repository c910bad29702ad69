/* Size bench variant 'guard-options': the core (no feature) plus withGuardOptions(); see ../library/features.ts. */
import {
  type ImplicitAuthConfig,
  type ImplicitAuthConfigLoader,
  type ImplicitAuthFeature,
  withGuardOptions,
} from 'ngx-implicit-auth';

export const config = (given: ImplicitAuthConfig): ImplicitAuthConfig | ImplicitAuthConfigLoader => given;
export const features: ImplicitAuthFeature[] = [withGuardOptions({ errorRoute: '/' })];
