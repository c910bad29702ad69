/** The postal address claim (OIDC Core §5.1.1). */
export interface AddressClaim {
  readonly formatted?: string;
  readonly street_address?: string;
  readonly locality?: string;
  readonly region?: string;
  readonly postal_code?: string;
  readonly country?: string;
}

/**
 * The claims of a validated ID token (OIDC Core §2), with UserInfo's when `loadUserInfo` is on. The standard claims
 * are declared, so `claims()?.given_name` compiles under `noPropertyAccessFromIndexSignature`; custom ones (e.g.
 * Auth0's namespaced `https://example.com/roles`) are read, typed, with {@link readClaim}.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims (§5.1)
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
  readonly acr?: string;
  readonly amr?: readonly string[];
  readonly sid?: string;
  readonly name?: string;
  readonly given_name?: string;
  readonly family_name?: string;
  readonly middle_name?: string;
  readonly nickname?: string;
  readonly preferred_username?: string;
  readonly profile?: string;
  readonly picture?: string;
  readonly website?: string;
  readonly email?: string;
  readonly email_verified?: boolean;
  readonly gender?: string;
  readonly birthdate?: string;
  readonly zoneinfo?: string;
  readonly locale?: string;
  readonly phone_number?: string;
  readonly phone_number_verified?: boolean;
  readonly address?: AddressClaim;
  readonly updated_at?: number;
  readonly [claim: string]: unknown;
}

/**
 * A custom claim, typed: `readClaim(auth.claims(), 'https://example.com/roles', isStringArray)`. The guard checks
 * the value's shape at run time (claims come from a token, not from the compiler), so a claim of another shape is
 * `undefined` rather than a lie.
 */
export function readClaim<T>(
  claims: IdTokenClaims | null | undefined,
  name: string,
  is: (value: unknown) => value is T,
): T | undefined {
  const value = claims?.[name];
  return is(value) ? value : undefined;
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
