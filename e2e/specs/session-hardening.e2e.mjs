/**
 * The session as one app's own, in a real browser: two apps on one origin in one tab never share it, a
 * sign-out in one tab holds against a restore or a renewal that finishes later in another, and a storage that
 * refuses writes never breaks sign-in. Against the test OP, with the recording API to see which token a
 * request carries. Needs `npm run build:demo` first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { waitForAuthStatus } from '../support/page.mjs';
import { tokenSentToRecordingApi, withRecordingApi } from '../support/silent-renewal.mjs';
import { ACTION_TIMEOUT_MS, startStack } from '../support/stack.mjs';

/** A promise and the function that settles it: holds the test OP's next answer until the test says. */
function gate() {
  let open;
  const opened = new Promise((resolve) => (open = resolve));
  return { open, opened };
}

describe('session isolation and sign-out across tabs', () => {
  let stack;

  before(async () => {
    stack = await startStack({ app: 'demo', testOp: true, recordingApi: true });
  });
  after(() => stack?.close());

  /** The demo pointed at the test OP as the app `clientId`, with the recording API and `overrides`. */
  function configure(overrides = {}) {
    stack.op.setScenario('valid');
    const config = withRecordingApi(stack, stack.useTestOp(), {
      logout: { style: 'local' },
      ...overrides,
      silentRenew: { automatic: false, timeoutMs: 5000, ...overrides.silentRenew },
    });
    stack.app.setConfig(config);
    return config;
  }

  async function signIn(page) {
    await page.goto(stack.app.url);
    await waitForAuthStatus(page, /^signed-out$/);
    await page.getByTestId('sign-in').click();
    await waitForAuthStatus(page, /^signed-in$/);
  }

  /** A browser context (tabs that share storage and BroadcastChannel), with bounded waits. */
  async function newContext() {
    const context = await stack.browser.newContext();
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    return context;
  }

  const silentRequests = () => stack.op.authorizeRequests.filter((request) => request.params.get('prompt') === 'none');

  test('two apps on one origin, one tab, storage: session — neither sees, uses or ends the other’s session', async (t) => {
    const page = await stack.newPage();
    t.after(() => page.context().close());
    configure({ clientId: 'app-a', storage: 'session' });
    await signIn(page);
    const tokenOfA = await tokenSentToRecordingApi(page, stack);
    assert.match(tokenOfA, /^Bearer /);

    // App B, same origin, same tab: the same sessionStorage, the same provider.
    configure({ clientId: 'app-b', storage: 'session' });
    const silentBefore = silentRequests().length;
    await page.reload();
    assert.equal(await waitForAuthStatus(page), 'signed-out');
    // No probe of the provider with A's hint, no A token to B's API.
    assert.equal(silentRequests().length, silentBefore);
    assert.equal(await tokenSentToRecordingApi(page, stack), undefined);

    // Back to app A: its session is still there, untouched by B.
    configure({ clientId: 'app-a', storage: 'session' });
    await page.reload();
    assert.equal(await waitForAuthStatus(page), 'signed-in');
    assert.equal(await tokenSentToRecordingApi(page, stack), tokenOfA);
  });

  test('a sign-out in one tab holds against a session restore that finishes later in another', async (t) => {
    const context = await newContext();
    t.after(() => context.close());
    configure();
    const first = await context.newPage();
    await signIn(first);

    const answer = gate();
    stack.op.nextScenario('valid', { hold: answer.opened });
    const second = await context.newPage();
    const before = silentRequests().length;
    await second.goto(stack.app.url);
    // The second tab restores silently: its prompt=none request is waiting at the provider.
    await waitForSilentRequests(before, 1);
    await first.getByTestId('sign-out').click();
    await waitForAuthStatus(first, /^signed-out$/);
    answer.open();
    assert.equal(await waitForAuthStatus(second), 'signed-out');
    assert.equal(await tokenSentToRecordingApi(second, stack), undefined);
    assert.equal(await waitForAuthStatus(first), 'signed-out');
  });

  test('a sign-out in one tab holds against a renewal another tab finishes after it', async (t) => {
    const context = await newContext();
    t.after(() => context.close());
    configure();
    const first = await context.newPage();
    await signIn(first);
    const second = await context.newPage();
    await second.goto(stack.app.url);
    assert.equal(await waitForAuthStatus(second), 'signed-in');

    const answer = gate();
    stack.op.nextScenario('valid', { hold: answer.opened });
    const before = silentRequests().length;
    await second.getByTestId('renew').click();
    await waitForSilentRequests(before, 1);
    await first.getByTestId('sign-out').click();
    await waitForAuthStatus(first, /^signed-out$/);
    assert.equal(await waitForAuthStatus(second, /^signed-out$/), 'signed-out');
    answer.open();
    // The late answer signs no tab back in.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await waitForAuthStatus(first), 'signed-out');
    assert.equal(await waitForAuthStatus(second), 'signed-out');
    assert.equal(await tokenSentToRecordingApi(first, stack), undefined);
  });

  test('a full localStorage and a full sessionStorage never break sign-in', async (t) => {
    const page = await stack.newPage();
    t.after(() => page.context().close());
    // What quota, disabled storage or Safari's private mode do: setItem throws.
    await page.addInitScript(() => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key, value) {
        if (this === window.localStorage || key.endsWith('.session')) {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        }
        return setItem.call(this, key, value);
      };
    });
    configure({ storage: 'session' });
    await signIn(page);
    assert.match(await tokenSentToRecordingApi(page, stack), /^Bearer /);
    const kept = await page.evaluate(() => Object.keys(sessionStorage).filter((key) => key.endsWith('.session')));
    assert.deepEqual(kept, []);
    assert.equal(await page.getByTestId('auth-error').textContent(), '');
  });

  /** Waits until the test OP has seen `count` more silent requests than `before`. */
  async function waitForSilentRequests(before, count) {
    const deadline = Date.now() + 10_000;
    while (silentRequests().length < before + count) {
      if (Date.now() > deadline) throw new Error(`no silent request reached the test OP`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
});
