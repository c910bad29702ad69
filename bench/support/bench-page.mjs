/**
 * Browser pages for the bench: a fresh context each (own cookies and storage), the e2e harness's bounded waits,
 * and a console log kept for error messages. `evaluateWithin` bounds `page.evaluate`, which has no timeout of
 * its own: a request that never answers must fail the bench, not hang it.
 */
import { newBrowserPage } from '../../e2e/support/browser.mjs';
import { ACTION_TIMEOUT_MS } from '../../e2e/support/stack.mjs';

export function newBenchPage(browser) {
  return newBrowserPage(browser, ACTION_TIMEOUT_MS);
}

/** `page.evaluate(fn, arg)`, failing after `timeoutMs` with `what` in the message. */
export async function evaluateWithin(page, what, timeoutMs, fn, arg) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([page.evaluate(fn, arg), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The last lines of the page's console, for an error message. */
export function browserLogTail(page, lines = 15) {
  return (page.browserLog ?? []).slice(-lines).join('\n') || '(empty)';
}
