/*
 * Public API of ngx-implicit-auth/testing: a fake service for testing apps that use ngx-implicit-auth.
 */
export { FakeImplicitAuthService } from './fake-implicit-auth.service';
export type { FakeImplicitAuthOptions, FakeRenewal, FakeToken, FakeTokenOptions } from './fake-implicit-auth.service';
export { provideImplicitAuthTesting } from './provide-implicit-auth-testing';
export type { ImplicitAuthTestingOptions } from './provide-implicit-auth-testing';
