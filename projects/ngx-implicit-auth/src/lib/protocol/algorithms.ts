/** Asymmetric JWS algorithms an ID token may be signed with. `none` and HS* are never accepted. */
export type IdTokenSigningAlgorithm =
  'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

/**
 * Every algorithm the library can verify, the only ones `algorithms` may list. Symmetric (HS*) ones are left out
 * on purpose: a public client's secret is no secret, so an HS-signed ID token proves nothing (RFC 8725 §3.1).
 * @see https://www.rfc-editor.org/rfc/rfc8725#section-3.1
 */
export const ID_TOKEN_SIGNING_ALGORITHMS: readonly IdTokenSigningAlgorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/**
 * The asymmetric JWS algorithms an ID token may use, as a pattern; group 1 is the SHA-2 size. `none` and HS*
 * never match.
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.1
 */
export const ASYMMETRIC_ALGORITHM = /^(?:[RPE]S(256|384|512)|EdDSA)$/;
