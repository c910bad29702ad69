import type { TabLocks } from '../renewal/tab-sync';

/** A fake Web Locks manager, with what a test needs to see. */
export interface FakeLocks extends TabLocks {
  /** Every lock name requested, in order. */
  readonly names: string[];
  /** How many requests hold or wait for `name` right now (0: the lock is free). */
  holders(name: string): number;
}

/** One browser's lock manager shared by its tabs: exclusive, first come first served, per name. */
export function createFakeLocks(): FakeLocks {
  const tails = new Map<string, Promise<unknown>>();
  const holders = new Map<string, number>();
  const names: string[] = [];
  return {
    names,
    holders: (name) => holders.get(name) ?? 0,
    request(name, options, callback) {
      names.push(name);
      // `ifAvailable`: granted only if nobody holds or waits for it; else the callback runs at once with null.
      if (options.ifAvailable && (holders.get(name) ?? 0) > 0) return callback(null);
      holders.set(name, (holders.get(name) ?? 0) + 1);
      // Released when the callback's promise settles, fulfilled or rejected, as the Web Locks API does.
      const granted = (tails.get(name) ?? Promise.resolve())
        .then(() => callback({ name }))
        .finally(() => holders.set(name, (holders.get(name) ?? 1) - 1));
      tails.set(
        name,
        granted.catch(() => undefined),
      );
      return granted;
    },
  };
}
