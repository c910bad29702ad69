import { ImplicitAuthError, isImplicitAuthError } from './errors';
import type { BaseFlowContext } from './flows/flow-context';
import type { AuthFlows } from './on-demand';
import { withDeadline } from './protocol/deadline';
import type { RenewalCoordinator } from './renewal/renewal-coordinator';

/**
 * Loads the library's on-demand code (`on-demand.ts`, a lazy chunk) with `load`. An `import()` cannot be aborted:
 * past `timeoutMs` it is given up (`network_timeout`); a chunk that fails to download (offline, a new deployment)
 * is `network_error`. The caller forgets a failed load, so the next use imports again.
 * @see https://html.spec.whatwg.org/multipage/webappapis.html#integration-with-the-javascript-module-system
 */
export function loadOnDemand(load: () => Promise<OnDemandModule>, timeoutMs: number): Promise<OnDemandModule> {
  const timedOut = () =>
    new ImplicitAuthError(
      'network_timeout',
      typeof ngDevMode === 'undefined' || ngDevMode
        ? `The library's on-demand code did not load within ${timeoutMs} ms`
        : '',
    );
  return withDeadline(timeoutMs, timedOut, load).catch((error: unknown) => {
    if (isImplicitAuthError(error, 'network_timeout')) throw error;
    throw new ImplicitAuthError(
      'network_error',
      typeof ngDevMode === 'undefined' || ngDevMode ? "Could not load the library's on-demand code" : '',
      {
        cause: error,
      },
    );
  });
}

/**
 * The on-demand module: the flows (`on-demand.ts`), plus the renewal coordinator when `withSilentRenew()` loads
 * `on-demand-renewal.ts` instead.
 */
export type OnDemandModule = typeof import('./on-demand') & {
  readonly createRenewalCoordinator?: typeof import('./renewal/renewal-coordinator').createRenewalCoordinator;
};

/**
 * `load`, made to work again after a failed download without a reload. A browser keeps a module fetch that failed
 * in the document's module map, so importing the same URL again fails at once, from memory, until the page reloads
 * (seen in Chromium: a chunk that answered 500 once stays failed after the server recovers). After a failure
 * whose error names the module's URL (Chromium and Firefox do), the next call imports that URL with a fresh query
 * (`?ngx-implicit-auth-retry=N`), which the browser fetches anew; a static host serves the same file. Only a
 * `.js`/`.mjs` URL on the page's own origin is imported that way (`pageUrl`); anything else is loaded as before.
 * @see https://html.spec.whatwg.org/multipage/webappapis.html#fetch-a-single-module-script (the map keeps failures)
 */
export function reimportAfterFailure(
  load: () => Promise<OnDemandModule>,
  pageUrl: () => string,
  importUrl: (url: string) => Promise<OnDemandModule> = (url) => import(/* @vite-ignore */ url),
): () => Promise<OnDemandModule> {
  let retryUrl: URL | undefined;
  let attempts = 0;
  return () =>
    (retryUrl ? importUrl(retryUrl.href) : load()).catch((error: unknown) => {
      // Why it failed is the caller's to report; here only the URL to try next time is taken from the message.
      const named = parseUrl(/(\S+)\s*$/.exec(error instanceof Error ? error.message : '')?.[1]);
      if (named && named.origin === parseUrl(pageUrl())?.origin && /\.m?js$/.test(named.pathname)) {
        named.search = `ngx-implicit-auth-retry=${++attempts}`;
        retryUrl = named;
      }
      throw error;
    });
}

function parseUrl(value: string | undefined): URL | undefined {
  try {
    return new URL(value ?? '');
  } catch {
    // Not an absolute URL (a message without one): nothing to import instead.
    return undefined;
  }
}

/** The flows bound to a service's context, and its renewal coordinator (see {@link onDemandFlows}). */
export type BoundFlows = AuthFlows & { readonly renewal: RenewalCoordinator };

/**
 * A service's on-demand flows: the chunk loaded once with `load` (within `timeoutMs`, see `loadOnDemand`; a failed
 * load is forgotten, so the next call loads again), its flows bound to `context`. With `withSilentRenew()` the chunk
 * also brings the renewal coordinator, sharing the flows' provider client, whose interactive fallback is `signIn`
 * (the service's `login()`); without it every renewal fails with `renewal_disabled`.
 */
export function onDemandFlows(
  load: () => Promise<OnDemandModule>,
  timeoutMs: number,
  context: BaseFlowContext,
  fetch: typeof globalThis.fetch,
  signIn: () => Promise<void>,
): () => Promise<BoundFlows> {
  let pending: Promise<BoundFlows> | undefined;
  const bind = ({ createAuthFlows, createRenewalCoordinator, withoutRenewal }: OnDemandModule): BoundFlows => {
    const flows = createAuthFlows(context, fetch);
    return { ...flows, renewal: createRenewalCoordinator?.(flows.context, signIn) ?? withoutRenewal(context.keeper) };
  };
  return () =>
    (pending ??= loadOnDemand(load, timeoutMs).then(bind, (error: unknown) => {
      pending = undefined;
      throw error;
    }));
}
