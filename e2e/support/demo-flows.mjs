/**
 * What a person does with the demo, as steps the sign-in, rejection and guard/interceptor specs share:
 * sign in through the demo, call an URL from its API console, and look at what the browser kept (history,
 * sessionStorage). Every wait is bounded.
 */
import { DEMO_API_AUDIENCE } from '../../dev/defaults.mjs';
import { signInAtDevIdp, waitForAuthStatus } from './page.mjs';
import { ACTION_TIMEOUT_MS } from './stack.mjs';

/** Parameters only an authorization response puts in a URL: none may survive in the address bar or history. */
export const CALLBACK_PARAMETER = /[#&?](access_token|id_token|token_type|expires_in|state|error|error_description)=/;

/** An API entry of the demo config (`apis[]`) for `origin` + `/api`, with the demo's audience. */
export function apiEntry(origin, { audience = DEMO_API_AUDIENCE, scope = 'read:messages', ...rest } = {}) {
  return { url: `${origin}/api`, audience, scope, ...rest };
}

/**
 * Opens `path` of the demo, waits for start-up to finish and returns the status (`signed-in`/`signed-out`).
 */
export async function openDemo(page, stack, path = '/') {
  await page.goto(new URL(path, stack.app.url).href);
  return waitForAuthStatus(page);
}

/**
 * Signs in from the demo's `sign-in` button through the dev IdP's form, and waits until the demo, back on
 * its own origin, says `signed-in`.
 */
export async function signInWithDevIdp(page, stack, { login = 'ada' } = {}) {
  await page.getByTestId('sign-in').click();
  await signInAtDevIdp(page, { login, idpOrigin: stack.idp.issuer });
  await page.waitForURL((url) => url.origin === stack.app.origin);
  return waitForAuthStatus(page, /^signed-in$/);
}

/**
 * Calls `url` from the API console (with `authorization` in the `api-auth` field, empty by default) and
 * returns what the console shows for this call: `<status> <body>` or `no request sent: …`.
 *
 * The console clears its result when a call starts and then shows the new one; a MutationObserver records
 * every text it shows, so a result equal to the previous call's is not mistaken for this call's.
 */
export async function callFromApiConsole(page, url, { authorization = '', timeout = ACTION_TIMEOUT_MS } = {}) {
  await page.getByTestId('api-url').fill(url);
  await page.getByTestId('api-auth').fill(authorization);
  const result = page.getByTestId('api-result');
  await result.evaluate((element) => {
    const seen = [element.textContent.trim()];
    element.e2eSeen = seen;
    element.e2eObserver?.disconnect();
    element.e2eObserver = new MutationObserver(() => seen.push(element.textContent.trim()));
    element.e2eObserver.observe(element, { childList: true, characterData: true, subtree: true });
  });
  await page.getByTestId('api-call').click();
  try {
    // This call's result: the first non-empty text after the clearing (or at all, when it started empty).
    const text = await page.waitForFunction(
      (element) => {
        const seen = element.e2eSeen;
        const start = seen[0] === '' ? 0 : seen.indexOf('', 1);
        return (start >= 0 && seen.slice(start).find((value) => value !== '')) || false;
      },
      await result.elementHandle(),
      { timeout, polling: 20 },
    );
    return await text.jsonValue();
  } catch (error) {
    const shown = await result.textContent({ timeout: 1000 }).catch(() => null);
    throw new Error(`No API console result for ${url}: ${error.message}; it shows ${JSON.stringify(shown)}`, {
      cause: error,
    });
  } finally {
    // A page that navigated away took the observer with it: nothing left to stop.
    await result.evaluate((element) => element.e2eObserver.disconnect()).catch(() => {});
  }
}

/** The URL of every entry of the tab's session history (Back/Forward list), oldest first, via the DevTools protocol. */
export async function historyUrls(page) {
  const session = await page.context().newCDPSession(page);
  try {
    const { entries } = await session.send('Page.getNavigationHistory');
    return entries.map((entry) => entry.url);
  } finally {
    await session.detach();
  }
}

/**
 * Asserts the address bar and every history entry are free of authorization response parameters: what a
 * Back button, a bookmark or a shoulder-surfer would otherwise see. Throws naming the offending URL.
 */
export async function assertNoCallbackInUrlOrHistory(page) {
  const { hash, href } = await page.evaluate(() => ({ hash: location.hash, href: location.href }));
  for (const url of [page.url(), href, hash, ...(await historyUrls(page))]) {
    if (CALLBACK_PARAMETER.test(url)) throw new Error(`an authorization response parameter is still in ${url}`);
  }
}

/** Every value in the page's sessionStorage, as `key=value` lines (to look for tokens kept there). */
export function sessionStorageDump(page) {
  return page.evaluate(() =>
    Object.keys(sessionStorage)
      .map((key) => `${key}=${sessionStorage.getItem(key)}`)
      .join('\n'),
  );
}

/**
 * Watches `count()` for `forMs` and throws as soon as it differs from `expected`: the bounded way to show that
 * something (a second redirect to the provider, a retry) does not happen. Use short windows, after the
 * moment the unwanted thing would have started.
 */
export async function assertStaysAt(count, expected, { forMs = 500, what = 'count' } = {}) {
  const until = Date.now() + forMs;
  for (;;) {
    const actual = await count();
    if (actual !== expected) throw new Error(`${what} became ${actual}, expected it to stay ${expected}`);
    if (Date.now() >= until) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * A session entry of the library in a storage dump (`key=value` lines): every key it writes is named
 * `ngx-implicit-auth:<issuer>:<client id>.<what>` (see `storageKeys`).
 */
export const SESSION_ENTRY = /^ngx-implicit-auth:[^=\n]*\.session=/m;

/** The library's "this browser had a session" hint in localStorage (whatever the app), or `null`. */
export function hadSessionHint(page) {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((name) => /^ngx-implicit-auth:.*\.had-session$/.test(name));
    return key === undefined ? null : localStorage.getItem(key);
  });
}
