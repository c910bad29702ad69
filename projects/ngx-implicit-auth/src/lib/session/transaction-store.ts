import { ImplicitAuthError } from '../errors';
import type { Expectation } from '../flows/provider-port';

/** A sign-in that left for the provider and has not come back yet: what it asked for, and where to return. */
export interface PendingTransaction extends Expectation {
  readonly returnUrl: string;
  /** `login({ appState })`, handed back after the callback. */
  readonly appState?: unknown;
  /** Milliseconds since the epoch after which the callback is refused. */
  readonly expiresAt: number;
}

/**
 * Pending sign-ins, one sessionStorage entry per `state`, so they survive the redirect and two sign-ins
 * (e.g. two tabs, or a tab duplicated mid-sign-in) never overwrite each other.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7 (CSRF protection with a one-time `state`)
 */
export function createTransactionStore(storage: Storage | undefined, prefix: string) {
  const key = (state: string) => prefix + state;
  const read = (state: string): PendingTransaction | null => {
    try {
      const value = storage?.getItem(key(state));
      return value ? (JSON.parse(value) as PendingTransaction) : null;
    } catch {
      // A corrupt or inaccessible entry is treated like no entry: the callback is then refused.
      return null;
    }
  };
  return {
    /**
     * Keeps `transaction` for its callback. Unlike the optional hints this one is needed: without it the
     * callback cannot be checked, so the sign-in must not start.
     * @throws {ImplicitAuthError} `storage_failed` when sessionStorage is missing, full or disabled.
     */
    save(transaction: PendingTransaction): void {
      try {
        if (!storage) throw new Error('sessionStorage is not available');
        storage.setItem(key(transaction.state), JSON.stringify(transaction));
      } catch (error: unknown) {
        // Reported as what it is, not as a provider or validation failure.
        throw new ImplicitAuthError(
          'storage_failed',
          typeof ngDevMode === 'undefined' || ngDevMode
            ? 'The pending sign-in could not be kept in sessionStorage'
            : '',
          {
            cause: error,
          },
        );
      }
    },
    /** Reads without consuming (to pick the return URL before validation finishes). */
    peek: read,
    /** Reads and deletes: a `state` is good for one response only, so a replayed callback is refused. */
    take(state: string): PendingTransaction | null {
      const transaction = read(state);
      storage?.removeItem(key(state));
      return transaction;
    },
    /** Drops transactions whose callback never came, so abandoned sign-ins do not pile up. */
    prune(now: number): void {
      if (!storage) return;
      for (let i = storage.length - 1; i >= 0; i--) {
        const name = storage.key(i);
        if (name?.startsWith(prefix)) {
          const transaction = read(name.slice(prefix.length));
          if (!transaction || transaction.expiresAt <= now) storage.removeItem(name);
        }
      }
    },
  };
}

export type TransactionStore = ReturnType<typeof createTransactionStore>;
