/**
 * Browser pages for the bench: a fresh context each (own cookies and storage), the e2e harness's bounded waits,
 * and a console log kept for error messages. `evaluateWithin` bounds `page.evaluate`, which has no timeout of
 * its own: a request that never answers must fail the bench, not hang it.
 */
import { ACTION_TIMEOUT_MS } from '../../e2e/support/stack.mjs';

export async function newBenchPage(browser) {
  const context = await browser.newContext();
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
  const page = await context.newPage();
  // `browserLog` is the name the e2e helpers (waitForTestIdText) read when they report a timeout.
  page.browserLog = [];
  page.on('console', (message) => page.browserLog.push(`console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => page.browserLog.push(`uncaught: ${error.message}`));
  return page;
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
