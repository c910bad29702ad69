/**
 * An app deployed under a sub-path (`<base href="/app/">`, served at `<origin>/app/`, nothing at the origin's
 * root): with the three URIs set as the README says, it signs in, lands back on the sub-path, restores the
 * session on reload through `/app/silent-callback.html`, and calls the API. The library's defaults follow
 * `<base href>`, so the same holds with no settings at all: shown by the second test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { callFromApiConsole } from '../support/demo-flows.mjs';
import { signInAtDevIdp, waitForAuthStatus } from '../support/page.mjs';
import { recordIdpAuthorizations } from '../support/silent-renewal.mjs';
import { startStack } from '../support/stack.mjs';

describe('an app under a sub-path (/app/)', () => {
  let stack;
  let base;

  before(async () => {
    stack = await startStack({ app: 'demo', basePath: '/app/' });
    base = stack.app.url;
    assert.equal(base, `${stack.app.origin}/app/`);
  });
  after(() => stack?.close());

  const subPathConfig = () => ({
    ...stack.authConfig,
    redirectUri: base,
    silentRenew: { redirectUri: `${base}silent-callback.html` },
    logout: { postLogoutRedirectUri: base },
  });

  for (const [settings, config] of [
    ['the three URIs set as the README says', () => subPathConfig()],
    ['no settings (the defaults follow <base href>)', () => stack.authConfig],
  ]) {
    test(`with ${settings}: signs in, comes back to /app/, restores the session on reload and calls the API`, async () => {
      stack.app.setConfig(config());
      const authorizations = recordIdpAuthorizations(stack.idp);
      const page = await stack.newPage();
      try {
        await page.goto(`${base}profile`);
        // The guarded deep link starts the sign-in; the user comes back to it, under the sub-path.
        await signInAtDevIdp(page, { login: 'ada', idpOrigin: stack.idp.issuer });
        await page.waitForURL((url) => url.origin === stack.app.origin);
        await waitForAuthStatus(page, /^signed-in$/);
        await page.waitForURL((url) => url.pathname === '/app/profile');
        assert.equal(authorizations.all[0]?.redirectUri, base);

        await page.reload();
        await waitForAuthStatus(page, /^signed-in$/);
        assert.equal(new URL(page.url()).pathname, '/app/profile');
        const restore = authorizations.silent().at(-1);
        assert.equal(restore?.redirectUri, `${base}silent-callback.html`);
        assert.equal(restore?.outcome, 'success');
        assert.ok(
          stack.app.requests.some(({ path }) => path === '/app/silent-callback.html'),
          'the renewal iframe loaded /app/silent-callback.html',
        );

        await page.goto(base);
        await waitForAuthStatus(page, /^signed-in$/);
        const shown = await callFromApiConsole(page, `${stack.api.url}/api/messages`);
        assert.match(shown, /^200 /);
        assert.match(shown, /"sub": ?"ada"/);
      } finally {
        authorizations.stop();
        await page.context().close();
      }
    });
  }
});
