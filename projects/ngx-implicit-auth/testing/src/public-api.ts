/*
 * Public API of ngx-implicit-auth/testing, for testing apps that use ngx-implicit-auth: a fake service, and an
 * in-memory OpenID provider for tests that run the real one.
 */
export { FakeImplicitAuthService } from './fake-implicit-auth.service';
export type { FakeImplicitAuthOptions, FakeRenewal, FakeToken, FakeTokenOptions } from './fake-implicit-auth.service';
export { provideImplicitAuthTesting } from './provide-implicit-auth-testing';
export type { ImplicitAuthTestingOptions } from './provide-implicit-auth-testing';
export { InMemoryOpenIdProvider } from './in-memory-open-id-provider';
export type {
  InMemoryAuthorizationRequest,
  InMemoryOpenIdProviderOptions,
  InMemorySignInOptions,
  InMemoryTokens,
  InMemoryUser,
} from './in-memory-open-id-provider';
export { provideInMemoryOpenIdProvider } from './provide-in-memory-open-id-provider';
