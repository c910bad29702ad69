import { type ImplicitAuthFeature, makeFeature } from '../features';
import { IMPLICIT_AUTH_FEATURE_PARTS, type ImplicitAuthParts } from '../tokens';

/**
 * After each sign-in and renewal, loads the provider's UserInfo with the access token (in the `Authorization`
 * header, never the URL) and merges its claims under the ID token's, which win. Its `sub` must equal the ID
 * token's (`userinfo_sub_mismatch` otherwise: the claims would be about someone else). Needs an ID token and an
 * access token (`responseType: 'id_token token'`).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo (§5.3)
 */
export function withUserInfo(): ImplicitAuthFeature<'user-info'> {
  // Only the switch: the request itself (`protocol/userinfo.ts`) is in the on-demand code, which the callback loads.
  const part: ImplicitAuthParts = { userInfo: true };
  return makeFeature('user-info', [{ provide: IMPLICIT_AUTH_FEATURE_PARTS, multi: true, useValue: part }]);
}
