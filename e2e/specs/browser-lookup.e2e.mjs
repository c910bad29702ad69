/**
 * The browser lookup order (CHROME_PATH, system Chromium/Chrome, the @sparticuz/chromium devDependency),
 * step by step, and proof that the last resort really launches here: on a fresh machine it is the only
 * browser there is, and CI would otherwise discover a broken fallback only when it is needed.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { BrowserNotFoundError, findBrowser, launchBrowser, unpackSparticuzChromium } from '../support/browser.mjs';

const sparticuzSupported = process.platform === 'linux' && process.arch === 'x64';

describe('the e2e browser lookup', () => {
  let dir;
  let fakeChromium;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ngx-implicit-auth-browser-lookup-'));
    fakeChromium = join(dir, 'chromium');
    await writeFile(fakeChromium, '#!/bin/sh\nexit 0\n');
    await chmod(fakeChromium, 0o755);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('CHROME_PATH comes first', async () => {
    const found = await findBrowser({ env: { CHROME_PATH: fakeChromium, PATH: '' }, systemDirs: [] });
    assert.deepEqual(found, { executablePath: fakeChromium, source: 'CHROME_PATH' });
  });

  test('a CHROME_PATH that is not an executable is an error, not a silent fallback', async () => {
    await assert.rejects(
      findBrowser({ env: { CHROME_PATH: join(dir, 'missing'), PATH: dir } }),
      (error) => error instanceof BrowserNotFoundError && /CHROME_PATH=.*missing/.test(error.message),
    );
  });

  test('then a Chromium on PATH or in the system folders', async () => {
    assert.deepEqual(await findBrowser({ env: { PATH: '' }, systemDirs: [dir] }), {
      executablePath: fakeChromium,
      source: 'system',
    });
    assert.deepEqual(await findBrowser({ env: { PATH: dir }, systemDirs: [] }), {
      executablePath: fakeChromium,
      source: 'system',
    });
  });

  test(
    'then the @sparticuz/chromium devDependency, which launches and renders a page',
    { skip: !sparticuzSupported && 'Linux x64 only' },
    async () => {
      const found = await findBrowser({ env: { PATH: '' }, systemDirs: [] });
      assert.equal(found.source, '@sparticuz/chromium');
      assert.equal(found.executablePath, await unpackSparticuzChromium());

      const browser = await launchBrowser({ executablePath: found.executablePath });
      try {
        const page = await browser.newPage();
        await page.setContent('<p id="probe">rendered</p>');
        assert.equal(await page.textContent('#probe'), 'rendered');
      } finally {
        await browser.close();
      }
    },
  );
});
