import { ImplicitAuthError } from '../errors';
import { encodeBase64url } from './base64url';

/**
 * A fresh unguessable value for `state` or `nonce`: `byteLength` random bytes (default 32 = 256 bits, at least 16 =
 * 128 bits) from `crypto.getRandomValues`, base64url-encoded.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 * @see https://openid.net/specs/openid-connect-core-1_0.html#NonceNotes
 */
export function generateRandomToken(byteLength = 32): string {
  // Fewer than 128 bits would make state/nonce guessable (RFC 6749 §10.10).
  if (!(byteLength >= 16 && byteLength <= 1024)) {
    throw new ImplicitAuthError(
      'invalid_config',
      typeof ngDevMode === 'undefined' || ngDevMode ? 'random token: 16 to 1024 bytes' : '',
    );
  }
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(byteLength)));
}
