// Apart from `return-url.ts`: `logout()` checks its `returnTo` at once, in the initial code; a sign-in's return URL
// is checked by the on-demand code, which alone needs `toSafeReturnUrl`.

/**
 * `value` resolved against `origin` by the browser's URL parser, if it lands on that origin (`//evil`,
 * `/\\evil`, `javascript:` and other origins do not); else `null`.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.11
 */
export function sameOriginHref(value: string, origin: string): string | null {
  try {
    const url = new URL(value, origin);
    return url.origin === origin ? url.href : null;
  } catch {
    // Not a URL at all: treated like one on another origin.
    return null;
  }
}
