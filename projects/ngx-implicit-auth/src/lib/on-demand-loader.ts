import { ImplicitAuthError, isImplicitAuthError } from './errors';
import { withDeadline } from './protocol/deadline';

/**
 * Loads the library's on-demand code (`on-demand.ts`, a lazy chunk) with `load`. An `import()` cannot be aborted:
 * past `timeoutMs` it is given up (`network_timeout`); a chunk that fails to download (offline, a new deployment)
 * is `network_error`. The caller forgets a failed load, so the next use imports again.
 * @see https://html.spec.whatwg.org/multipage/webappapis.html#integration-with-the-javascript-module-system
 */
export function loadOnDemand(
  load: () => Promise<typeof import('./on-demand')>,
  timeoutMs: number,
): Promise<typeof import('./on-demand')> {
  const timedOut = () =>
    new ImplicitAuthError('network_timeout', `The library's on-demand code did not load within ${timeoutMs} ms`);
  return withDeadline(timeoutMs, timedOut, load).catch((error: unknown) => {
    if (isImplicitAuthError(error, 'network_timeout')) throw error;
    throw new ImplicitAuthError('network_error', "Could not load the library's on-demand code", { cause: error });
  });
}
