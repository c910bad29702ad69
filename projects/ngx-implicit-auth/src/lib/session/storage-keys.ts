/** Where one app (issuer + client id) keeps what it writes: every key, the tab channel and the lock. */
export interface StorageKeys {
  /** The BroadcastChannel and Web Locks name; the other keys extend it. */
  readonly namespace: string;
  /** The session (sessionStorage or the app's `TokenStore`). */
  readonly session: string;
  /** localStorage: whether this browser holds a session, so a reload tries a silent restore. */
  readonly hadSession: string;
  /** sessionStorage: when this tab last signed in interactively (blocked third-party cookie detection). */
  readonly signedInAt: string;
  /** sessionStorage: the prefix of pending sign-ins, one entry per `state`. */
  readonly transactionPrefix: string;
  /** sessionStorage: the sign-in the guard last started (its Back-button loop breaker). */
  readonly guardAttempt: string;
  /** sessionStorage: the ID token kept as `id_token_hint` (`silentRenew.idTokenHint: 'session'`). */
  readonly idTokenHint: string;
  /** sessionStorage: the clock offset learned from the provider (`clock: 'provider'`). */
  readonly clockOffset: string;
  /** sessionStorage: the `state` of the RP-initiated logout under way. */
  readonly logoutState: string;
}

/** What every name the library writes under (storage keys, the tab channel, the lock) begins with. */
export const STORAGE_PREFIX = 'ngx-implicit-auth:';

/**
 * Every name the library writes under, derived from the issuer and the client id. Two apps on one origin (or
 * one app pointed at two providers) then never read each other's session, pending sign-ins or hints, nor hear
 * each other's tabs. Both parts are percent-encoded, so no issuer and client id pair can spell another's.
 */
export function storageKeys(issuer: string, clientId: string): StorageKeys {
  const namespace = `${STORAGE_PREFIX}${encodeURIComponent(issuer)}:${encodeURIComponent(clientId)}`;
  return {
    namespace,
    session: `${namespace}.session`,
    hadSession: `${namespace}.had-session`,
    signedInAt: `${namespace}.signed-in-at`,
    transactionPrefix: `${namespace}.tx.`,
    guardAttempt: `${namespace}.guard`,
    idTokenHint: `${namespace}.id-token-hint`,
    clockOffset: `${namespace}.clock-offset`,
    logoutState: `${namespace}.logout-state`,
  };
}
