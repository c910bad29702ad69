/**
 * The README's quick start, end to end: a fresh app made only of the files README.md shows (built for production
 * by scripts/ng-add-check.mjs into dist/quick-start-app/browser), served on its own origin, with
 * `npm run dev-provider -- --app <that origin>` as the README says. A user signs in, the profile page's
 * HttpClient call reaches the demo API with the access token, and a reload restores the session without ever
 * showing "Sign in".
 *
 * The build names the URLs the README shows (provider on localhost:4400, API on localhost:4401); this test runs
 * the provider on free ports, so it serves a copy of the build with those two URLs replaced.
 *
 *   npm run check:ng-add && node e2e/run.mjs e2e/fresh-app/quick-start.e2e.mjs
 *
 * `npm run check:angular22` runs it against the same quick start built with Angular 22 (QUICK_START_DIST).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, newBrowserPage } from '../support/browser.mjs';
import { startDemoServer } from '../support/demo-server.mjs';
import { startDevProvider } from '../support/dev-provider.mjs';
import { signInAtDevIdp } from '../support/page.mjs';
import { pollUntil } from '../support/silent-renewal.mjs';
import { ACTION_TIMEOUT_MS } from '../support/stack.mjs';

/** scripts/ng-add-check.mjs's build; scripts/angular-22-check.mjs names its Angular 22 build in QUICK_START_DIST. */
const QUICK_START_DIST =
  process.env.QUICK_START_DIST ?? fileURLToPath(new URL('../../dist/quick-start-app/browser/', import.meta.url));
const README_ISSUER = 'http://localhost:4400';
const README_API = 'http://localhost:4401';

describe("the README's quick start, built in a fresh app", () => {
  let copy;
  let app;
  let provider;
  let browser;

  before(async () => {
    if (!existsSync(join(QUICK_START_DIST, 'index.html'))) {
      throw new Error(`No quick-start build in ${QUICK_START_DIST}: run npm run check:ng-add first.`);
    }
    // The app's origin must exist before the provider can register it, and the provider's ports before the
    // copy can name them: serve the copy's folder first, fill it in once the provider runs.
    copy = await mkdtemp(join(tmpdir(), 'ngx-implicit-auth-quick-start-'));
    await writeFile(join(copy, 'index.html'), '');
    app = await startDemoServer({ root: copy });
    provider = await startDevProvider([app.origin]);
    await cp(QUICK_START_DIST, copy, { recursive: true });
    let replaced = 0;
    for (const name of await readdir(copy)) {
      if (!name.endsWith('.js')) continue;
      const text = await readFile(join(copy, name), 'utf8');
      const next = text
        .replaceAll(README_ISSUER, provider.issuer)
        .replaceAll(README_API, new URL(provider.apiUrl).origin);
      if (next !== text) replaced += 1;
      await writeFile(join(copy, name), next);
    }
    assert.ok(replaced > 0, `the build names ${README_ISSUER}`);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await provider?.close();
    await app?.close();
    if (copy) await rm(copy, { recursive: true, force: true });
  });

  test('signs in with the local provider, calls the API with the token, and restores the session on reload', async () => {
    const page = await newBrowserPage(browser, ACTION_TIMEOUT_MS);
    // Whether this document ever showed a "Sign in" button (it must not while the session is being restored).
    await page.addInitScript(() => {
      window.sawSignIn = false;
      new MutationObserver(() => {
        const buttons = document.querySelectorAll('button');
        if ([...buttons].some((button) => button.textContent.trim() === 'Sign in')) window.sawSignIn = true;
      }).observe(document, { childList: true, subtree: true, characterData: true });
    });

    await page.goto(app.url);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await signInAtDevIdp(page, { login: 'ada', idpOrigin: provider.issuer });
    await page.waitForURL((url) => url.origin === app.origin);
    await page.getByText('Hello Ada Lovelace').waitFor();

    await page.getByRole('link', { name: 'Profile' }).click();
    await page.getByText('ada@example.com').waitFor();
    await page.getByText('your access token was accepted').waitFor();
    await pollUntil(provider.apiLog, (log) => log.includes('[api] GET /api/messages → 200 (ada)'), {
      what: "the demo API's log of the profile page's call with Ada's token",
    });

    await page.reload();
    await page.getByText('your access token was accepted').waitFor();
    await page.getByRole('link', { name: 'Home' }).click();
    await page.getByText('Hello Ada Lovelace').waitFor();
    assert.equal(await page.evaluate(() => window.sawSignIn), false, '"Sign in" flashed during the restore');
    assert.equal(provider.apiLog().filter((line) => line === '[api] GET /api/messages → 200 (ada)').length, 2);
  });
});
