/* Size bench variant 'storage': the core (no feature) plus withStorage(); see ../library/features.ts. */
import {
  type ImplicitAuthConfig,
  type ImplicitAuthConfigLoader,
  type ImplicitAuthFeature,
  withStorage,
} from 'ngx-implicit-auth';

export const config = (given: ImplicitAuthConfig): ImplicitAuthConfig | ImplicitAuthConfigLoader => given;
export const features: ImplicitAuthFeature[] = [withStorage('session')];
