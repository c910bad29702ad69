import { ImplicitAuthError } from '../errors';
import { type PendingTransaction, pendingTransactions } from './pending-transaction';

export type { PendingTransaction } from './pending-transaction';

/**
 * Pending sign-ins, one sessionStorage entry per `state`, so they survive the redirect and two sign-ins
 * (e.g. two tabs, or a tab duplicated mid-sign-in) never overwrite each other. Only the flows keep and take them,
 * so this comes with the on-demand code; start-up only peeks (`pendingTransactions`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7 (CSRF protection with a one-time `state`)
 */
export function createTransactionStore(storage: Storage | undefined, prefix: string) {
  const { peek } = pendingTransactions(storage, prefix);
  return {
    /**
     * Keeps `transaction` for its callback. Unlike the optional hints this one is needed: without it the
     * callback cannot be checked, so the sign-in must not start.
     * @throws {ImplicitAuthError} `storage_failed` when sessionStorage is missing, full or disabled.
     */
    save(transaction: PendingTransaction): void {
      try {
        if (!storage) throw new Error('sessionStorage is not available');
        storage.setItem(prefix + transaction.state, JSON.stringify(transaction));
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
    peek,
    /** Reads and deletes: a `state` is good for one response only, so a replayed callback is refused. */
    take(state: string): PendingTransaction | null {
      const transaction = peek(state);
      storage?.removeItem(prefix + state);
      return transaction;
    },
    /** Drops transactions whose callback never came, so abandoned sign-ins do not pile up. */
    prune(now: number): void {
      if (!storage) return;
      for (let i = storage.length - 1; i >= 0; i--) {
        const name = storage.key(i);
        if (name?.startsWith(prefix)) {
          const transaction = peek(name.slice(prefix.length));
          if (!transaction || transaction.expiresAt <= now) storage.removeItem(name);
        }
      }
    },
  };
}

export type TransactionStore = ReturnType<typeof createTransactionStore>;
