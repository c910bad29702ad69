/**
 * The claims of a validated ID token (OIDC Core §2). Custom claims (e.g. Auth0's namespaced ones)
 * are read with brackets: `claims['https://example.com/roles']`.
 */
export interface IdTokenClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string | readonly string[];
  readonly exp: number;
  readonly iat: number;
  readonly nonce?: string;
  readonly azp?: string;
  readonly at_hash?: string;
  readonly auth_time?: number;
  readonly name?: string;
  readonly email?: string;
  readonly [claim: string]: unknown;
}

/** Whether two sets of claims are about the same user of the same issuer. */
export function sameUser(a: IdTokenClaims | null | undefined, b: IdTokenClaims | null | undefined): boolean {
  return a?.sub === b?.sub && a?.iss === b?.iss;
}
