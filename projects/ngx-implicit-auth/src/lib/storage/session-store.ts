import type { IdTokenClaims } from '../claims';
import type { TokenStore, TokenStorageKind } from '../config';

/** An access token kept for one audience. */
export interface StoredAccessToken {
  readonly token: string;
  readonly expiresAt: number;
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
    load(): Session | null {
      try {
        const value = store?.get(KEY);
        const session = value ? (JSON.parse(value) as Session) : null;
        return session && typeof session.accessTokens === 'object' ? session : null;
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
