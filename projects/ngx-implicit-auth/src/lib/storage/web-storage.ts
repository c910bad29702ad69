/** Web Storage, or nothing where the browser refuses it (some privacy modes throw on access). */
export function storageOf(window: Window | null, kind: 'sessionStorage' | 'localStorage'): Storage | undefined {
  try {
    return window?.[kind];
  } catch {
    // Storage blocked by the browser: pending sign-ins then cannot survive the redirect and are refused.
    return undefined;
  }
}
