/**
 * The e2e fixtures themselves: the library's rejection tests are only as good as the test OP's bad
 * responses, so each scenario is checked to break exactly one thing (and `valid` to break nothing).
 * Plain HTTP, no browser.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { compactVerify, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';

import { ENDPOINT_FAULTS, FAULTY_ENDPOINTS, SCENARIOS, atHash, startTestOp } from '../fixtures/test-op.mjs';
import { startRecordingApi } from '../fixtures/recording-api.mjs';

const REDIRECT_URI = 'http://localhost:4200/';

describe('the test OP fixture', () => {
  let op;
  let jwks;

  before(async () => {
    op = await startTestOp({ issParameter: true });
    jwks = createRemoteJWKSet(new URL(`${op.issuer}/jwks`));
  });
  after(() => op?.close());
  beforeEach(() => op.setScenario('valid'));

  /** Sends an authorize request and returns the redirect's fragment parameters. */
  async function authorize(params = {}) {
    const url = new URL(`${op.issuer}/authorize`);
    url.search = new URLSearchParams({
      client_id: 'demo-spa',
      response_type: 'id_token token',
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile read:messages',
      audience: 'urn:ngx-implicit-auth:demo-api',
      state: 'state-1',
      nonce: 'nonce-1',
      ...params,
    }).toString();
    const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5000) });
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location'));
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
    return new URLSearchParams(location.hash.slice(1));
  }

  const verifyIdToken = (token, options = {}) =>
    jwtVerify(token, jwks, { issuer: op.issuer, audience: 'demo-spa', ...options });

  test('publishes discovery with its own origin as issuer, and its JWKS', async () => {
    const discovery = await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json();
    assert.equal(discovery.issuer, op.issuer);
    assert.equal(discovery.authorization_endpoint, `${op.issuer}/authorize`);
    assert.equal(discovery.end_session_endpoint, `${op.issuer}/logout`);
    assert.equal(discovery.authorization_response_iss_parameter_supported, true);
    const { keys } = await (await fetch(discovery.jwks_uri)).json();
    assert.equal(keys.length, 1);
    assert.equal(keys[0].d, undefined, 'no private key material in the JWKS');
  });

  test('valid: answers what the request asked for, correctly signed, with at_hash and iss', async () => {
    const fragment = await authorize();
    assert.equal(fragment.get('state'), 'state-1');
    assert.equal(fragment.get('iss'), op.issuer);
    assert.equal(fragment.get('token_type'), 'Bearer');
    const { payload } = await verifyIdToken(fragment.get('id_token'));
    assert.equal(payload.nonce, 'nonce-1');
    assert.equal(payload.at_hash, atHash(fragment.get('access_token')));
    const access = await jwtVerify(fragment.get('access_token'), jwks, {
      issuer: op.issuer,
      audience: 'urn:ngx-implicit-auth:demo-api',
      typ: 'at+jwt',
    });
    assert.equal(access.payload.scope, 'openid profile read:messages');
    assert.deepEqual(op.lastIssued, { idToken: fragment.get('id_token'), accessToken: fragment.get('access_token') });
  });

  test('valid with response_type=id_token: no access token, no at_hash', async () => {
    const fragment = await authorize({ response_type: 'id_token' });
    assert.equal(fragment.get('access_token'), null);
    assert.equal((await verifyIdToken(fragment.get('id_token'))).payload.at_hash, undefined);
  });

  for (const params of [{ response_type: 'token' }, { response_type: 'id_token token', scenario: 'token_only' }]) {
    test(`${params.scenario ?? 'valid'} with response_type=${params.response_type}: only the OAuth 2.0 response`, async () => {
      if (params.scenario) op.setScenario(params.scenario);
      const fragment = await authorize({ response_type: params.response_type });
      assert.deepEqual([...fragment.keys()].sort(), [
        'access_token',
        'expires_in',
        'iss',
        'scope',
        'state',
        'token_type',
      ]);
      assert.equal(fragment.get('expires_in'), '3600');
    });
  }

  test('bad_signature: a token that decodes but does not verify, with the real kid', async () => {
    op.setScenario('bad_signature');
    const fragment = await authorize();
    const idToken = fragment.get('id_token');
    assert.equal(decodeProtectedHeader(idToken).kid, 'test-op-key-1');
    assert.equal(decodeJwt(idToken).nonce, 'nonce-1');
    await assert.rejects(verifyIdToken(idToken), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });

  test('alg_none: an unsigned ID token', async () => {
    op.setScenario('alg_none');
    const idToken = (await authorize()).get('id_token');
    assert.equal(decodeProtectedHeader(idToken).alg, 'none');
    assert.ok(idToken.endsWith('.'));
  });

  const claimScenarios = {
    wrong_nonce: (payload) => assert.notEqual(payload.nonce, 'nonce-1'),
    wrong_issuer: (payload) => assert.equal(payload.iss, 'https://attacker.example'),
    wrong_audience: (payload) => assert.equal(payload.aud, 'another-client'),
    expired: (payload) => assert.ok(payload.exp < Date.now() / 1000 - 3000),
    missing_at_hash: (payload) => assert.equal('at_hash' in payload, false),
  };
  for (const [scenario, check] of Object.entries(claimScenarios)) {
    test(`${scenario}: a correctly signed ID token with that one defect`, async () => {
      op.setScenario(scenario);
      const fragment = await authorize();
      // Signed by the real key (signature checked alone, claims not): the defect is the only reason to refuse it.
      await compactVerify(fragment.get('id_token'), jwks);
      check(decodeJwt(fragment.get('id_token')));
      assert.equal(fragment.get('state'), 'state-1');
    });
  }

  test('state_mismatch: a valid response carrying another state', async () => {
    op.setScenario('state_mismatch');
    const fragment = await authorize();
    assert.notEqual(fragment.get('state'), 'state-1');
    await verifyIdToken(fragment.get('id_token'));
  });

  for (const scenario of ['access_denied', 'login_required']) {
    test(`${scenario}: an error response with the request's state and no tokens`, async () => {
      op.setScenario(scenario);
      const fragment = await authorize({ prompt: 'none' });
      assert.equal(fragment.get('error'), scenario);
      assert.ok(fragment.get('error_description'));
      assert.equal(fragment.get('state'), 'state-1');
      assert.equal(fragment.get('access_token'), null);
      assert.equal(fragment.get('id_token'), null);
    });
  }

  test('duplicate_param: state twice (configurable), otherwise valid', async () => {
    op.setScenario('duplicate_param');
    assert.deepEqual((await authorize()).getAll('state'), ['state-1', 'state-1']);
    op.setScenario('duplicate_param', { param: 'access_token' });
    assert.equal((await authorize()).getAll('access_token').length, 2);
  });

  test('never_answer: holds the authorize request until released', async () => {
    op.setScenario('never_answer');
    const pending = fetch(`${op.issuer}/authorize?redirect_uri=${encodeURIComponent(REDIRECT_URI)}`, {
      redirect: 'manual',
    });
    const outcome = await Promise.race([pending.then(() => 'answered'), delay(300).then(() => 'pending')]);
    assert.equal(outcome, 'pending');
    op.releaseHangingRequests();
    assert.equal((await pending).status, 504);
  });

  test('nextScenario applies once, then the current scenario again', async () => {
    op.nextScenario('login_required');
    assert.equal((await authorize()).get('error'), 'login_required');
    assert.equal((await authorize()).get('error'), null);
  });

  test('overrides change single claims or parameters (null deletes)', async () => {
    op.setScenario('valid', { idTokenClaims: { azp: 'someone-else', sub: null }, params: { expires_in: null } });
    const fragment = await authorize();
    const { payload } = await verifyIdToken(fragment.get('id_token'));
    assert.equal(payload.azp, 'someone-else');
    assert.equal('sub' in payload, false);
    assert.equal(fragment.has('expires_in'), false);
  });

  test('records requests, e.g. prompt and id_token_hint of a silent renewal', async () => {
    await authorize({ prompt: 'none', id_token_hint: 'hint-1' });
    const last = op.authorizeRequests.at(-1);
    assert.equal(last.params.get('prompt'), 'none');
    assert.equal(last.params.get('id_token_hint'), 'hint-1');
  });

  test('rotates its signing key: the new kid is in the JWKS and signs from then on', async () => {
    const kid = await op.rotateSigningKey();
    const fragment = await authorize();
    assert.equal(decodeProtectedHeader(fragment.get('id_token')).kid, kid);
    const { keys } = await (await fetch(`${op.issuer}/jwks`)).json();
    assert.deepEqual(keys.map((key) => key.kid).sort(), ['test-op-key-1', kid].sort());
  });

  test('redirects only to loopback URIs', async () => {
    const url = `${op.issuer}/authorize?redirect_uri=${encodeURIComponent('https://evil.example/')}`;
    assert.equal((await fetch(url, { redirect: 'manual' })).status, 400);
  });

  test('end_session redirects to the post-logout URI with the state', async () => {
    const url = new URL(`${op.issuer}/logout`);
    url.search = new URLSearchParams({
      post_logout_redirect_uri: REDIRECT_URI,
      state: 's',
      id_token_hint: 'h',
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.headers.get('location'), `${REDIRECT_URI}?state=s`);
    assert.equal(op.requests.at(-1).params.get('id_token_hint'), 'h');
  });

  test("issParameter 'unless-id-token' omits iss when an ID token carries the issuer, as oidc-provider does", async () => {
    const likeOidcProvider = await startTestOp({ issParameter: 'unless-id-token' });
    try {
      const discovery = await (await fetch(`${likeOidcProvider.issuer}/.well-known/openid-configuration`)).json();
      assert.equal(discovery.authorization_response_iss_parameter_supported, true);
      const answer = async (responseType) => {
        const url = `${likeOidcProvider.issuer}/authorize?response_type=${encodeURIComponent(responseType)}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&client_id=demo-spa`;
        const location = (await fetch(url, { redirect: 'manual' })).headers.get('location');
        return new URLSearchParams(new URL(location).hash.slice(1));
      };
      assert.equal((await answer('id_token token')).get('iss'), null);
      assert.equal((await answer('token')).get('iss'), likeOidcProvider.issuer);
    } finally {
      await likeOidcProvider.close();
    }
  });

  for (const [endpoint, path] of Object.entries(FAULTY_ENDPOINTS)) {
    test(`endpoint faults on ${endpoint}: hang, HTTP 500, garbage, each with CORS, refuse, then repaired`, async () => {
      const url = `${op.issuer}${path}`;
      const init = { headers: { Origin: 'http://localhost:4200' } };
      try {
        op.setEndpointFault(endpoint, 'hang');
        const pending = fetch(url, init);
        const outcome = await Promise.race([pending.then(() => 'answered'), delay(300).then(() => 'pending')]);
        assert.equal(outcome, 'pending');
        op.releaseHangingRequests();
        assert.equal((await pending).status, 504);

        op.setEndpointFault(endpoint, 'http_500');
        const failed = await fetch(url, init);
        assert.equal(failed.status, 500);
        assert.equal(failed.headers.get('access-control-allow-origin'), '*');

        op.setEndpointFault(endpoint, 'garbage');
        const garbage = await fetch(url, init);
        assert.equal(garbage.status, 200);
        assert.equal(garbage.headers.get('access-control-allow-origin'), '*');
        await assert.rejects(garbage.json(), SyntaxError);

        // No answer at all: the connection closes, which fetch reports as a network failure.
        op.setEndpointFault(endpoint, 'refuse');
        await assert.rejects(fetch(url, { ...init, signal: AbortSignal.timeout(5000) }), (error) => {
          assert.equal(error.name, 'TypeError');
          return true;
        });
      } finally {
        op.setEndpointFault(endpoint, null);
      }
      // Repaired: discovery and the JWKS answer again (UserInfo answers 401 without a token, and authorize 400
      // without a redirect_uri, as before).
      const repaired = { userinfo: 401, authorize: 400 }[endpoint] ?? 200;
      assert.equal((await fetch(url, init)).status, repaired);
    });
  }

  test('knows every endpoint fault it documents and refuses unknown ones', () => {
    assert.deepEqual(ENDPOINT_FAULTS, ['hang', 'http_500', 'garbage', 'refuse']);
    assert.throws(() => op.setEndpointFault('logout', 'hang'), /Unknown test OP endpoint/);
    assert.throws(() => op.setEndpointFault('jwks', 'slow'), /Unknown test OP fault/);
  });

  test('knows every scenario it documents and refuses unknown ones', () => {
    assert.deepEqual(Object.keys(SCENARIOS).sort(), [
      'access_denied',
      'alg_none',
      'bad_signature',
      'duplicate_param',
      'expired',
      'login_required',
      'missing_at_hash',
      'never_answer',
      'state_mismatch',
      'token_only',
      'valid',
      'wrong_audience',
      'wrong_issuer',
      'wrong_nonce',
    ]);
    assert.throws(() => op.setScenario('no_such_scenario'), /Unknown test OP scenario/);
  });
});

describe('the recording API fixture', () => {
  let api;
  before(async () => {
    api = await startRecordingApi();
  });
  after(() => api?.close());

  test('records the Authorization header of each call, not of preflights, and allows any origin', async () => {
    const preflight = await fetch(`${api.url}/api/x`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:4200', 'Access-Control-Request-Headers': 'authorization' },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://localhost:4200');
    assert.equal(preflight.headers.get('access-control-allow-headers'), 'authorization');
    const response = await fetch(`${api.url}/api/x`, { headers: { Authorization: 'Bearer t' } });
    assert.deepEqual(await response.json(), { recorded: true, path: '/api/x', authorization: 'present' });
    await fetch(`${api.url}/other`);
    assert.deepEqual(
      api.requests.map(({ path, authorization }) => ({ path, authorization })),
      [
        { path: '/api/x', authorization: 'Bearer t' },
        { path: '/other', authorization: undefined },
      ],
    );
    assert.equal(api.authorizedRequests().length, 1);
  });
});

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
