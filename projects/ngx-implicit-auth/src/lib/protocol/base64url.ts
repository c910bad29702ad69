import { ImplicitAuthError, type ImplicitAuthErrorCode } from '../errors';

/**
 * Base64url without padding (RFC 4648 §5), as JOSE uses it.
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-2
 */
export function encodeBase64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * Decodes strict base64url (no padding, no whitespace, no `+`/`/`) to a JSON object.
 * Anything else — bad characters, invalid UTF-8, non-JSON, a JSON array or primitive — throws `code`.
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-2
 */
export function decodeBase64urlJson(value: string, code: ImplicitAuthErrorCode): Record<string, unknown> {
  let parsed: unknown;
  if (/^[\w-]+$/.test(value) && value.length % 4 !== 1) {
    try {
      const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
      // A plain loop: `Uint8Array.from(binary, mapFn)` goes through the string iterator, ~6× slower for a payload.
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (error: unknown) {
      // atob, the fatal TextDecoder and JSON.parse report malformed input by throwing.
      throw new ImplicitAuthError(
        code,
        typeof ngDevMode === 'undefined' || ngDevMode ? 'malformed base64url JSON' : '',
        { cause: error },
      );
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ImplicitAuthError(code, typeof ngDevMode === 'undefined' || ngDevMode ? 'malformed base64url JSON' : '');
  }
  return parsed as Record<string, unknown>;
}
