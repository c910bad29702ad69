import type { TokenStore, TokenStorageKind } from '../config/implicit-auth-config';
import { ImplicitAuthError } from '../errors';
import { belongsTo, isSession, isUsable, type Session, type SessionOwner } from './session';

/**
 * Where the session lives between page loads: nowhere (`memory`, the default: a reload restores it
 * silently), the tab's sessionStorage, or a store of the app's own; always under `key`, which names the app.
 */
export function createSessionStore(
  kind: TokenStorageKind | TokenStore,
  sessionStorage: Storage | undefined,
  key: string,
  owner: SessionOwner,
  skewMs: number,
) {
  const store: Pick<TokenStore, 'get' | 'set' | 'remove'> | null =
    kind === 'memory'
      ? null
      : kind === 'session'
        ? {
            get: (k) => sessionStorage?.getItem(k) ?? null,
            set: (k, v) => sessionStorage?.setItem(k, v),
            remove: (k) => sessionStorage?.removeItem(k),
          }
        : kind;
  const remove = () => {
    try {
      store?.remove(key);
    } catch {
      // Nothing more to do: a store that can neither write nor delete holds nothing this app will read back
      // that `load` would not check again.
    }
  };
  return {
    /**
     * The kept session, without the access tokens no longer usable at `now` (see `isUsable`); `null` (and the entry dropped) when
     * neither a live ID token nor a live access token is left, or when it is not this app's. The ID token's `exp`
     * is the provider's time: `clockOffsetMs` (device ahead of provider) brings it to the device's.
     */
    load(now: number, clockOffsetMs = 0): Session | null {
      try {
        const value = store?.get(key);
        const kept: unknown = value ? JSON.parse(value) : null;
        if (kept === null) return null;
        if (!isSession(kept) || !belongsTo(kept, owner)) {
          remove();
          return null;
        }
        const accessTokens = Object.fromEntries(
          Object.entries(kept.accessTokens).filter(([, token]) => isUsable(token, now, skewMs)),
        );
        if ((kept.claims && kept.claims.exp * 1000 + clockOffsetMs > now) || Object.keys(accessTokens).length > 0) {
          return { ...kept, accessTokens };
        }
        remove();
        return null;
      } catch {
        // A corrupt entry is dropped rather than trusted; the user is restored or signs in again.
        remove();
        return null;
      }
    },
    /**
     * Keeps `session`, all or nothing: when the store refuses the write (quota, disabled storage), any older
     * entry is removed too, so a reload never finds half of this session or the one before it.
     * @throws {ImplicitAuthError} `storage_failed`, with the store's error as `cause`.
     */
    save(session: Session): void {
      try {
        store?.set(key, JSON.stringify(session));
      } catch (error: unknown) {
        // Reported to the caller, which keeps the session in memory for this page load.
        remove();
        throw new ImplicitAuthError(
          'storage_failed',
          typeof ngDevMode === 'undefined' || ngDevMode ? 'The session could not be kept in storage' : '',
          {
            cause: error,
          },
        );
      }
    },
    clear(): void {
      remove();
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
