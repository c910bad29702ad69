import type { ResolvedImplicitAuthConfig } from '../config/implicit-auth-config';
import { ImplicitAuthError } from '../errors';
import type { ImplicitAuthFeatureKind } from '../features';

/**
 * Dev mode only (the caller guards it): features that contradict the config fail start-up with an `invalid_config`
 * naming both, instead of doing nothing at run time.
 */
export function checkFeatures(config: ResolvedImplicitAuthConfig, kinds: readonly ImplicitAuthFeatureKind[]): void {
  const contradiction = (problem: string) => {
    throw new ImplicitAuthError('invalid_config', problem && `ngx-implicit-auth: ${problem}`);
  };
  const { responseType, silentRenew } = config;
  // OIDC Core §5.3: UserInfo answers an access token, and its `sub` is checked against the ID token's.
  if (kinds.includes('user-info') && responseType !== 'id_token token') {
    contradiction(
      typeof ngDevMode === 'undefined' || ngDevMode
        ? `withUserInfo() needs an ID token and an access token: not with responseType '${responseType}'`
        : '',
    );
  }
  if (silentRenew && silentRenew.idTokenHint === 'session' && responseType === 'token') {
    contradiction(
      typeof ngDevMode === 'undefined' || ngDevMode
        ? "withSilentRenew({ idTokenHint: 'session' }) keeps an ID token: not with responseType 'token'"
        : '',
    );
  }
}
