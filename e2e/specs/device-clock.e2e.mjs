/**
 * A device clock that is wrong must not lock the user out. The browser's own clock is moved (Playwright's
 * `clock.install`: `Date.now()` and timers in the page), the test OP signs on the real time. Default mode
 * tolerates 300 s: within it sign-in works and the token goes to the API, beyond it the demo shows `clock_skew`,
 * keeps nothing and does not go back to the provider. `clock: 'provider'` learns the offset from the first ID
 * token and signs in at every offset. Needs `npm run build:demo` first.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import {
  apiEntry,
  assertStaysAt,
  callFromApiConsole,
  openDemo,
  SESSION_ENTRY,
  sessionStorageDump,
} from '../support/demo-flows.mjs';
import { waitForAuthStatus, waitForTestIdText } from '../support/page.mjs';
import { startStack } from '../support/stack.mjs';

const MINUTE = 60_000;
/** How far the browser's clock is moved, and whether default mode signs in. */
const OFFSETS = [
  ['10 min slow', -10 * MINUTE, false],
  ['4 min slow', -4 * MINUTE, true],
  ['4 min fast', 4 * MINUTE, true],
  ['10 min fast', 10 * MINUTE, false],
  ['3 h fast', 180 * MINUTE, false],
];

describe('a browser whose clock is wrong', () => {
  let stack;
  let authorizeBefore;

  before(async () => {
    stack = await startStack({ app: 'demo', testOp: true, recordingApi: true });
  });
  after(() => stack?.close());
  beforeEach(() => {
    stack.recordingApi.clear();
    stack.op.setScenario('valid');
    authorizeBefore = stack.op.authorizeRequests.length;
  });

  const authorizeCount = () => stack.op.authorizeRequests.length - authorizeBefore;

  /** A fresh page whose clock is `offsetMs` off, signed in against the test OP (which answers at once). */
  async function signInWithClock(offsetMs, overrides) {
    stack.useTestOp({
      storage: 'session',
      apis: [apiEntry(stack.recordingApi.origin, { allowAnonymous: true })],
      ...overrides,
    });
    const page = await stack.newPage();
    await page.context().clock.install({ time: Date.now() + offsetMs });
    assert.equal(await openDemo(page, stack), 'signed-out');
    const skew = await page.evaluate(() => Date.now());
    assert.ok(Math.abs(skew - Date.now() - offsetMs) < 5000, "the page's clock is moved");
    await page.getByTestId('sign-in').click();
    return page;
  }

  async function assertSignedInAndCalling(page) {
    assert.equal(await waitForAuthStatus(page, /^signed-in$/), 'signed-in');
    assert.equal((await page.getByTestId('auth-error').textContent()).trim(), '');
    // The interceptor finds the token usable on the page's clock and sends it.
    assert.match(await callFromApiConsole(page, `${stack.recordingApi.url}/api/messages`), /^200 /);
    assert.deepEqual(
      stack.recordingApi.requests.map((request) => request.authorization),
      [`Bearer ${stack.op.lastIssued.accessToken}`],
    );
    assert.equal(authorizeCount(), 1);
  }

  for (const [name, offsetMs, passes] of OFFSETS) {
    test(`default mode, clock ${name}: ${passes ? 'signs in and calls the API' : 'clock_skew, nothing kept, no loop'}`, async () => {
      const page = await signInWithClock(offsetMs, {});
      if (passes) {
        await assertSignedInAndCalling(page);
      } else {
        assert.equal(await waitForTestIdText(page, 'auth-error', /\S/), 'clock_skew');
        assert.equal(await waitForAuthStatus(page), 'signed-out');
        const kept = await sessionStorageDump(page);
        assert.ok(!SESSION_ENTRY.test(kept), `no session kept:\n${kept}`);
        assert.ok(!/\.clock-offset=/.test(kept), 'no clock offset kept');
        await assertStaysAt(authorizeCount, 1, { forMs: 200, what: 'authorize requests' });
      }
      await page.context().close();
    });
  }

  for (const [name, offsetMs] of OFFSETS) {
    test(`clock: 'provider', clock ${name}: signs in and calls the API`, async () => {
      const page = await signInWithClock(offsetMs, { clock: 'provider' });
      await assertSignedInAndCalling(page);
      const kept = await sessionStorageDump(page);
      const learned = Number(/\.clock-offset=(-?\d+)/.exec(kept)?.[1]);
      assert.ok(Math.abs(learned - offsetMs) < 5000, `the learned offset (${learned} ms) is the clock's`);
      await page.context().close();
    });
  }
});
