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
  SESSION_ENTRY,
  sessionStorageDump,
} from '../support/demo-flows.mjs';
import { waitForAuthStatus, waitForTestIdText } from '../support/page.mjs';
import { startStack } from '../support/stack.mjs';

/** Seconds since the epoch, as JWT claims count. */
const epoch = () => Math.floor(Date.now() / 1000);

/**
 * Test OP scenario → what `auth-error` must show (the provider's own `error`, verbatim, for access_denied), and
 * optionally the scenario's options and config overrides for the demo.
 */
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
  // Otherwise valid, with the request's own nonce, but issued an hour before the sign-in started (OIDC Core
  // §3.1.3.7 rule 10): the nonce inside did not exist then, so on a first token only a clock difference explains
  // it (a renewal's token is refused as invalid_iat, see the unit specs).
  ['valid', 'clock_skew', { name: 'stale_iat', options: () => ({ idTokenClaims: { iat: epoch() - 3600 } }) }],
  // Issued two hours before the request, expired an hour ago, with the request's nonce: a provider clock two hours
  // behind, not an expired token (on its own clock it has an hour to live).
  [
    'valid',
    'clock_skew',
    {
      name: 'backdated',
      options: () => ({ idTokenClaims: { iat: epoch() - 7200, auth_time: epoch() - 7200, exp: epoch() - 3600 } }),
    },
  ],
  // max_age=300 sent; the OP says the user authenticated an hour ago (OIDC Core §3.1.3.7 rule 13).
  [
    'valid',
    'auth_time_too_old',
    {
      name: 'old_auth_time',
      config: { maxAgeSeconds: 300 },
      options: () => ({ idTokenClaims: { auth_time: epoch() - 3600 } }),
    },
  ],
];

/** Where the library keeps a session when `storage: 'session'` (the tests use it to see what is kept). */

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
  async function signInAgainst(scenario, options) {
    stack.op.setScenario(scenario, options);
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

  for (const [scenario, code, variant = {}] of REJECTIONS) {
    const name = variant.name ?? scenario;
    test(`${name}: shows ${code}, stays signed out, keeps and sends nothing, no second trip`, async () => {
      if (variant.config) {
        stack.useTestOp({
          storage: 'session',
          apis: [apiEntry(stack.recordingApi.origin, { allowAnonymous: true })],
          ...variant.config,
        });
      }
      const page = await signInAgainst(scenario, variant.options?.());
      assert.equal(await waitForTestIdText(page, 'auth-error', /\S/), code);
      if (variant.config?.maxAgeSeconds !== undefined) {
        const sent = stack.op.authorizeRequests.at(-1).params.get('max_age');
        assert.equal(sent, String(variant.config.maxAgeSeconds), 'max_age was sent');
      }
      assert.equal(await waitForAuthStatus(page), 'signed-out');
      assert.equal(await text(page, 'user-name'), '');
      assert.equal(new URL(page.url()).origin, stack.app.origin);
      await assertNoCallbackInUrlOrHistory(page);

      const kept = await sessionStorageDump(page);
      assert.ok(!SESSION_ENTRY.test(kept), `no session kept:\n${kept}`);
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

  test('a 1 MB callback fragment: refused as invalid_response before any validation, nothing kept', async () => {
    stack.op.setScenario('valid');
    const page = await stack.newPage();
    const jwksBefore = stack.op.requests.filter((request) => request.path === '/jwks').length;
    const padding = 'x'.repeat(1024 * 1024);
    // Straight into a fresh page: the app starts with the fragment in its address bar, as after a redirect.
    await page.goto(`${stack.app.url}#access_token=at&token_type=Bearer&expires_in=3600&state=s&pad=${padding}`);
    assert.equal(await waitForTestIdText(page, 'auth-error', /\S/), 'invalid_response');
    assert.equal(await waitForAuthStatus(page), 'signed-out');
    await assertNoCallbackInUrlOrHistory(page);
    const kept = await sessionStorageDump(page);
    assert.ok(!SESSION_ENTRY.test(kept), `no session kept:\n${kept.slice(0, 500)}`);
    assert.ok(!kept.includes(padding.slice(0, 1000)), 'nothing of the fragment is kept');
    // Refused before validation: the provider's keys were never fetched for it, and no sign-in was started.
    assert.equal(stack.op.requests.filter((request) => request.path === '/jwks').length, jwksBefore);
    assert.equal(authorizeCount(), 0);
    await page.context().close();
  });
});
