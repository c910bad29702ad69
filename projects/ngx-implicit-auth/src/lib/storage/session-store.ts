import type { IdTokenClaims } from '../claims';
import type { TokenStore, TokenStorageKind } from '../config';

/** An access token kept for one audience. */
export interface StoredAccessToken {
  readonly token: string;
  readonly expiresAt: number;
  /** When it was received (ms since the epoch): with `expiresAt`, its lifetime. */
  readonly receivedAt?: number;
  readonly scopes: readonly string[];
}

/** Everything the app holds for the signed-in user. */
export interface Session {
  readonly idToken?: string;
  readonly claims: IdTokenClaims | null;
  /** Access tokens by audience (`''` for the provider's default audience). */
  readonly accessTokens: Readonly<Record<string, StoredAccessToken>>;
}

const KEY = 'ngx-implicit-auth.session';

/** Whether `value` has the shape of a {@link Session} (for values read back from storage or other tabs). */
export function isSession(value: unknown): value is Session {
  const session = value as Session | null;
  return (
    typeof session === 'object' &&
    session !== null &&
    typeof session.accessTokens === 'object' &&
    session.accessTokens !== null &&
    Object.values(session.accessTokens).every(
      (token) => typeof token?.token === 'string' && typeof token.expiresAt === 'number' && Array.isArray(token.scopes),
    ) &&
    (session.claims === null || (typeof session.claims === 'object' && typeof session.claims.sub === 'string'))
  );
}

/**
 * Where the session lives between page loads: nowhere (`memory`, the default: a reload restores it
 * silently), the tab's sessionStorage, or a store of the app's own.
 */
export function createSessionStore(kind: TokenStorageKind | TokenStore, sessionStorage: Storage | undefined) {
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
  return {
    /**
     * The kept session, without the access tokens that expired by `now`; `null` (and the entry dropped) when
     * neither a live ID token nor a live access token is left.
     */
    load(now: number): Session | null {
      try {
        const value = store?.get(KEY);
        const kept: unknown = value ? JSON.parse(value) : null;
        if (!isSession(kept)) return null;
        const accessTokens = Object.fromEntries(
          Object.entries(kept.accessTokens).filter(([, token]) => token.expiresAt > now),
        );
        if ((kept.claims && kept.claims.exp * 1000 > now) || Object.keys(accessTokens).length > 0) {
          return { ...kept, accessTokens };
        }
        store?.remove(KEY);
        return null;
      } catch {
        // A corrupt entry is dropped rather than trusted; the user is restored or signs in again.
        store?.remove(KEY);
        return null;
      }
    },
    save(session: Session): void {
      store?.set(KEY, JSON.stringify(session));
    },
    clear(): void {
      store?.remove(KEY);
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
