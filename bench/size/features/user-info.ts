/* Size bench variant 'user-info': the core (no feature) plus withUserInfo(); see ../library/features.ts. */
import {
  type ImplicitAuthConfig,
  type ImplicitAuthConfigLoader,
  type ImplicitAuthFeature,
  withUserInfo,
} from 'ngx-implicit-auth';

export const config = (given: ImplicitAuthConfig): ImplicitAuthConfig | ImplicitAuthConfigLoader => given;
export const features: ImplicitAuthFeature[] = [withUserInfo()];
