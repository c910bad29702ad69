/* Size bench variant 'core': the core (no feature) ; see ../library/features.ts. */
import { type ImplicitAuthConfig, type ImplicitAuthConfigLoader, type ImplicitAuthFeature } from 'ngx-implicit-auth';

export const config = (given: ImplicitAuthConfig): ImplicitAuthConfig | ImplicitAuthConfigLoader => given;
export const features: ImplicitAuthFeature[] = [];
