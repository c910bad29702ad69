/**
 * Silent renewal with a provider on another site: the dev IdP on `127.0.0.1`, the app on `localhost`. The
 * IdP's session cookie (SameSite=Lax) is first-party at sign-in but withheld inside the app's iframe, as
 * browsers that block third-party cookies do for any provider on another site. The renewal's
 * `login_required` right after an interactive sign-in must read as `third_party_cookies_blocked`, sign out
 * cleanly and never loop. Needs `npm run build:demo` first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertStaysAt, hadSessionHint } from '../support/demo-flows.mjs';
import { waitForAuthStatus, waitForTestIdText } from '../support/page.mjs';
import {
  markDocument,
  recordIdpAuthorizations,
  recordTopNavigations,
  signInThroughApp,
  withRecordingApi,
} from '../support/silent-renewal.mjs';
import { startStack } from '../support/stack.mjs';

describe('silent renewal with a provider on another site', () => {
  let stack;
  let idp;

  before(async () => {
    stack = await startStack({ app: 'demo', recordingApi: true, idp: { host: '127.0.0.1' } });
    idp = recordIdpAuthorizations(stack.idp);
  });
  after(async () => {
    idp?.stop();
    await stack?.close();
  });

  async function signedInPage(t) {
    assert.notEqual(new URL(stack.idp.issuer).hostname, new URL(stack.app.origin).hostname);
    stack.app.setConfig(withRecordingApi(stack));
    const page = await stack.newPage();
    t.after(() => page.context().close());
    await signInThroughApp(page, stack);
    const already = idp.silent().length;
    return { page, silent: () => idp.silent().slice(already) };
  }

  test('the first renewal after sign-in reports third_party_cookies_blocked and signs out, once', async (t) => {
    const { page, silent } = await signedInPage(t);
    const sameDocument = await markDocument(page);
    const navigations = recordTopNavigations(page);
    await page.getByTestId('renew').click();

    assert.equal(await waitForTestIdText(page, 'auth-error', /\S/), 'third_party_cookies_blocked');
    assert.equal(await waitForAuthStatus(page, /^signed-out$/), 'signed-out');
    // The IdP saw the request without its cookie: to it, nobody is signed in.
    assert.deepEqual(
      silent().map(({ outcome, error }) => ({ outcome, error })),
      [{ outcome: 'error', error: 'login_required' }],
    );
    assert.equal(await hadSessionHint(page), null);

    // Never a loop: nothing asks the IdP again, the page stays, and a reload does not probe the IdP.
    await assertStaysAt(() => silent().length + navigations.length, 1, {
      forMs: 1000,
      what: 'IdP requests + top-page navigations',
    });
    assert.ok(await sameDocument());
    await page.reload();
    assert.equal(await waitForAuthStatus(page), 'signed-out');
    assert.equal(silent().length, 1);
  });

  test('a reload right after sign-in reports third_party_cookies_blocked too, once', async (t) => {
    const { page, silent } = await signedInPage(t);
    await page.reload();

    assert.equal(await waitForAuthStatus(page), 'signed-out');
    assert.deepEqual(
      silent().map(({ outcome, error }) => ({ outcome, error })),
      [{ outcome: 'error', error: 'login_required' }],
    );
    // The one moment the app can tell the user why every reload signs them out. Start-up is over, so the
    // error is either shown already or never.
    assert.equal(
      await waitForTestIdText(page, 'auth-error', /\S/, { timeout: 1000 }).catch(() => ''),
      'third_party_cookies_blocked',
    );
    await page.reload();
    assert.equal(await waitForAuthStatus(page), 'signed-out');
    assert.equal(silent().length, 1, 'no silent probe once the browser is known to have no session');
  });
});
