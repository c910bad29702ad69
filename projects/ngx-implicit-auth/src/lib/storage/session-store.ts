import type { IdTokenClaims } from '../claims';
import type { TokenStore, TokenStorageKind } from '../config/implicit-auth-config';
import { ImplicitAuthError } from '../errors';

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
  /** The issuer and client the tokens were issued under: a session is only ever used by that app. */
  readonly issuer: string;
  readonly clientId: string;
  /**
   * When this session began (ms since the epoch): an interactive sign-in's completion, or the start of the
   * silent request that began it. Renewals keep it. A tab refuses a session from another tab that began before
   * the last sign-out it knows of, so a renewal finishing late anywhere cannot sign the user back in.
   */
  readonly startedAt: number;
  readonly idToken?: string;
  readonly claims: IdTokenClaims | null;
  /** Access tokens by audience (`''` for the provider's default audience). */
  readonly accessTokens: Readonly<Record<string, StoredAccessToken>>;
}

/** The app a session must belong to. */
export interface SessionOwner {
  readonly issuer: string;
  readonly clientId: string;
}

/** Whether `value` has the shape of a {@link Session} (for values read back from storage or other tabs). */
export function isSession(value: unknown): value is Session {
  const session = value as Session | null;
  return (
    typeof session === 'object' &&
    session !== null &&
    typeof session.issuer === 'string' &&
    typeof session.clientId === 'string' &&
    typeof session.startedAt === 'number' &&
    Number.isFinite(session.startedAt) &&
    (session.idToken === undefined || typeof session.idToken === 'string') &&
    typeof session.accessTokens === 'object' &&
    session.accessTokens !== null &&
    Object.values(session.accessTokens).every(
      (token) => typeof token?.token === 'string' && typeof token.expiresAt === 'number' && Array.isArray(token.scopes),
    ) &&
    (session.claims === null || (typeof session.claims === 'object' && typeof session.claims.sub === 'string'))
  );
}

/**
 * Whether a session (kept in storage, or sent by another tab) was issued to this app: issued under the configured
 * issuer and client id, and, with an ID token, one whose validated `iss` is the issuer and whose `aud` includes
 * the client id. Anything else (another app on the origin, a provider changed in the config) is never used.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation (§3.1.3.7 rules 2–3)
 */
export function belongsTo(session: Session, { issuer, clientId }: SessionOwner): boolean {
  if (session.issuer !== issuer || session.clientId !== clientId) return false;
  const claims = session.claims;
  if (!claims) return true;
  const audiences: readonly unknown[] = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  return claims.iss === issuer && audiences.includes(clientId);
}

/**
 * Where the session lives between page loads: nowhere (`memory`, the default: a reload restores it
 * silently), the tab's sessionStorage, or a store of the app's own; always under `key`, which names the app.
 */
export function createSessionStore(
  kind: TokenStorageKind | TokenStore,
  sessionStorage: Storage | undefined,
  key: string,
  owner: SessionOwner,
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
     * The kept session, without the access tokens that expired by `now`; `null` (and the entry dropped) when
     * neither a live ID token nor a live access token is left, or when it is not this app's.
     */
    load(now: number): Session | null {
      try {
        const value = store?.get(key);
        const kept: unknown = value ? JSON.parse(value) : null;
        if (kept === null) return null;
        if (!isSession(kept) || !belongsTo(kept, owner)) {
          remove();
          return null;
        }
        const accessTokens = Object.fromEntries(
          Object.entries(kept.accessTokens).filter(([, token]) => token.expiresAt > now),
        );
        if ((kept.claims && kept.claims.exp * 1000 > now) || Object.keys(accessTokens).length > 0) {
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
        throw new ImplicitAuthError('storage_failed', 'The session could not be kept in storage', { cause: error });
      }
    },
    clear(): void {
      remove();
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
