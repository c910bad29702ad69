/*
 * Public API of ngx-implicit-auth. Named exports only; everything not listed here is internal.
 */
export type { AddressClaim, IdTokenClaims } from './lib/claims';
export { readClaim } from './lib/claims';
export type { Clock } from './lib/clock';
export type {
  ApiConfig,
  ClockMode,
  IdTokenSigningAlgorithm,
  ImplicitAuthConfig,
  ImplicitAuthEndpoints,
  ImplicitResponseType,
  LogoutConfig,
  SilentRenewConfig,
  TokenStorageKind,
  TokenStore,
} from './lib/config/implicit-auth-config';
export { ImplicitAuthError, isImplicitAuthError, isInteractionRequired } from './lib/errors';
export type { ImplicitAuthErrorCode, ImplicitAuthErrorOptions, ProviderErrorCode } from './lib/errors';
export type { ImplicitAuthEvent, SignOutReason } from './lib/events';
export type { ImplicitAuthConfigLoader, ImplicitAuthFeature, ImplicitAuthFeatureKind } from './lib/features';
export { withConfigLoader } from './lib/features/with-config-loader';
export { withLogging } from './lib/features/with-logging';
export type { ImplicitAuthLogger, ImplicitAuthLoggingOptions, ImplicitAuthLogLevel } from './lib/features/with-logging';
export { withSilentRenew } from './lib/features/with-silent-renew';
export { withStorage } from './lib/features/with-storage';
export { withTabSync } from './lib/features/with-tab-sync';
export { withUserInfo } from './lib/features/with-user-info';
export { ImplicitAuthService } from './lib/implicit-auth.service';
export type {
  AccessTokenInfo,
  AccessTokenOptions,
  AuthStatus,
  LoginOptions,
  LogoutOptions,
} from './lib/implicit-auth.service';
export { ImplicitAuthModule } from './lib/implicit-auth.module';
export { provideImplicitAuth } from './lib/provide-implicit-auth';
export { IMPLICIT_AUTH_CLOCK, IMPLICIT_AUTH_CONFIG, IMPLICIT_AUTH_FETCH } from './lib/tokens';
export type { ResolvedImplicitAuthConfig } from './lib/config/implicit-auth-config';
// ɵ: for `ngx-implicit-auth/testing` only, not part of the supported API. The fake asks the real rules.
export { resolveConfig as ɵresolveConfig } from './lib/config/resolve-config';
export { isUsable as ɵisUsable } from './lib/session/session';
export { signedOutMeanwhile as ɵsignedOutMeanwhile } from './lib/session/session-keeper';
export { toImplicitAuthError as ɵtoImplicitAuthError } from './lib/session/session-state';
// ɵ: the seams and names the in-memory OpenID provider of `ngx-implicit-auth/testing` plugs into.
export { IMPLICIT_AUTH_REDIRECT as ɵIMPLICIT_AUTH_REDIRECT } from './lib/tokens';
export { SILENT_CALLBACK_MESSAGE_TYPE as ɵSILENT_CALLBACK_MESSAGE_TYPE } from './lib/renewal/silent-callback-message';
export { STORAGE_PREFIX as ɵSTORAGE_PREFIX } from './lib/session/storage-keys';
export { IMPLICIT_AUTH_REQUEST, ImplicitAuthInterceptor, implicitAuthInterceptor } from './lib/http/auth-interceptor';
export type { ImplicitAuthRequestOptions } from './lib/http/auth-interceptor';
export { AuthGuard, authGuard, authMatchGuard } from './lib/router/auth-guard';
export type { AuthRouteRequirements } from './lib/router/auth-guard';
export { withGuardOptions } from './lib/router/guard-options';
export type { ImplicitAuthGuardOptions } from './lib/router/guard-options';
