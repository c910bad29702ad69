/** Web Storage, or nothing where the browser refuses it (some privacy modes throw on access). */
export function storageOf(window: Window | null, kind: 'sessionStorage' | 'localStorage'): Storage | undefined {
  try {
    return window?.[kind];
  } catch {
    // Storage blocked by the browser: pending sign-ins then cannot survive the redirect and are refused.
    return undefined;
  }
}

/** A storage for optional hints: reading and writing never throw, and a failed write costs only the hint. */
export interface HintStorage {
  get(key: string): string | null;
  /** Whether the value was written. */
  set(key: string, value: string): boolean;
  remove(key: string): void;
}

/**
 * `storage` for values the library can do without (whether a session existed, when the tab last signed in, the
 * guard's loop breaker, an `id_token_hint`). A full or disabled storage (quota, Safari private mode, a policy)
 * throws on `setItem`; that must never break a sign-in, so every failure is caught and, in dev mode, reported
 * once per storage.
 */
export function hintStorage(storage: Storage | undefined, name: string): HintStorage {
  let reported = false;
  const attempt = <T>(run: (store: Storage) => T, fallback: T): T => {
    try {
      return storage ? run(storage) : fallback;
    } catch (error: unknown) {
      // Best effort by design (see above): report once in dev mode, then carry on without the hint.
      if (!reported && (typeof ngDevMode === 'undefined' || ngDevMode)) {
        reported = true;
        console.warn(`ngx-implicit-auth: ${name} cannot be written; optional hints are skipped.`, error);
      }
      return fallback;
    }
  };
  return {
    get: (key) => attempt((store) => store.getItem(key), null),
    set: (key, value) => attempt((store) => (store.setItem(key, value), true), false),
    remove: (key) => attempt((store) => store.removeItem(key), undefined),
  };
}
