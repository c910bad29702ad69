/**
 * A provider that accepts the connection and never answers, or answers an error or garbage, on discovery, the
 * JWKS or UserInfo, one endpoint at a time: the demo leaves `loading` with a typed error on screen within the
 * deadline (`networkTimeoutMs`, short here), keeps nothing, and signs in at the next click once the provider
 * recovers, without a reload. Needs `npm run build:demo` first.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';

import { FAULTY_ENDPOINTS } from '../fixtures/test-op.mjs';
import { SESSION_ENTRY, openDemo, sessionStorageDump } from '../support/demo-flows.mjs';
import { waitForAuthStatus, waitForTestIdText } from '../support/page.mjs';
import { startStack } from '../support/stack.mjs';

const TIMEOUT_MS = 1500;
/** Time the page may take, beyond the deadline, to show the error (event loop, rendering, polling). */
const SLACK_MS = 2000;

/** Endpoint → when the demo first waits on it, and the step's own error code for a bad answer. */
const ENDPOINTS = [
  ['discovery', 'at the sign-in click', 'discovery_failed'],
  ['jwks', 'on the callback', 'jwks_failed'],
  ['userinfo', 'on the callback', 'userinfo_failed'],
];

describe('a provider that hangs or breaks one endpoint', () => {
  let stack;
  let page;

  before(async () => {
    stack = await startStack({ app: 'demo', testOp: true });
  });
  after(() => stack?.close());
  beforeEach(() => {
    stack.op.setScenario('valid');
    stack.useTestOp({ storage: 'session', loadUserInfo: true, networkTimeoutMs: TIMEOUT_MS });
  });
  afterEach(async () => {
    for (const [endpoint] of ENDPOINTS) stack.op.setEndpointFault(endpoint, null);
    stack.op.releaseHangingRequests();
    await page?.context().close();
  });

  const text = async (testId) => (await page.getByTestId(testId).textContent()).trim();

  async function assertNothingKept() {
    const kept = await sessionStorageDump(page);
    assert.ok(!SESSION_ENTRY.test(kept), `no session kept:\n${kept}`);
    for (const token of Object.values(stack.op.lastIssued)) assert.ok(!kept.includes(token), 'no token is kept');
    const hints = await page.evaluate(() => Object.keys(localStorage));
    assert.deepEqual(hints, [], 'no "had a session" hint either');
  }

  /** Clicks sign-in and waits until the demo is back, signed in (the OP answers at once). */
  async function signInAgain() {
    await page.getByTestId('sign-in').click();
    assert.equal(await waitForAuthStatus(page, /^signed-in$/), 'signed-in');
    assert.equal(await text('auth-error'), '');
    assert.ok(SESSION_ENTRY.test(await sessionStorageDump(page)), 'the new session is kept');
  }

  for (const [endpoint, when, stepCode] of ENDPOINTS) {
    test(`${endpoint} hangs ${when}: network_timeout shown at the deadline, nothing kept, next sign-in works`, async () => {
      page = await stack.newPage();
      assert.equal(await openDemo(page, stack), 'signed-out');
      stack.op.setEndpointFault(endpoint, 'hang');
      const before = stack.op.requests.length;

      await page.getByTestId('sign-in').click();
      assert.equal(
        await waitForTestIdText(page, 'auth-error', /\S/, { timeout: TIMEOUT_MS + 5000 }),
        'network_timeout',
      );
      const shownAt = Date.now();
      const hung = stack.op.requests.slice(before).find((request) => request.path === FAULTY_ENDPOINTS[endpoint]);
      assert.ok(hung, `the demo asked ${endpoint}`);
      const waited = shownAt - hung.time;
      assert.ok(waited >= TIMEOUT_MS - 100, `gave up after ${waited} ms: the deadline, not something else`);
      assert.ok(waited <= TIMEOUT_MS + SLACK_MS, `gave up after ${waited} ms, beyond the ${TIMEOUT_MS} ms deadline`);

      assert.equal(await waitForAuthStatus(page), 'signed-out');
      assert.equal(new URL(page.url()).origin, stack.app.origin);
      await assertNothingKept();

      stack.op.setEndpointFault(endpoint, null);
      await signInAgain();
    });

    for (const fault of ['http_500', 'garbage']) {
      test(`${endpoint} answers ${fault}: ${stepCode} shown, nothing kept, next sign-in works`, async () => {
        page = await stack.newPage();
        assert.equal(await openDemo(page, stack), 'signed-out');
        stack.op.setEndpointFault(endpoint, fault);
        await page.getByTestId('sign-in').click();
        assert.equal(await waitForTestIdText(page, 'auth-error', /\S/), stepCode);
        assert.equal(await waitForAuthStatus(page), 'signed-out');
        await assertNothingKept();

        stack.op.setEndpointFault(endpoint, null);
        await signInAgain();
      });
    }
  }
});
