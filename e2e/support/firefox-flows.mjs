/**
 * The demo steps of `page.mjs` and `demo-flows.mjs`, written against puppeteer-core for the Firefox suite
 * (`e2e/firefox/`): pages in fresh browser contexts, waiting on test ids and URLs, the dev IdP's form, the API
 * console. What the tests observe comes from the page's DOM and from the servers' own records (the dev IdP's
 * events, the recording API), not from engine-specific protocol calls, so it means the same in every browser.
 * Every wait is bounded by ACTION_TIMEOUT_MS.
 */
import { randomUUID } from 'node:crypto';

import { pollUntil } from './silent-renewal.mjs';
import { ACTION_TIMEOUT_MS } from './stack.mjs';

/** Closing a browser or context that hangs must not hang the run. */
const CLOSE_TIMEOUT_MS = 10_000;

/** A page in a fresh browser context (own cookies and storage), with bounded waits and a console log. */
export async function newFirefoxPage(browser) {
  const context = await browser.createBrowserContext();
  return newTab(context);
}

/** Another tab in `context` (shares its cookies and storage), set up like {@link newFirefoxPage}'s. */
export async function newTab(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(ACTION_TIMEOUT_MS);
  page.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
  page.browserLog = [];
  page.on('console', (message) => page.browserLog.push(`console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => page.browserLog.push(`uncaught: ${error.message}`));
  return page;
}

/** Closes a browser or browser context within CLOSE_TIMEOUT_MS; a failure to close never hides a test's result. */
export function closeWithin(closable) {
  return Promise.race([
    // Already closed, or the browser died: nothing left to close.
    closable?.close().catch(() => {}),
    new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref()),
  ]);
}

/** The text of the element with `data-testid=testId`, trimmed, or null while there is none (or mid-navigation). */
export function testIdText(page, testId) {
  return page
    .evaluate((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? null, testId)
    .catch(() => null); // The document is being replaced: no text yet, ask again.
}

/** Waits until `data-testid=testId` shows text matching `pattern` and returns it; a timeout shows the page's log. */
export async function waitForTestIdText(page, testId, pattern, { timeout = ACTION_TIMEOUT_MS } = {}) {
  try {
    return await pollUntil(
      () => testIdText(page, testId),
      (text) => text !== null && pattern.test(text),
      { timeout, what: `[data-testid=${testId}] to match ${pattern}` },
    );
  } catch (error) {
    throw new Error(`${error.message}\nBrowser log:\n${page.browserLog?.join('\n') || '(empty)'}`, { cause: error });
  }
}

/** Waits for the demo to finish start-up (`auth-status` leaves `loading`) and returns the status. */
export function waitForAuthStatus(page, pattern = /^(signed-in|signed-out)$/) {
  return waitForTestIdText(page, 'auth-status', pattern);
}

/** Waits until the top page's URL satisfies `accept(url: URL)` and returns that URL. */
export function waitForUrl(page, accept, { what = 'the URL' } = {}) {
  return pollUntil(
    () => new URL(page.url()),
    (url) => accept(url),
    { timeout: ACTION_TIMEOUT_MS, what },
  );
}

/** Clicks the element with `data-testid=testId` once it is visible and enabled. */
export function clickTestId(page, testId) {
  return page.locator(`[data-testid="${testId}"]`).click();
}

/** Opens `path` of the demo, waits for start-up to finish and returns the status (`signed-in`/`signed-out`). */
export async function openDemo(page, stack, path = '/') {
  await page.goto(new URL(path, stack.app.url).href);
  return waitForAuthStatus(page);
}

/**
 * Completes the dev IdP's sign-in form, and its consent page when it comes (only the first time a user grants a
 * set of scopes), from wherever the page is on the IdP; returns once the page is back on `appOrigin`.
 */
export async function signInAtDevIdp(page, { login = 'ada', password = `${login}-password`, idpOrigin, appOrigin }) {
  await waitForUrl(page, (url) => url.origin === idpOrigin && url.pathname.startsWith('/interaction/'), {
    what: "the dev IdP's sign-in page",
  });
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill(password);
  await page.locator('form[action$="/login"] button[type=submit]').click();

  const consent = 'form[action$="/confirm"] button[type=submit]';
  // The document in between may be gone at any moment: a query that fails there simply finds nothing.
  const has = (selector) => page.$(selector).then(Boolean, () => false);
  const next = await pollUntil(
    async () => {
      if (new URL(page.url()).origin === appOrigin) return 'app';
      if (await has('[data-testid=login-error]')) return 'refused';
      if (await has(consent)) return 'consent';
      return undefined;
    },
    Boolean,
    { timeout: ACTION_TIMEOUT_MS, what: 'the consent page or the app after the sign-in form' },
  );
  if (next === 'refused') throw new Error(`The dev IdP refused ${login}: ${await testIdText(page, 'login-error')}`);
  if (next === 'consent') await page.locator(consent).click();
  await waitForUrl(page, (url) => url.origin === appOrigin, { what: 'the way back to the app' });
}

/** Signs in from the demo's `sign-in` button through the dev IdP and waits until the demo says `signed-in`. */
export async function signInWithDevIdp(page, stack, { login = 'ada' } = {}) {
  await clickTestId(page, 'sign-in');
  await signInAtDevIdp(page, { login, idpOrigin: stack.idp.issuer, appOrigin: stack.app.origin });
  return waitForAuthStatus(page, /^signed-in$/);
}

/**
 * Calls `url` from the API console (empty `api-auth` field: the library adds the token) and returns what the
 * console shows for this call: `<status> <body>`. The console clears its result when a call starts, so the
 * first non-empty text after the clearing is this call's, even when it equals the previous call's.
 */
export async function callFromApiConsole(page, url) {
  await page.locator('[data-testid=api-url]').fill(url);
  await page.locator('[data-testid=api-auth]').fill('');
  await page.evaluate(() => {
    const element = document.querySelector('[data-testid=api-result]');
    const seen = [element.textContent.trim()];
    window.__e2eApiResults = seen;
    window.__e2eApiObserver?.disconnect();
    window.__e2eApiObserver = new MutationObserver(() => seen.push(element.textContent.trim()));
    window.__e2eApiObserver.observe(element, { childList: true, characterData: true, subtree: true });
  });
  await clickTestId(page, 'api-call');
  try {
    const text = await page.waitForFunction(
      () => {
        const seen = window.__e2eApiResults;
        const start = seen[0] === '' ? 0 : seen.indexOf('', 1);
        return (start >= 0 && seen.slice(start).find((value) => value !== '')) || false;
      },
      { timeout: ACTION_TIMEOUT_MS, polling: 20 },
    );
    return await text.jsonValue();
  } catch (error) {
    const shown = await testIdText(page, 'api-result');
    throw new Error(`No API console result for ${url}: ${error.message}; it shows ${JSON.stringify(shown)}`, {
      cause: error,
    });
  } finally {
    // A page that navigated away took the observer with it: nothing left to stop.
    await page.evaluate(() => window.__e2eApiObserver?.disconnect()).catch(() => {});
  }
}

/**
 * Calls the recording API (configured as an API of the demo, see `withRecordingApi`) on a path no other call
 * used and returns the Authorization header it received (undefined: none), read from the server's own record.
 */
export async function tokenSentToRecordingApi(page, stack) {
  const path = `/rec/${randomUUID()}`;
  const shown = await callFromApiConsole(page, `${stack.recordingApi.url}${path}`);
  if (!/^200 /.test(shown)) throw new Error(`the recording API call showed ${JSON.stringify(shown)}`);
  const received = stack.recordingApi.requests.filter((request) => request.path === path);
  if (received.length !== 1) throw new Error(`the recording API got ${received.length} requests for ${path}`);
  return received[0].authorization;
}

/**
 * Makes every document of the page record the texts `auth-status` shows, in order, in
 * `window.__authStatusHistory` (read it with {@link authStatusHistory}), however fast the changes were.
 */
export function recordAuthStatusHistory(page) {
  return page.evaluateOnNewDocument(() => {
    const history = [];
    Object.defineProperty(window, '__authStatusHistory', { value: history });
    const read = () => {
      const text = document.querySelector('[data-testid=auth-status]')?.textContent?.trim();
      if (text && history.at(-1) !== text) history.push(text);
    };
    new MutationObserver(read).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

/** The texts `auth-status` showed in the page's current document (see {@link recordAuthStatusHistory}). */
export function authStatusHistory(page) {
  return page.evaluate(() => [...(window.__authStatusHistory ?? [])]);
}

/**
 * Counts the dev IdP's interactive pages (sign-in or consent) started from now on, from oidc-provider's own
 * `interaction.started` event: a silent restore or renewal must start none.
 * @returns {{ count(): number, stop(): void }}
 */
export function countIdpInteractions(idp) {
  let count = 0;
  const onStarted = () => (count += 1);
  idp.provider.on('interaction.started', onStarted);
  return { count: () => count, stop: () => idp.provider.off('interaction.started', onStarted) };
}
