/**
 * The longest `WWW-Authenticate` value read, in characters (8 KiB). Real challenges are a few hundred; a longer
 * one is not parsed at all, so an API (or anything between it and the app) cannot make the interceptor busy.
 */
export const MAX_WWW_AUTHENTICATE_LENGTH = 8 * 1024;

/** RFC 9110 §5.6.2 `tchar`: the characters of a token (scheme and parameter names, unquoted values). */
const TOKEN_CHAR = /^[!#$%&'*+.^_`|~0-9A-Za-z-]$/;

/**
 * Whether a `WWW-Authenticate` value holds a `Bearer` challenge with `error="invalid_token"` (the token expired or
 * was revoked; renewing may help). Scheme and parameter names are case-insensitive, the value may be quoted or
 * not, and the challenge may stand among others (`Basic realm="x", Bearer error=invalid_token`). A parameter counts
 * only for the challenge it belongs to, and text inside a quoted value is never taken for a parameter.
 *
 * One pass, left to right, every step consuming at least one character: linear time, no backtracking. A value
 * over {@link MAX_WWW_AUTHENTICATE_LENGTH} gives `false` unread.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1 (the WWW-Authenticate field: a list of challenges)
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3 (the Bearer challenge and its `error` codes)
 */
export function isInvalidTokenChallenge(header: string): boolean {
  if (header.length > MAX_WWW_AUTHENTICATE_LENGTH) return false;
  const end = header.length;
  let i = 0;
  /** Whether the challenge being read is a Bearer one. */
  let bearer = false;
  const skipSpaces = () => {
    while (i < end && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const readToken = () => {
    const start = i;
    while (i < end && TOKEN_CHAR.test(header[i])) i++;
    return header.slice(start, i);
  };
  const readQuoted = () => {
    let value = '';
    for (i++; i < end && header[i] !== '"'; i++) {
      // quoted-pair (RFC 9110 §5.6.4): the backslash escapes the next character.
      if (header[i] === '\\') i++;
      value += header[i] ?? '';
    }
    i++; // the closing quote
    return value;
  };
  while (i < end) {
    skipSpaces();
    if (header[i] === ',') {
      i++;
      continue;
    }
    const name = readToken();
    if (!name) {
      // Not a token (a token68 character such as `/`, or junk): skip it, so every step still moves on.
      i++;
      continue;
    }
    skipSpaces();
    if (header[i] !== '=') {
      // A token not followed by `=` starts a new challenge: it is the scheme (RFC 9110 §11.2, case-insensitive).
      bearer = name.toLowerCase() === 'bearer';
      continue;
    }
    i++;
    skipSpaces();
    // An auth-param: `name = token / quoted-string` (a token68's trailing `=` reads as an empty value).
    const value = header[i] === '"' ? readQuoted() : readToken();
    if (bearer && name.toLowerCase() === 'error' && value.toLowerCase() === 'invalid_token') return true;
  }
  return false;
}
