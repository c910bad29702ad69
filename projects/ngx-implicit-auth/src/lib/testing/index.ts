/*
 * Spec-only helpers for the library's tests: a fake clock, a fake fetch and an in-memory OpenID provider that signs
 * real ID tokens with jose keys. Excluded from the library build.
 */
export { authErrorOf } from './auth-error';
export { createFakeClock, FAKE_CLOCK_START, type FakeClock } from './fake-clock';
export { createFakeLocks, type FakeLocks } from './fake-locks';
export { createFakeFetch, jsonResponse, type FakeFetch, type FakeHandler, type RecordedRequest } from './fake-fetch';
export {
  base64urlOf,
  createTestIssuer,
  referenceAtHash,
  signJws,
  unsecuredToken,
  type SignIdTokenOptions,
  type TestAuthorizationResponseOptions,
  type TestIssuer,
  type TestIssuerOptions,
  type TestSigningKey,
} from './test-issuer';
export { freshPage } from './fresh-page';
export { loadPage } from './load-page';
export { provideImplicitAuthAsSpecsDo } from './provide-as-specs-do';
export { resolveSpecConfig, specParts, type SpecConfig } from './spec-config';
export { answerSilentRequests, type SilentAnswer, type SilentAnswers } from './silent-answers';
export { createMemoryStorage, type MemoryStorage } from './memory-storage';
