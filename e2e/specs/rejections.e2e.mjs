/**
 * Every response the library must refuse, one test each, from the test OP (which breaks exactly one thing per
 * scenario): the demo shows the error code, stays signed out on its own page, keeps nothing, leaves no
 * callback parameter in the address bar or history, sends no token from the API console, and does not go
 * back to the provider by itself. The first test is the control: a valid response passes the same checks'
 * opposites, so none of them can pass by being unable to see a token. Needs `npm run build:demo` first.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import {
  apiEntry,
  assertNoCallbackInUrlOrHistory,
  assertStaysAt,
  callFromApiConsole,
  openDemo,
  sessionStorageDump,
} from '../support/demo-flows.mjs';
import { waitForAuthStatus, waitForTestIdText } from '../support/page.mjs';
import { startStack } from '../support/stack.mjs';

/** Test OP scenario → what `auth-error` must show (the provider's own `error`, verbatim, for access_denied). */
const REJECTIONS = [
  ['bad_signature', 'invalid_signature'],
  ['alg_none', 'unsupported_algorithm'],
  ['wrong_nonce', 'nonce_mismatch'],
  ['wrong_issuer', 'invalid_issuer'],
  ['wrong_audience', 'invalid_audience'],
  ['expired', 'token_expired'],
  ['missing_at_hash', 'at_hash_missing'],
  ['state_mismatch', 'state_mismatch'],
  ['access_denied', 'access_denied'],
  ['duplicate_param', 'duplicate_parameter'],
];

/** Where the library keeps a session when `storage: 'session'` (the tests use it to see what is kept). */
const SESSION_KEY = 'ngx-implicit-auth.session';

describe('refused sign-in responses', () => {
  let stack;
  /** Authorize requests the OP had received when the current test started. */
  let authorizeBefore;

  before(async () => {
    stack = await startStack({ app: 'demo', testOp: true, recordingApi: true });
  });
  after(() => stack?.close());
  beforeEach(() => {
    stack.recordingApi.clear();
    authorizeBefore = stack.op.authorizeRequests.length;
    // The recording API as an API entry that may be called without a token, so a call always reaches it and
    // its record shows whether a token went along.
    stack.useTestOp({ storage: 'session', apis: [apiEntry(stack.recordingApi.origin, { allowAnonymous: true })] });
  });

  const authorizeCount = () => stack.op.authorizeRequests.length - authorizeBefore;
  const text = async (page, testId) => (await page.getByTestId(testId).textContent()).trim();

  /** Opens the demo signed out and clicks sign-in; the test OP answers at once with `scenario`. */
  async function signInAgainst(scenario) {
    stack.op.setScenario(scenario);
    const page = await stack.newPage();
    assert.equal(await openDemo(page, stack), 'signed-out');
    await page.getByTestId('sign-in').click();
    return page;
  }

  test('control: a valid response signs in, is kept, and its token goes to the API entry', async () => {
    const page = await signInAgainst('valid');
    assert.equal(await waitForAuthStatus(page, /^signed-in$/), 'signed-in');
    assert.equal(await text(page, 'auth-error'), '');
    await assertNoCallbackInUrlOrHistory(page);
    const { accessToken } = stack.op.lastIssued;
    assert.ok((await sessionStorageDump(page)).includes(accessToken), 'the session is kept in sessionStorage');

    assert.match(await callFromApiConsole(page, `${stack.recordingApi.url}/api/messages`), /^200 /);
    assert.deepEqual(
      stack.recordingApi.requests.map((request) => request.authorization),
      [`Bearer ${accessToken}`],
    );
    assert.equal(authorizeCount(), 1);
    await page.context().close();
  });

  for (const [scenario, code] of REJECTIONS) {
    test(`${scenario}: shows ${code}, stays signed out, keeps and sends nothing, no second trip`, async () => {
      const page = await signInAgainst(scenario);
      assert.equal(await waitForTestIdText(page, 'auth-error', /\S/), code);
      assert.equal(await waitForAuthStatus(page), 'signed-out');
      assert.equal(await text(page, 'user-name'), '');
      assert.equal(new URL(page.url()).origin, stack.app.origin);
      await assertNoCallbackInUrlOrHistory(page);

      const kept = await sessionStorageDump(page);
      assert.ok(!kept.includes(SESSION_KEY), `no session kept:\n${kept}`);
      for (const token of Object.values(stack.op.lastIssued)) {
        assert.ok(!kept.includes(token), 'no token the OP sent is kept');
      }

      // The call goes out (the entry allows it without a token) and arrives with no Authorization at all.
      assert.match(await callFromApiConsole(page, `${stack.recordingApi.url}/api/messages`), /^200 /);
      assert.equal(stack.recordingApi.requests.length, 1);
      assert.equal(stack.recordingApi.requests[0].authorization, undefined);

      // One trip to the provider, and none after it: the refusal does not restart the sign-in.
      await assertStaysAt(authorizeCount, 1, { forMs: 100, what: 'authorize requests' });
      assert.equal(new URL(page.url()).origin, stack.app.origin);
      assert.equal(await text(page, 'auth-error'), code);
      await page.context().close();
    });
  }
});
