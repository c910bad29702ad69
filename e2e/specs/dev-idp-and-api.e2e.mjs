/**
 * The real local infrastructure, as the demo meets it: the dev IdP's sign-in form issues an ID token and a
 * JWT access token for the demo API, and the demo API accepts exactly the tokens it should (RFC 6750, RFC 9068).
 * Needs no demo build: the redirect target is a blank page.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  SignJWT,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  generateKeyPair,
  importJWK,
  jwtVerify,
} from 'jose';

import { DEMO_API_AUDIENCE, DEMO_CLIENT_ID } from '../../dev/defaults.mjs';
import { atHash } from '../fixtures/test-op.mjs';
import { fragmentParams, signInAtDevIdp } from '../support/page.mjs';
import { startStack } from '../support/stack.mjs';

describe('the dev IdP and the demo API', () => {
  let stack;
  /** The tokens the first test obtains through the sign-in form; the API tests build on them. */
  let tokens;

  before(async () => {
    stack = await startStack({ app: 'blank' });
  });
  after(() => stack?.close());

  async function authorizeUrl(params = {}) {
    const discovery = await (await fetch(`${stack.idp.issuer}/.well-known/openid-configuration`)).json();
    const url = new URL(discovery.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: DEMO_CLIENT_ID,
      response_type: 'id_token token',
      redirect_uri: `${stack.app.origin}/`,
      scope: 'openid profile email read:messages',
      audience: DEMO_API_AUDIENCE,
      state: randomUUID(),
      nonce: randomUUID(),
      ...params,
    }).toString();
    return url;
  }

  test('the IdP login form signs a demo user in and issues tokens', async () => {
    const page = await stack.newPage();
    const authorize = await authorizeUrl();
    await page.goto(authorize.href);
    await signInAtDevIdp(page, { login: 'ada', idpOrigin: stack.idp.issuer });
    await page.waitForURL((url) => url.origin === stack.app.origin);

    const fragment = fragmentParams(page);
    assert.equal(fragment.get('state'), authorize.searchParams.get('state'));
    assert.equal(fragment.get('token_type'), 'Bearer');
    assert.ok(Number(fragment.get('expires_in')) > 0);
    const accessToken = fragment.get('access_token');
    const idToken = fragment.get('id_token');
    assert.ok(accessToken && idToken, `both tokens in the fragment: ${[...fragment.keys()]}`);

    const jwks = createRemoteJWKSet(new URL(`${stack.idp.issuer}/jwks`));
    const id = await jwtVerify(idToken, jwks, { issuer: stack.idp.issuer, audience: DEMO_CLIENT_ID });
    assert.equal(id.protectedHeader.alg, 'RS256');
    assert.equal(id.payload.nonce, authorize.searchParams.get('nonce'));
    assert.equal(id.payload.sub, 'ada');
    // Profile claims in the ID token even though an access token came along (conformIdTokenClaims off).
    assert.equal(id.payload.name, 'Ada Lovelace');
    assert.equal(id.payload.email, 'ada@example.com');
    assert.equal(id.payload.at_hash, atHash(accessToken));

    const access = await jwtVerify(accessToken, jwks, {
      issuer: stack.idp.issuer,
      audience: DEMO_API_AUDIENCE,
      typ: 'at+jwt',
    });
    assert.equal(decodeProtectedHeader(accessToken).typ, 'at+jwt');
    assert.equal(access.payload.client_id, DEMO_CLIENT_ID);
    assert.equal(access.payload.sub, 'ada');
    assert.deepEqual(access.payload.scope.split(' '), ['read:messages']);

    tokens = { accessToken, idToken, page };
  });

  test('a wrong password keeps the user on the sign-in form', async () => {
    const page = await stack.newPage();
    await page.goto((await authorizeUrl()).href);
    await assert.rejects(
      signInAtDevIdp(page, { login: 'alan', password: 'not-alan-password', idpOrigin: stack.idp.issuer }),
      /refused alan: Unknown user name or wrong password/,
    );
    assert.equal(new URL(page.url()).origin, stack.idp.issuer);
  });

  test('prompt=none answers without a page once signed in (what silent renew relies on)', async () => {
    assert.ok(tokens, 'needs the sign-in of the first test');
    const { page } = tokens;
    const state = randomUUID();
    const silent = await authorizeUrl({
      prompt: 'none',
      state,
      redirect_uri: `${stack.app.origin}/silent-callback.html`,
    });
    await page.goto(silent.href);
    await page.waitForURL((url) => url.origin === stack.app.origin);
    const fragment = fragmentParams(page);
    assert.equal(fragment.get('error'), null, fragment.get('error_description') ?? '');
    assert.equal(fragment.get('state'), state);
    assert.ok(fragment.get('access_token') && fragment.get('id_token'));
  });

  test('an unknown audience is refused with invalid_target before any sign-in page', async () => {
    const page = await stack.newPage();
    await page.goto((await authorizeUrl({ audience: 'urn:ngx-implicit-auth:unknown-api' })).href);
    await page.waitForURL((url) => url.origin === stack.app.origin);
    assert.equal(fragmentParams(page).get('error'), 'invalid_target');
  });

  describe('the demo API', () => {
    /**
     * A token the IdP could have issued: the real one's claims with `changes` (null deletes), signed with the
     * IdP's own key unless `key` says otherwise, so each test changes exactly one thing.
     */
    async function forgeAccessToken(changes = {}, { key, header = {} } = {}) {
      const payload = decodeJwt(tokens.accessToken);
      for (const [claim, value] of Object.entries(changes)) {
        if (value === null) delete payload[claim];
        else payload[claim] = value;
      }
      const { kid } = stack.idp.signingKey;
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt', ...header })
        .sign(key ?? (await importJWK(stack.idp.signingKey, 'RS256')));
    }
    const now = () => Math.floor(Date.now() / 1000);

    before(() => {
      assert.ok(tokens, 'needs the access token of the first test');
    });

    function call(path, authorization) {
      return fetch(`${stack.api.url}${path}`, { headers: authorization ? { Authorization: authorization } : {} });
    }

    async function assertRefused(response, { status, error, descriptionMatches, scope }) {
      assert.equal(response.status, status);
      const challenge = parseChallenge(response.headers.get('www-authenticate'));
      assert.equal(challenge.scheme, 'Bearer');
      assert.equal(challenge.params.realm, 'demo-api');
      assert.equal(challenge.params.error, error);
      if (descriptionMatches) assert.match(challenge.params.error_description, descriptionMatches);
      assert.equal(challenge.params.scope, scope);
      assert.equal((await response.json()).error, error ?? 'unauthorized');
    }

    test('answers 200 with the messages to the access token from the sign-in', async () => {
      const response = await call('/api/messages', `Bearer ${tokens.accessToken}`);
      assert.equal(response.status, 200);
      const body = await response.json();
      assert.equal(body.sub, 'ada');
      assert.ok(body.messages.length > 0);
    });

    test('answers /api/public without a token', async () => {
      assert.equal((await call('/api/public')).status, 200);
    });

    test('answers 401 with a bare challenge (no error code) when no token is sent', async () => {
      const response = await call('/api/messages');
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="demo-api"');
      await assertRefused(response, { status: 401, error: undefined });
    });

    test('answers 401 invalid_token to a garbage token', async () => {
      await assertRefused(await call('/api/messages', 'Bearer garbage.not-a.jwt'), {
        status: 401,
        error: 'invalid_token',
        descriptionMatches: /malformed/,
      });
    });

    test('answers 401 invalid_token to an expired token', async () => {
      const expired = await forgeAccessToken({ iat: now() - 7200, exp: now() - 3600 });
      await assertRefused(await call('/api/messages', `Bearer ${expired}`), {
        status: 401,
        error: 'invalid_token',
        descriptionMatches: /expired/,
      });
    });

    test('answers 401 invalid_token to a token for another audience', async () => {
      const other = await forgeAccessToken({ aud: 'urn:ngx-implicit-auth:another-api' });
      await assertRefused(await call('/api/messages', `Bearer ${other}`), {
        status: 401,
        error: 'invalid_token',
        descriptionMatches: /audience/,
      });
    });

    test('answers 401 invalid_token to a token signed by a key the IdP does not have', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await forgeAccessToken({}, { key: privateKey });
      await assertRefused(await call('/api/messages', `Bearer ${forged}`), {
        status: 401,
        error: 'invalid_token',
        descriptionMatches: /signature/,
      });
    });

    test('answers 401 invalid_token to an ID token presented as an access token', async () => {
      await assertRefused(await call('/api/messages', `Bearer ${tokens.idToken}`), {
        status: 401,
        error: 'invalid_token',
      });
      const untyped = await forgeAccessToken({}, { header: { typ: 'JWT' } });
      await assertRefused(await call('/api/messages', `Bearer ${untyped}`), {
        status: 401,
        error: 'invalid_token',
        descriptionMatches: /typ/,
      });
    });

    test('answers 403 insufficient_scope to a token without the scope', async () => {
      const noScope = await forgeAccessToken({ scope: 'openid profile' });
      await assertRefused(await call('/api/messages', `Bearer ${noScope}`), {
        status: 403,
        error: 'insufficient_scope',
        scope: 'read:messages',
      });
      await assertRefused(await call('/api/admin', `Bearer ${tokens.accessToken}`), {
        status: 403,
        error: 'insufficient_scope',
        scope: 'write:messages',
      });
    });

    test('lets the app origin call it with a token and read the challenge; other origins are blocked', async () => {
      const { page } = tokens;
      await page.goto(stack.app.url);
      const fromApp = await page.evaluate(
        async ({ url, token }) => {
          const ok = await fetch(`${url}/api/messages`, { headers: { Authorization: `Bearer ${token}` } });
          const refused = await fetch(`${url}/api/messages`);
          return { ok: ok.status, refused: refused.status, challenge: refused.headers.get('WWW-Authenticate') };
        },
        { url: stack.api.url, token: tokens.accessToken },
      );
      assert.deepEqual(fromApp, { ok: 200, refused: 401, challenge: 'Bearer realm="demo-api"' });

      // Same host name, other port: another origin, which the API's CORS policy does not name.
      await page.goto(`${stack.idp.issuer}/.well-known/openid-configuration`);
      const fromElsewhere = await page.evaluate(async (url) => {
        try {
          await fetch(`${url}/api/public`);
          return 'allowed';
        } catch {
          return 'blocked';
        }
      }, stack.api.url);
      assert.equal(fromElsewhere, 'blocked');
    });
  });
});

/** Parses `Bearer realm="x", error="y"` into `{ scheme, params }` (quoted-string values only, as RFC 6750 uses). */
function parseChallenge(header) {
  assert.ok(header, 'a WWW-Authenticate header');
  const [, scheme, rest = ''] = /^(\S+)\s*(.*)$/.exec(header);
  const params = {};
  for (const [, name, value] of rest.matchAll(/([a-z_]+)="([^"]*)"/g)) params[name] = value;
  return { scheme, params };
}
