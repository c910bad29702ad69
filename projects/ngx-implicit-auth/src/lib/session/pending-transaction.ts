import type { Expectation } from '../flows/provider-port';

/** A sign-in that left for the provider and has not come back yet: what it asked for, and where to return. */
export interface PendingTransaction extends Expectation {
  readonly returnUrl: string;
  /** `login({ appState })`, handed back after the callback. */
  readonly appState?: unknown;
  /** Milliseconds since the epoch after which the callback is refused. */
  readonly expiresAt: number;
}

/** The pending sign-ins as start-up reads them: looked at, never changed (see `createTransactionStore`). */
export interface PendingTransactions {
  /** Reads without consuming (to pick the return URL before validation finishes). */
  peek(state: string): PendingTransaction | null;
}

/**
 * The pending sign-ins kept under `prefix` + `state` in `storage`, read only. Start-up needs no more (the return
 * URL of a callback); keeping and taking them (`transaction-store.ts`) comes with the on-demand code.
 */
export function pendingTransactions(storage: Storage | undefined, prefix: string): PendingTransactions {
  return {
    peek(state) {
      try {
        const value = storage?.getItem(prefix + state);
        return value ? (JSON.parse(value) as PendingTransaction) : null;
      } catch {
        // A corrupt or inaccessible entry is treated like no entry: the callback is then refused.
        return null;
      }
    },
  };
}
