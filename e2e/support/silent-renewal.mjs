/**
 * Helpers for the silent-renewal specs: what the dev IdP answered to each authorization request, where the
 * top page navigated, how `auth-status` changed, which token an API call carried, and a user ending their
 * IdP session in another tab. Each one watches from outside the app; none changes what it observes.
 */
import { randomUUID } from 'node:crypto';
import { DEMO_API_AUDIENCE } from '../../dev/defaults.mjs';
import { openDemo, signInWithDevIdp } from './demo-flows.mjs';

/**
 * Records every authorization request the dev IdP finished, from oidc-provider's own events: one entry per
 * answer sent back to the app, `{ prompt, idTokenHint, state, redirectUri, outcome: 'success' | 'error',
 * error, idToken, time }`. An interactive sign-in counts once (when the user completed the form), a
 * `prompt=none` request once (tokens or `login_required`).
 * @returns {{ all: object[], silent(): object[], stop(): void }}
 */
export function recordIdpAuthorizations(idp) {
  const all = [];
  const entry = (ctx, fields) => {
    const params = ctx.oidc?.params ?? {};
    all.push({
      prompt: params.prompt,
      idTokenHint: params.id_token_hint,
      state: params.state,
      redirectUri: params.redirect_uri,
      time: Date.now(),
      ...fields,
    });
  };
  const onSuccess = (ctx, out) => entry(ctx, { outcome: 'success', idToken: out?.id_token });
  const onError = (ctx, error) => entry(ctx, { outcome: 'error', error: error?.error ?? String(error) });
  idp.provider.on('authorization.success', onSuccess);
  idp.provider.on('authorization.error', onError);
  return {
    all,
    /** The `prompt=none` requests (renewals and session restores), oldest first. */
    silent: () => all.filter((request) => request.prompt === 'none'),
    stop() {
      idp.provider.off('authorization.success', onSuccess);
      idp.provider.off('authorization.error', onError);
    },
  };
}

/**
 * Records the URL of every document request of the page's top frame from now on: loads, reloads and each hop
 * of a redirect, such as a trip to the IdP. Same-document URL changes (the router's history API calls) load
 * nothing and are left out; iframes are left out.
 */
export function recordTopNavigations(page) {
  const urls = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) urls.push(request.url());
  });
  return urls;
}

/**
 * Makes every document of the context record the texts `auth-status` shows, in order, in
 * `window.__authStatusHistory`, so a test can tell "loading → signed-in" from "loading → signed-out →
 * signed-in" however fast the changes were.
 */
export async function recordAuthStatusHistory(context) {
  await context.addInitScript(() => {
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
 * Marks the page's current document. The mark survives anything but a navigation or reload of the top page,
 * so finding it later proves that the app never left it.
 */
export async function markDocument(page) {
  const mark = randomUUID();
  await page.evaluate((value) => {
    window.__e2eDocumentMark = value;
  }, mark);
  return async () => page.evaluate(() => window.__e2eDocumentMark ?? null).then((found) => found === mark);
}

/**
 * `config` (default: the stack's, for the dev IdP and the demo API) plus the recording API as a second API of
 * the same audience under `/rec`, so that the token a call carries can be read on the server that got it.
 * `overrides` replace top-level members.
 */
export function withRecordingApi(stack, config = stack.authConfig, overrides = {}) {
  const recording = { url: `${stack.recordingApi.url}/rec`, scope: 'read:messages', allowAnonymous: true };
  return {
    ...config,
    apis: [...config.apis, { ...recording, audience: config.audience ?? DEMO_API_AUDIENCE }],
    ...overrides,
  };
}

/**
 * Calls `url` through the demo's API console and returns the response status and the Authorization header
 * the request carried (undefined: none), as seen on the network.
 */
export async function callApi(page, url) {
  await page.getByTestId('api-url').fill(url);
  const responded = page.waitForResponse((response) => response.url() === url && response.request().method() === 'GET');
  await page.getByTestId('api-call').click();
  const response = await responded;
  const headers = await response.request().allHeaders();
  return { status: response.status(), authorization: headers.authorization };
}

/**
 * Calls the recording API with a path no other call used and returns the Authorization header it received
 * (undefined: none), read from the server's own record.
 */
export async function tokenSentToRecordingApi(page, stack) {
  const path = `/rec/${randomUUID()}`;
  await callApi(page, `${stack.recordingApi.url}${path}`);
  const received = stack.recordingApi.requests.filter((request) => request.path === path);
  if (received.length !== 1) throw new Error(`the recording API got ${received.length} requests for ${path}`);
  return received[0].authorization;
}

/** Opens the app (which must start signed out), signs in at the dev IdP's form, and waits for `signed-in`. */
export async function signInThroughApp(page, stack, { login = 'ada' } = {}) {
  const status = await openDemo(page, stack);
  if (status !== 'signed-out') throw new Error(`the demo started ${status}, not signed-out`);
  await signInWithDevIdp(page, stack, { login });
}

/**
 * Ends the user's session at the dev IdP the way a person would elsewhere: another tab of the same browser
 * opens the IdP's end-session page and confirms. The app's own tab is not touched.
 */
export async function endIdpSessionInAnotherTab(context, idp) {
  const tab = await context.newPage();
  try {
    const discovery = await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json();
    await tab.goto(discovery.end_session_endpoint);
    await tab.click('button[name=logout][value=yes]');
    await tab.waitForURL((url) => url.pathname.endsWith('/success'));
  } finally {
    await tab.close();
  }
}

/** Runs `read` until it returns a value `accept` takes, polling every 100 ms, at most `timeout` ms. */
export async function pollUntil(read, accept, { timeout = 10_000, what = 'the condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await read();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out after ${timeout} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
}
