import { ImplicitAuthError } from '../errors';
import { DEFAULT_NETWORK_TIMEOUT_MS } from './deadline';
import { fetchJsonObject } from './fetch-json';
import { parseHttpsUrl } from './parse-https-url';

/**
 * Fetches the UserInfo claims with the access token in the `Authorization` header only (never in the URL, where it
 * would reach logs and history), and checks that they are about the ID token's subject.
 *
 * @param expectedSub The validated ID token's `sub`.
 * @param timeoutMs How long to wait for the claims. Default 10000.
 * @throws {ImplicitAuthError} `userinfo_sub_mismatch` when `sub` differs (token substitution: the claims are about
 *   someone else); `network_timeout` / `network_error` when no answer came in time / at all (with `cause`);
 *   `userinfo_failed` for a non-https endpoint, HTTP or JSON failures.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse (§5.3.2)
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export async function fetchUserInfo(
  endpoint: string,
  accessToken: string,
  expectedSub: string,
  fetchFn: typeof fetch,
  timeoutMs = DEFAULT_NETWORK_TIMEOUT_MS,
): Promise<Record<string, unknown>> {
  const url = parseHttpsUrl(endpoint, 'userinfo_failed', 'userinfo_endpoint');
  const claims = await fetchJsonObject(fetchFn, url.href, 'userinfo_failed', {
    headers: { Authorization: `Bearer ${accessToken}` },
    timeoutMs,
  });
  // §5.3.2: the sub Claim MUST exactly match the ID token's, else the response MUST NOT be used.
  if (claims['sub'] !== expectedSub)
    throw new ImplicitAuthError(
      'userinfo_sub_mismatch',
      typeof ngDevMode === 'undefined' || ngDevMode ? 'userinfo: sub mismatch' : '',
    );
  return claims;
}
