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

/**
 * A short, stable fingerprint of the user (issuer and subject), for the browser-wide hint of whose session began
 * last: telling users apart without writing their identifier to localStorage. FNV-1a, 32 bits: a collision only
 * makes a tab adopt a fresh, validated session for the user the provider reports.
 */
export function userFingerprint(claims: IdTokenClaims | null | undefined): string {
  let hash = 0x811c9dc5;
  for (const char of `${claims?.iss ?? ''}\n${claims?.sub ?? ''}`) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}
