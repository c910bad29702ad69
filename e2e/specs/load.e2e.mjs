/**
 * Load, proven in Chromium: 1,000 concurrent HttpClient calls on an expired token cost exactly one silent renewal
 * and all carry the new token; five tabs of one browser with an expired token renew once between them, none is
 * signed out, and each then sends the new token. The test OP's first token lives 2 s (`expires_in`), so the
 * library stops using it after 1 s (the clock-skew margin is capped at half the lifetime); renewals then get
 * hour-long tokens. Renewal only on demand, so no timer can renew first. Needs `npm run build:demo` first.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { waitForAuthStatus, waitForTestIdText } from '../support/page.mjs';
import { assertStaysAt } from '../support/demo-flows.mjs';
import { withRecordingApi } from '../support/silent-renewal.mjs';
import { startStack } from '../support/stack.mjs';

/** `expires_in` of the token that expires: unusable 1 s after it arrived. */
const SHORT_EXPIRES_IN = 2;
/** How long after the short token arrived it is certainly no longer handed out. */
const EXPIRED_AFTER_MS = 1300;
const CALLS = 1000;
const TABS = 5;

describe('load: many calls and many tabs on an expired token', () => {
  let stack;

  before(async () => {
    stack = await startStack({ app: 'demo', testOp: true, recordingApi: true });
  });
  after(() => stack?.close());
  beforeEach(() => {
    stack.op.setScenario('valid');
    stack.recordingApi.clear();
    stack.app.setConfig(
      withRecordingApi(stack, stack.useTestOp({ silentRenew: { automatic: false, timeoutMs: 5000 } })),
    );
  });

  /** The `prompt=none` authorize requests so far (renewals and session restores). */
  const silentRequests = () =>
    stack.op.authorizeRequests.filter((request) => request.params.get('prompt') === 'none').length;

  /** Fires `count` concurrent HttpClient GETs of `url` in `page` (the demo's test-only hook); their statuses. */
  const concurrentGets = (page, url, count) =>
    page.evaluate(([target, n]) => window.ngxDemoConcurrentGets(target, n), [url, count]);

  const received = (path) => stack.recordingApi.requests.filter((request) => request.path === path);

  test(`${CALLS} concurrent calls on an expired token: one renewal, all ${CALLS} carry the new token`, async (t) => {
    const page = await stack.newPage();
    t.after(() => page.context().close());
    await page.goto(stack.app.url);
    assert.equal(await waitForAuthStatus(page), 'signed-out');
    stack.op.nextScenario('valid', { params: { expires_in: SHORT_EXPIRES_IN } });
    await page.getByTestId('sign-in').click();
    assert.equal(await waitForAuthStatus(page, /^signed-in$/), 'signed-in');
    const expired = stack.op.lastIssued.accessToken;
    await page.waitForTimeout(EXPIRED_AFTER_MS);
    const renewalsBefore = silentRequests();

    const path = '/rec/load';
    const started = Date.now();
    const statuses = await concurrentGets(page, `${stack.recordingApi.url}${path}`, CALLS);
    const seconds = (Date.now() - started) / 1000;

    assert.equal(statuses.length, CALLS);
    assert.deepEqual([...new Set(statuses)], [200], 'every call answered 200');
    assert.equal(silentRequests() - renewalsBefore, 1, 'exactly one renewal for all of them');
    const renewed = stack.op.lastIssued.accessToken;
    assert.notEqual(renewed, expired);
    const tokens = received(path).map((request) => request.authorization);
    assert.equal(tokens.length, CALLS, `the API got ${tokens.length} calls`);
    assert.deepEqual([...new Set(tokens)], [`Bearer ${renewed}`], 'all carry the new token, none the expired one');
    assert.equal(await waitForAuthStatus(page), 'signed-in');
    assert.equal((await page.getByTestId('auth-error').textContent()).trim(), '');
    t.diagnostic(`${CALLS} calls, 1 renewal, ${tokens.length} requests with the new token, in ${seconds} s`);
  });

  test(`${TABS} tabs on an expired token: one renewal between them, none signed out, each sends the new token`, async (t) => {
    const first = await stack.newPage();
    const context = first.context();
    t.after(() => context.close());
    await first.goto(stack.app.url);
    assert.equal(await waitForAuthStatus(first), 'signed-out');
    // Every token issued while the tabs open is short-lived: the sign-in, and each new tab's session restore.
    stack.op.setScenario('valid', { params: { expires_in: SHORT_EXPIRES_IN } });
    await first.getByTestId('sign-in').click();
    assert.equal(await waitForAuthStatus(first, /^signed-in$/), 'signed-in');
    const tabs = [first];
    for (let i = 1; i < TABS; i++) {
      const tab = await context.newPage();
      await tab.goto(stack.app.url);
      assert.equal(await waitForAuthStatus(tab, /^signed-in$/), 'signed-in', `tab ${i + 1} shares the session`);
      tabs.push(tab);
    }
    const lastShortToken = Date.now();
    stack.op.setScenario('valid');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastShortToken + EXPIRED_AFTER_MS - Date.now())));
    const renewalsBefore = silentRequests();
    const expired = stack.op.lastIssued.accessToken;

    // Every tab calls the API at the same moment, each on its own path.
    const paths = tabs.map((_, i) => `/rec/tab-${i + 1}`);
    const statuses = await Promise.all(
      tabs.map((tab, i) => concurrentGets(tab, `${stack.recordingApi.url}${paths[i]}`, 20)),
    );

    assert.deepEqual([...new Set(statuses.flat())], [200], 'every call answered 200');
    assert.equal(silentRequests() - renewalsBefore, 1, 'one renewal between the tabs');
    const renewed = `Bearer ${stack.op.lastIssued.accessToken}`;
    assert.notEqual(renewed, `Bearer ${expired}`);
    for (const [i, tab] of tabs.entries()) {
      const tokens = received(paths[i]).map((request) => request.authorization);
      assert.equal(tokens.length, 20, `tab ${i + 1}: the API got ${tokens.length} calls`);
      assert.deepEqual([...new Set(tokens)], [renewed], `tab ${i + 1} sends the new token`);
      assert.equal(await waitForAuthStatus(tab), 'signed-in', `tab ${i + 1} is still signed in`);
      assert.equal(await waitForTestIdText(tab, 'auth-error', /^$/), '', `tab ${i + 1} shows no error`);
    }
    // No renewal follows late (a tab that missed the result would renew on its own).
    await assertStaysAt(silentRequests, renewalsBefore + 1, { forMs: 1000, what: 'prompt=none requests' });
  });
});
