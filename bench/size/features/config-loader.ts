/* Size bench variant 'config-loader': the core (no feature) plus withConfigLoader(); see ../library/features.ts. */
import {
  type ImplicitAuthConfig,
  type ImplicitAuthConfigLoader,
  type ImplicitAuthFeature,
  withConfigLoader,
} from 'ngx-implicit-auth';

export const config = (given: ImplicitAuthConfig): ImplicitAuthConfig | ImplicitAuthConfigLoader =>
  withConfigLoader(async () => given);
export const features: ImplicitAuthFeature[] = [];
