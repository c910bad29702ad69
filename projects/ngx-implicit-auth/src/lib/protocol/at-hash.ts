import { ImplicitAuthError } from '../errors';
import { ASYMMETRIC_ALGORITHM, type IdTokenSigningAlgorithm } from './algorithms';
import { encodeBase64url } from './base64url';

/**
 * Computes `at_hash`: base64url of the left-most half of the hash of the access token's ASCII octets, using the hash
 * of the ID token's `alg` (RS256/PS256/ES256 → SHA-256, …384 → SHA-384, …512 → SHA-512).
 *
 * `EdDSA`: SHA-512, the hash inside Ed25519 (RFC 8032 §5.1), as agreed by the OpenID Connect working group (OIDF
 * connect issue #1125); Ed448 (SHAKE256) is not supported, matching the Ed25519-only key selection in `jwks.ts`.
 *
 * @throws {ImplicitAuthError} `unsupported_algorithm` for any other `alg`.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ImplicitIDToken (§3.2.2.10)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ImplicitTokenValidation (§3.2.2.9)
 */
export async function computeAtHash(accessToken: string, alg: IdTokenSigningAlgorithm): Promise<string> {
  const match = ASYMMETRIC_ALGORITHM.exec(alg);
  if (!match)
    throw new ImplicitAuthError(
      'unsupported_algorithm',
      typeof ngDevMode === 'undefined' || ngDevMode ? `at_hash: unsupported alg ${alg}` : '',
    );
  const digest = new Uint8Array(
    await crypto.subtle.digest(`SHA-${match[1] ?? 512}`, new TextEncoder().encode(accessToken)),
  );
  return encodeBase64url(digest.subarray(0, digest.length / 2));
}
