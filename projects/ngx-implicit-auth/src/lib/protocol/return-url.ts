import { ImplicitAuthError } from '../errors';

/**
 * Turns a return URL into a same-origin relative URL (path + query + fragment), or refuses it: the app navigates to
 * it after sign-in, so anything else would be an open redirect or script injection.
 *
 * Refused: other origins (`https://evil.example`, `//evil.example`, `/\evil.example`), any backslash, `javascript:`
 * and `data:` URLs, control characters (browsers drop tabs and newlines, so `/\t/evil.example` would become
 * `//evil.example`), and a result that starts with `//`. An absolute URL on `origin` is reduced to its path.
 *
 * @param origin The app's origin, e.g. `https://app.example`.
 * @throws {ImplicitAuthError} `invalid_return_url`
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.11
 */
export function toSafeReturnUrl(returnUrl: string, origin: string): string {
  const fail = (cause?: unknown) =>
    new ImplicitAuthError(
      'invalid_return_url',
      typeof ngDevMode === 'undefined' || ngDevMode ? 'unsafe return URL' : '',
      { cause },
    );
  if (typeof returnUrl !== 'string' || /[\\\u0000-\u001f\u007f]/.test(returnUrl)) throw fail();
  let url: URL;
  let base: URL;
  try {
    base = new URL(origin);
    url = new URL(returnUrl, base);
  } catch (error: unknown) {
    // An unparsable URL cannot be proven same-origin.
    throw fail(error);
  }
  const relative = url.pathname + url.search + url.hash;
  // Same origin and scheme (a `blob:` URL reports its creator's origin); and `/.//evil.example` normalises to the
  // path `//evil.example`, which a browser would read as another host.
  if (url.origin !== base.origin || url.protocol !== base.protocol || !/^\/(?!\/)/.test(relative)) throw fail();
  return relative;
}
