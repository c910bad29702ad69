/**
 * Silent renewal as a user meets it, against the real dev IdP: a reload restores the session without the
 * login page, "Renew now" runs one `prompt=none` round trip with `id_token_hint`, an IdP session ended
 * elsewhere signs the app out cleanly, and tabs share one renewal and one sign-out. The IdP's own events
 * count the authorization requests it answered. Needs `npm run build:demo` first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';

import { assertStaysAt, hadSessionHint } from '../support/demo-flows.mjs';
import { waitForAuthStatus, waitForTestIdText } from '../support/page.mjs';
import {
  authStatusHistory,
  callApi,
  endIdpSessionInAnotherTab,
  markDocument,
  pollUntil,
  recordAuthStatusHistory,
  recordIdpAuthorizations,
  recordTopNavigations,
  signInThroughApp,
  tokenSentToRecordingApi,
  withRecordingApi,
} from '../support/silent-renewal.mjs';
import { startStack } from '../support/stack.mjs';

/** Rounds of "both tabs click Renew now at once" in the two-tab test. */
const ROUNDS = 8;

describe('silent renewal with the dev IdP', () => {
  let stack;
  let idp;

  before(async () => {
    stack = await startStack({ app: 'demo', recordingApi: true });
    idp = recordIdpAuthorizations(stack.idp);
  });
  after(async () => {
    idp?.stop();
    await stack?.close();
  });

  /** A page in a fresh browser context that is closed when the test ends, passed or not. */
  async function newPage(t) {
    const page = await stack.newPage();
    t.after(() => page.context().close());
    return page;
  }

  /** The `prompt=none` requests the IdP answered from now on. */
  function silentFromNow() {
    const already = idp.silent().length;
    return () => idp.silent().slice(already);
  }

  /** Clicks "Renew now" and waits until the IdP answered and the button is enabled again (renewal over). */
  async function renewNow(page, silent) {
    const before = silent().length;
    await page.getByTestId('renew').click();
    await pollUntil(
      () => silent().length,
      (count) => count > before,
      { what: 'the prompt=none answer' },
    );
    await page.locator('[data-testid=renew]:not([disabled])').waitFor();
  }

  test('a reload restores the session silently: no login page, the API still answers', async (t) => {
    stack.app.setConfig(withRecordingApi(stack));
    const page = await newPage(t);
    await recordAuthStatusHistory(page.context());
    await signInThroughApp(page, stack);
    assert.match(await hadSessionHint(page), /^\{"at":\d+,"user":"\w+"\}$/);

    const silent = silentFromNow();
    const navigations = recordTopNavigations(page);
    await page.reload();
    assert.equal(await waitForAuthStatus(page), 'signed-in');
    // Signed in from the first decision on: never a "signed-out" flash that a guard could act on.
    assert.deepEqual(await authStatusHistory(page), ['loading', 'signed-in']);
    assert.equal(await waitForTestIdText(page, 'user-name', /\S/), 'Ada Lovelace');
    assert.deepEqual(navigations, [stack.app.url], 'the top page only reloaded, it never went to the IdP');
    assert.equal(silent().length, 1);
    assert.equal(silent()[0].outcome, 'success');
    assert.equal(silent()[0].redirectUri, `${stack.app.origin}/silent-callback.html`);

    const { status, authorization } = await callApi(page, `${stack.api.url}/api/messages`);
    assert.equal(status, 200);
    assert.match(authorization ?? '', /^Bearer \S+$/);

    // A guarded route opened straight from the address bar waits for the restore instead of signing in.
    await page.goto(`${stack.app.origin}/profile?from=reload`);
    await waitForTestIdText(page, 'profile-location', /^profile\?from=reload$/);
    assert.deepEqual(await authStatusHistory(page), ['loading', 'signed-in']);
    assert.deepEqual(navigations, [stack.app.url, `${stack.app.origin}/profile?from=reload`]);
    assert.equal(silent().length, 2);
  });

  test('"Renew now" runs one prompt=none round trip with id_token_hint, in the background', async (t) => {
    stack.app.setConfig(withRecordingApi(stack));
    const page = await newPage(t);
    await signInThroughApp(page, stack);
    const signIn = idp.all.at(-1);
    assert.equal(signIn.outcome, 'success');
    assert.notEqual(signIn.prompt, 'none');
    const before = await tokenSentToRecordingApi(page, stack);

    const silent = silentFromNow();
    const sameDocument = await markDocument(page);
    const navigations = recordTopNavigations(page);
    await renewNow(page, silent);

    assert.equal(silent().length, 1);
    const [renewal] = silent();
    assert.equal(renewal.outcome, 'success');
    assert.equal(renewal.idTokenHint, signIn.idToken, 'the hint is the ID token of the session being renewed');
    assert.equal(renewal.redirectUri, `${stack.app.origin}/silent-callback.html`);
    const after = await tokenSentToRecordingApi(page, stack);
    assert.notEqual(after, before);
    assert.equal(decodeJwt(after.slice('Bearer '.length)).sub, 'ada');
    assert.deepEqual(navigations, []);
    assert.ok(await sameDocument(), 'the page was never reloaded');
    assert.equal(await page.locator('iframe').count(), 0, 'the renewal iframe is gone');
    assert.equal((await page.getByTestId('auth-error').textContent()).trim(), '');
  });

  test('an IdP session ended elsewhere gives login_required and a clean sign-out, without a loop', async (t) => {
    stack.app.setConfig(withRecordingApi(stack));
    const page = await newPage(t);
    await signInThroughApp(page, stack);
    const silent = silentFromNow();
    // One renewal that works first: the IdP cookie reaches the iframe, so what follows is the ended session.
    await renewNow(page, silent);
    assert.equal(silent()[0].outcome, 'success');

    await endIdpSessionInAnotherTab(page.context(), stack.idp);
    const sameDocument = await markDocument(page);
    const navigations = recordTopNavigations(page);
    await page.getByTestId('renew').click();

    assert.equal(await waitForTestIdText(page, 'auth-error', /\S/), 'login_required');
    assert.equal(await waitForAuthStatus(page, /^signed-out$/), 'signed-out');
    assert.equal(silent().length, 2);
    assert.deepEqual(
      { outcome: silent()[1].outcome, error: silent()[1].error },
      { outcome: 'error', error: 'login_required' },
    );
    assert.equal((await page.getByTestId('user-name').textContent()).trim(), '');
    assert.equal(await page.getByTestId('sign-in').isEnabled(), true);
    assert.equal(await hadSessionHint(page), null);
    assert.equal(await tokenSentToRecordingApi(page, stack), undefined, 'no token goes out once signed out');

    // No retry, no redirect: for a while nothing asks the IdP again and the top page stays where it was.
    await assertStaysAt(() => silent().length + navigations.length, 2, {
      forMs: 1500,
      what: 'IdP requests + top-page navigations',
    });
    assert.ok(await sameDocument());

    // The next sign-in is interactive: the IdP shows its login form again.
    await page.getByTestId('sign-in').click();
    await page.waitForURL((url) => url.origin === stack.idp.issuer && url.pathname.startsWith('/interaction/'));
    assert.equal(await page.locator('input[name=login]').count(), 1);
  });

  test('two tabs renewing at once make one request, and both use the new token', async (t) => {
    stack.app.setConfig(withRecordingApi(stack));
    const first = await newPage(t);
    await signInThroughApp(first, stack);
    const silent = silentFromNow();
    const second = await first.context().newPage();
    await second.goto(stack.app.url);
    assert.equal(await waitForAuthStatus(second), 'signed-in');
    assert.equal(silent().length, 1, 'the second tab restored its session with one silent request');

    // The second tab's restore was shared: both tabs send the same token.
    let shared = await tokenSentToRecordingApi(first, stack);
    assert.equal(await tokenSentToRecordingApi(second, stack), shared);

    // Several rounds: which of "the other tab's result arrived" and "the lock is free" a waiting tab learns
    // first is up to the browser, and every ordering must give one request.
    const requestsPerRound = [];
    for (let round = 0; round < ROUNDS; round++) {
      const before = silent().length;
      await Promise.all([first.getByTestId('renew').click(), second.getByTestId('renew').click()]);
      await pollUntil(
        () => silent().length,
        (count) => count > before,
        { what: `the renewal of round ${round}` },
      );
      // A tab's button is enabled again once its renew() settled, its own request (if any) included.
      await first.locator('[data-testid=renew]:not([disabled])').waitFor();
      await second.locator('[data-testid=renew]:not([disabled])').waitFor();
      requestsPerRound.push(silent().length - before);

      // The renewing tab shares its result over BroadcastChannel, which a loaded machine may deliver late: wait,
      // bounded, until both tabs send one token. (One request per round is asserted below, whatever the timing.)
      const [fromFirst, fromSecond] = await pollUntil(
        async () => [await tokenSentToRecordingApi(first, stack), await tokenSentToRecordingApi(second, stack)],
        ([a, b]) => a === b,
        { timeout: 5_000, what: `round ${round}: both tabs sending the same token` },
      );
      assert.equal(fromSecond, fromFirst, `round ${round}: the same token`);
      assert.notEqual(fromFirst, shared, `round ${round}: a new token`);
      shared = fromFirst;
    }
    assert.ok(
      silent().every((request) => request.outcome === 'success'),
      JSON.stringify(silent().map((request) => request.error)),
    );
    assert.deepEqual(
      requestsPerRound,
      Array(ROUNDS).fill(1),
      `prompt=none requests per round of two clicks: ${JSON.stringify(requestsPerRound)}`,
    );
    for (const page of [first, second]) {
      assert.equal((await page.getByTestId('auth-error').textContent()).trim(), '');
    }
  });

  test('signing out in one tab signs the other out, without a reload', async (t) => {
    stack.app.setConfig(withRecordingApi(stack, stack.authConfig, { logout: { style: 'local' } }));
    const first = await newPage(t);
    await signInThroughApp(first, stack);
    const second = await first.context().newPage();
    await second.goto(stack.app.url);
    assert.equal(await waitForAuthStatus(second), 'signed-in');
    const sameDocument = await markDocument(second);
    const silent = silentFromNow();

    await first.getByTestId('sign-out').click();
    assert.equal(await waitForAuthStatus(first, /^signed-out$/), 'signed-out');
    assert.equal(await waitForAuthStatus(second, /^signed-out$/), 'signed-out');
    assert.ok(await sameDocument(), 'the other tab was not reloaded');
    assert.equal((await second.getByTestId('user-name').textContent()).trim(), '');
    assert.equal(await tokenSentToRecordingApi(second, stack), undefined);

    // Signed out for good: a reload does not restore the session, although the IdP session is still alive.
    await second.reload();
    assert.equal(await waitForAuthStatus(second), 'signed-out');
    assert.equal(silent().length, 0);
  });
});
