/**
 * Runs `task` for `key` unless a run for `key` is already under way, in which case its promise is shared.
 * Once that run settles, the next call starts a new one.
 */
export type SingleFlight<K, T> = (key: K, task: () => Promise<T>) => Promise<T>;

/**
 * Per-key single flight: the guard, the interceptor and the timer asking for the same audience at once get
 * one renewal (one iframe, one `state`), not three racing ones whose answers would overwrite each other.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest (each prompt=none request, §3.1.2.1)
 */
export function createSingleFlight<K, T>(): SingleFlight<K, T> {
  const inFlight = new Map<K, Promise<T>>();
  return (key, task) => {
    let run = inFlight.get(key);
    if (!run) {
      // The executor turns a synchronous throw of `task` into a rejection every caller sees.
      run = new Promise<T>((resolve) => resolve(task())).finally(() => inFlight.delete(key));
      inFlight.set(key, run);
    }
    return run;
  };
}
