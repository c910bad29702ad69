/**
 * The session in Firefox, as in `e2e/specs/silent-renewal.e2e.mjs` for Chromium: a reload restores it
 * silently (one `prompt=none` round trip in the hidden iframe, no login page), "Renew now" brings a new token
 * the same way, and a second tab shares the session and its sign-out. The dev IdP's own events count the
 * authorization requests it answered and the login pages it showed. Needs `npm run build:demo`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';

import { launchFirefox } from '../support/firefox.mjs';
import {
  authStatusHistory,
  clickTestId,
  closeWithin,
  countIdpInteractions,
  newFirefoxPage,
  newTab,
  openDemo,
  recordAuthStatusHistory,
  signInWithDevIdp,
  testIdText,
  tokenSentToRecordingApi,
  waitForAuthStatus,
  waitForTestIdText,
} from '../support/firefox-flows.mjs';
import { pollUntil, recordIdpAuthorizations, withRecordingApi } from '../support/silent-renewal.mjs';
import { startStack } from '../support/stack.mjs';

describe('the session in Firefox', () => {
  let stack;
  let browser;
  let idp;
  let interactions;

  before(async () => {
    stack = await startStack({ app: 'demo', browser: false, recordingApi: true });
    idp = recordIdpAuthorizations(stack.idp);
    interactions = countIdpInteractions(stack.idp);
    browser = await launchFirefox();
  });
  after(async () => {
    idp?.stop();
    interactions?.stop();
    await closeWithin(browser);
    await stack?.close();
  });

  /** A page in a fresh browser context that is closed when the test ends, passed or not. */
  async function newPage(t) {
    const page = await newFirefoxPage(browser);
    t.after(() => closeWithin(page.browserContext()));
    return page;
  }

  /** Opens the demo (which must start signed out) and signs in at the dev IdP's form. */
  async function signIn(page) {
    assert.equal(await openDemo(page, stack), 'signed-out');
    const loginPagesBefore = interactions.count();
    await signInWithDevIdp(page, stack);
    // The counter the "no login page" checks rely on does see a login page.
    assert.ok(interactions.count() > loginPagesBefore, 'the sign-in went through the login page');
  }

  /** The `prompt=none` requests the IdP answered from now on. */
  function silentFromNow() {
    const already = idp.silent().length;
    return () => idp.silent().slice(already);
  }

  test('a reload restores the session silently: no login page, the API still gets a token', async (t) => {
    stack.app.setConfig(withRecordingApi(stack));
    const page = await newPage(t);
    await recordAuthStatusHistory(page);
    await signIn(page);

    const silent = silentFromNow();
    const loginPagesBefore = interactions.count();
    await page.reload();
    assert.equal(await waitForAuthStatus(page), 'signed-in');
    // Signed in from the first decision on: never a "signed-out" flash that a guard could act on.
    assert.deepEqual(await authStatusHistory(page), ['loading', 'signed-in']);
    assert.equal(await waitForTestIdText(page, 'user-name', /\S/), 'Ada Lovelace');
    assert.equal(page.url(), stack.app.url, 'the top page only reloaded, it never went to the IdP');
    assert.equal(interactions.count(), loginPagesBefore, 'the IdP showed no login page');
    assert.deepEqual(
      silent().map(({ outcome, redirectUri }) => ({ outcome, redirectUri })),
      [{ outcome: 'success', redirectUri: `${stack.app.origin}/silent-callback.html` }],
    );
    assert.match((await tokenSentToRecordingApi(page, stack)) ?? '', /^Bearer \S+$/);
  });

  test('"Renew now" brings a new token through one prompt=none round trip with id_token_hint', async (t) => {
    stack.app.setConfig(withRecordingApi(stack));
    const page = await newPage(t);
    await signIn(page);
    const signInAnswer = idp.all.at(-1);
    assert.equal(signInAnswer.outcome, 'success');
    const before = await tokenSentToRecordingApi(page, stack);

    const silent = silentFromNow();
    const loginPagesBefore = interactions.count();
    await clickTestId(page, 'renew');
    await pollUntil(
      () => silent().length,
      (count) => count > 0,
      { what: 'the prompt=none answer' },
    );
    // The button is enabled again once renew() settled.
    await page.locator('[data-testid=renew]:not([disabled])').wait();

    assert.equal(silent().length, 1);
    const [renewal] = silent();
    assert.equal(renewal.outcome, 'success');
    assert.equal(renewal.idTokenHint, signInAnswer.idToken, 'the hint is the ID token of the session being renewed');
    assert.equal(renewal.redirectUri, `${stack.app.origin}/silent-callback.html`);
    assert.equal(interactions.count(), loginPagesBefore, 'the IdP showed no login page');
    const after = await tokenSentToRecordingApi(page, stack);
    assert.notEqual(after, before, 'a new token');
    assert.equal(decodeJwt(after.slice('Bearer '.length)).sub, 'ada');
    assert.equal(page.url(), stack.app.url);
    assert.equal(await page.evaluate(() => document.querySelectorAll('iframe').length), 0, 'the iframe is gone');
    assert.equal(await testIdText(page, 'auth-error'), '');
  });

  test('a second tab is signed in by the shared session, and signing out in one tab signs the other out', async (t) => {
    stack.app.setConfig(withRecordingApi(stack, stack.authConfig, { logout: { style: 'local' } }));
    const first = await newPage(t);
    await signIn(first);
    const loginPagesBefore = interactions.count();

    const second = await newTab(first.browserContext());
    assert.equal(await openDemo(second, stack), 'signed-in');
    assert.equal(await waitForTestIdText(second, 'user-name', /\S/), 'Ada Lovelace');
    assert.equal(interactions.count(), loginPagesBefore, 'the second tab needed no login page');
    assert.match((await tokenSentToRecordingApi(second, stack)) ?? '', /^Bearer \S+$/);
    // Marks the second tab's document: still there at the end means it was never reloaded.
    await second.evaluate(() => (window.__e2eSameDocument = true));
    const silent = silentFromNow();

    // Back to the first tab, as a user would: Firefox does not animate a background tab, and puppeteer's
    // click waits for animation frames to see the button hold still.
    await first.bringToFront();
    await clickTestId(first, 'sign-out');
    assert.equal(await waitForAuthStatus(first, /^signed-out$/), 'signed-out');
    assert.equal(await waitForAuthStatus(second, /^signed-out$/), 'signed-out');
    assert.equal(
      await second.evaluate(() => window.__e2eSameDocument === true),
      true,
      'the other tab was not reloaded',
    );
    assert.equal(await testIdText(second, 'user-name'), '');
    await second.bringToFront();
    assert.equal(await tokenSentToRecordingApi(second, stack), undefined, 'no token goes out once signed out');

    // Signed out for good: a reload does not restore the session, although the IdP session is still alive.
    await second.reload();
    assert.equal(await waitForAuthStatus(second), 'signed-out');
    assert.equal(silent().length, 0);
  });
});
