/* Size bench variant 'logging': the core (no feature) plus withLogging(); see ../library/features.ts. */
import {
  type ImplicitAuthConfig,
  type ImplicitAuthConfigLoader,
  type ImplicitAuthFeature,
  withLogging,
} from 'ngx-implicit-auth';

export const config = (given: ImplicitAuthConfig): ImplicitAuthConfig | ImplicitAuthConfigLoader => given;
export const features: ImplicitAuthFeature[] = [withLogging()];
