/**
 * Browser-side helpers the specs share: waiting on the demo's test ids and signing in at the dev IdP.
 * Every wait has a bound; a timeout names what was awaited and what the page showed instead.
 */
import { ACTION_TIMEOUT_MS } from './stack.mjs';

/**
 * Waits until the element with `data-testid=testId` shows text matching `pattern`, and returns the text.
 * Plain waits in playwright-core have no text matcher with a readable failure, hence this one.
 */
export async function waitForTestIdText(page, testId, pattern, { timeout = ACTION_TIMEOUT_MS } = {}) {
  const locator = page.getByTestId(testId);
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    // The element may not exist yet (the app is still booting): keep polling until the deadline.
    last = (await locator.textContent({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => null))?.trim();
    if (last !== undefined && last !== null && pattern.test(last)) return last;
    await page.waitForTimeout(50);
  }
  throw new Error(
    `Timed out after ${timeout} ms waiting for [data-testid=${testId}] to match ${pattern}; ` +
      `last text: ${JSON.stringify(last ?? null)}.\nBrowser log:\n${(page.browserLog ?? []).join('\n') || '(empty)'}`,
  );
}

/** Waits for the demo to finish start-up (`auth-status` leaves `loading`) and returns the status. */
export function waitForAuthStatus(page, pattern = /^(signed-in|signed-out)$/) {
  return waitForTestIdText(page, 'auth-status', pattern);
}

/**
 * Completes the dev IdP's sign-in and consent pages for a demo user, from wherever the page is on the IdP.
 * The consent page only appears the first time a user grants a set of scopes, so it is optional here.
 */
export async function signInAtDevIdp(page, { login = 'ada', password = `${login}-password`, idpOrigin } = {}) {
  await page.waitForURL((url) => url.origin === idpOrigin && url.pathname.startsWith('/interaction/'));
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', password);
  const signInPage = page.url();
  await page.click('form[action$="/login"] button[type=submit]');
  // Next stop: the consent page, the app (consent given before), or the sign-in form again with an error.
  await page.waitForURL((url) => url.href !== signInPage);
  if ((await page.getByTestId('login-error').count()) > 0) {
    throw new Error(`The dev IdP refused ${login}: ${await page.getByTestId('login-error').textContent()}`);
  }
  const consent = page.locator('form[action$="/confirm"] button[type=submit]');
  if (new URL(page.url()).origin === idpOrigin && (await consent.count()) > 0) await consent.click();
}

/** The parameters of the fragment of the page's current URL. */
export function fragmentParams(page) {
  return new URLSearchParams(new URL(page.url()).hash.slice(1));
}
