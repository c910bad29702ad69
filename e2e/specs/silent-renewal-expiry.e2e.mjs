/**
 * Proactive renewal against the dev IdP with tokens that live 10 s: the app renews them in the background
 * before they expire, twice in a row (each renewal schedules the next), and API calls keep going out with a
 * valid token, without the top page ever navigating. Needs `npm run build:demo` first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';

import {
  callApi,
  markDocument,
  pollUntil,
  recordIdpAuthorizations,
  recordTopNavigations,
  signInThroughApp,
  tokenSentToRecordingApi,
  withRecordingApi,
} from '../support/silent-renewal.mjs';
import { startStack } from '../support/stack.mjs';

/** Lifetime of the IdP's access and ID tokens, in seconds. */
const TTL = 10;
/**
 * More than half the lifetime, so the library's cap applies: renewal at half the time left until the token stops
 * being handed out (expiry less the 1 s skew: ~4.5 s after each token arrives), well before expiry and never back
 * to back.
 */
const MARGIN = 8;

describe('proactive silent renewal with short-lived tokens', () => {
  let stack;
  let idp;

  before(async () => {
    stack = await startStack({ app: 'demo', recordingApi: true, idp: { accessTokenTtl: TTL, idTokenTtl: TTL } });
    idp = recordIdpAuthorizations(stack.idp);
  });
  after(async () => {
    idp?.stop();
    await stack?.close();
  });

  const bearer = (header) => decodeJwt(header.slice('Bearer '.length));

  test('renews before expiry, in the background, and the API keeps answering 200', async (t) => {
    // A clock skew allowance shorter than the lifetime, or the app would refuse every 10 s token as expiring.
    stack.app.setConfig(
      withRecordingApi(stack, stack.authConfig, { clockSkewSeconds: 1, silentRenew: { marginSeconds: MARGIN } }),
    );
    const page = await stack.newPage();
    t.after(() => page.context().close());
    await signInThroughApp(page, stack);
    const signIn = idp.all.at(-1);
    const already = idp.silent().length;
    const silent = () => idp.silent().slice(already);
    const sameDocument = await markDocument(page);
    const navigations = recordTopNavigations(page);

    const first = await tokenSentToRecordingApi(page, stack);
    const { iat, exp } = bearer(first);
    assert.equal(exp - iat, TTL);
    const expiresAt = exp * 1000;

    // First renewal: started by the timer around half the lifetime, well before the token expires.
    const [renewal] = await pollUntil(silent, (list) => list.length >= 1, {
      timeout: (TTL + 5) * 1000,
      what: 'the first automatic renewal',
    });
    assert.equal(renewal.outcome, 'success');
    assert.equal(renewal.idTokenHint, signIn.idToken);
    assert.equal(renewal.redirectUri, `${stack.app.origin}/silent-callback.html`);
    assert.ok(renewal.time >= (iat + TTL / 2 - 2) * 1000, `renewed ${expiresAt - renewal.time} ms before expiry`);
    assert.ok(renewal.time <= expiresAt - 2000, `renewed ${expiresAt - renewal.time} ms before expiry`);
    const second = await pollUntil(
      () => tokenSentToRecordingApi(page, stack),
      (sent) => sent !== first,
      { timeout: expiresAt - Date.now(), what: 'the renewed token in use before the first one expired' },
    );
    const afterFirst = await callApi(page, `${stack.api.url}/api/messages`);
    assert.deepEqual(afterFirst, { status: 200, authorization: second });

    // Second renewal: the renewed token scheduled its own, with the renewed ID token as the hint.
    const secondExpiresAt = bearer(second).exp * 1000;
    await pollUntil(silent, (list) => list.length >= 2, { timeout: (TTL + 5) * 1000, what: 'the second renewal' });
    assert.equal(silent()[1].outcome, 'success');
    assert.equal(silent()[1].idTokenHint, renewal.idToken);
    assert.ok(silent()[1].time <= secondExpiresAt - 2000);
    const third = await pollUntil(
      () => tokenSentToRecordingApi(page, stack),
      (sent) => sent !== second,
      { timeout: secondExpiresAt - Date.now(), what: 'the second renewed token in use' },
    );

    // Past the first token's lifetime, calls still carry a valid token and succeed.
    const pastFirstExpiry = expiresAt + 500 - Date.now();
    if (pastFirstExpiry > 0) await page.waitForTimeout(pastFirstExpiry);
    const afterSecond = await callApi(page, `${stack.api.url}/api/messages`);
    assert.deepEqual(afterSecond, { status: 200, authorization: third });
    assert.ok(bearer(third).exp * 1000 > Date.now());

    assert.equal(silent().length, 2, 'one renewal per token, not a loop');
    assert.deepEqual(navigations, [], 'the top page never navigated');
    assert.ok(await sameDocument(), 'the page was never reloaded');
    assert.equal(await page.locator('iframe').count(), 0);
  });

  test('a token that lives less than the clock-skew allowance is still sent, without a renewal per call', async (t) => {
    // The defaults (clockSkewSeconds 300, marginSeconds 60) with the IdP's 10 s tokens: handed out for 5 s, renewed
    // after 2.5 s.
    stack.app.setConfig(withRecordingApi(stack));
    const page = await stack.newPage();
    t.after(() => page.context().close());
    await signInThroughApp(page, stack);
    const already = idp.silent().length;

    const { status, authorization } = await callApi(page, `${stack.api.url}/api/messages`);
    assert.match(authorization ?? '(none)', /^Bearer \S+$/, 'the fresh token goes out');
    assert.equal(status, 200);
    assert.equal(idp.silent().length - already, 0, 'a token issued a moment ago needs no renewal');
  });
});
