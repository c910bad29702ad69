/**
 * A missing or wrong silent-callback page, as a new user meets it: the renewal's redirect lands on the app itself
 * (an SPA fallback) or on a 404. The library says so at once with `silent_callback_missing`, not after the
 * renewal timeout, and the session stays. Against the test OP. Needs `npm run build:demo` first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { waitForAuthStatus, waitForTestIdText } from '../support/page.mjs';
import { startStack } from '../support/stack.mjs';

describe('a missing silent-callback page', () => {
  let stack;

  before(async () => {
    stack = await startStack({ app: 'demo', testOp: true });
  });
  after(() => stack?.close());

  for (const [what, path] of [
    ['the app itself (SPA fallback)', '/silent-renewal'],
    ['a 404 page', '/no-such-page.html'],
  ]) {
    test(`a renewal redirected to ${what} fails at once with silent_callback_missing, the session kept`, async (t) => {
      stack.op.setScenario('valid');
      const timeoutMs = 8000;
      stack.useTestOp({
        silentRenew: { automatic: false, timeoutMs, redirectUri: `${stack.app.origin}${path}` },
      });
      const page = await stack.newPage();
      t.after(() => page.context().close());
      const logged = [];
      page.on('console', (message) => logged.push(message.text()));
      await page.goto(stack.app.url);
      await waitForAuthStatus(page, /^signed-out$/);
      await page.getByTestId('sign-in').click();
      await waitForAuthStatus(page, /^signed-in$/);

      const started = Date.now();
      await page.getByTestId('renew').click();
      assert.equal(await waitForTestIdText(page, 'auth-error', /\S/), 'silent_callback_missing');
      const elapsed = Date.now() - started;
      assert.ok(elapsed < timeoutMs / 2, `reported after ${elapsed} ms, long before the ${timeoutMs} ms timeout`);
      assert.equal(await waitForAuthStatus(page), 'signed-in', 'the session is kept');
      assert.equal(await page.locator('iframe').count(), 0, 'the iframe is gone');
      // Dev-mode builds also say what to fix; the e2e runs the production build, which stays quiet.
      assert.ok(!logged.some((line) => line.includes('access_token=')), 'no token in the console');
    });
  }
});
