/** How long one wait on the network may take by default: discovery, JWKS, UserInfo, the on-demand chunk. */
export const DEFAULT_NETWORK_TIMEOUT_MS = 10_000;

/**
 * Settles like `work`, or rejects with `timedOut()` once `timeoutMs` have passed, whichever comes first. `work`
 * gets a signal aborted at that moment (with the same error as reason), so a `fetch` given it stops too; the
 * deadline holds even for work that ignores the signal (a custom `fetch`, a dynamic `import()`). The timer is
 * cleared as soon as `work` settles.
 *
 * Like `AbortSignal.timeout()`, but one timer for both the signal and the race, cleared on success.
 * @see https://dom.spec.whatwg.org/#dom-abortsignal-timeout
 * @see https://fetch.spec.whatwg.org/#dom-requestinit-signal
 */
export function withDeadline<T>(
  timeoutMs: number,
  timedOut: () => Error,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = timedOut();
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  return Promise.race([work(controller.signal), expired]).finally(() => clearTimeout(timer));
}
