import type { IdTokenClaims } from '../claims';

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
 * Until when a kept access token is handed out (ms since the epoch): its expiry less the clock skew, since a token
 * that close to its end would likely be refused on arrival; the margin is capped at half the token's lifetime, or a
 * token shorter-lived than the skew would never be used. The one lifetime rule: the session, the store, the
 * renewal schedule and the testing fake all ask it.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.2 (expires_in)
 */
export function usableUntil(token: StoredAccessToken, skewMs: number): number {
  const lifetime = token.expiresAt - (token.receivedAt ?? 0);
  return token.expiresAt - Math.min(skewMs, lifetime / 2);
}

/** Whether `token` may be handed out at `now` (see {@link usableUntil}). */
export function isUsable(token: StoredAccessToken, now: number, skewMs: number): boolean {
  return usableUntil(token, skewMs) > now;
}
