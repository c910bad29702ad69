import { ImplicitAuthError } from '../errors';
import { fetchJsonObject } from './fetch-json';
import { parseHttpsUrl } from './https-url';

/**
 * Fetches the UserInfo claims with the access token in the `Authorization` header only (never in the URL, where it
 * would reach logs and history), and checks that they are about the ID token's subject.
 *
 * @param expectedSub The validated ID token's `sub`.
 * @throws {ImplicitAuthError} `userinfo_sub_mismatch` when `sub` differs (token substitution: the claims are about
 *   someone else); `userinfo_failed` for a non-https endpoint, network, HTTP or JSON failures (with `cause`).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse (§5.3.2)
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export async function fetchUserInfo(
  endpoint: string,
  accessToken: string,
  expectedSub: string,
  fetchFn: typeof fetch,
): Promise<Record<string, unknown>> {
  const url = parseHttpsUrl(endpoint, 'userinfo_failed', 'userinfo_endpoint');
  const claims = await fetchJsonObject(fetchFn, url.href, 'userinfo_failed', {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  // §5.3.2: the sub Claim MUST exactly match the ID token's, else the response MUST NOT be used.
  if (claims['sub'] !== expectedSub) throw new ImplicitAuthError('userinfo_sub_mismatch', 'userinfo: sub mismatch');
  return claims;
}
