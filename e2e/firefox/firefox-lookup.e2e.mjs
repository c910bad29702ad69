/**
 * The Firefox lookup order (FIREFOX_PATH, a system firefox-esr/firefox, then an install), step by step with a
 * stand-in executable and install, and that a Firefox that cannot be had fails the run instead of skipping it.
 */
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { FirefoxNotFoundError, findFirefox } from '../support/firefox.mjs';

describe('the e2e Firefox lookup', () => {
  let dir;
  let fakeFirefox;
  const quiet = () => {};
  const mustNotInstall = () => Promise.reject(new Error('install was called'));

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ngx-implicit-auth-firefox-lookup-'));
    fakeFirefox = join(dir, 'firefox-esr');
    await writeFile(fakeFirefox, '#!/bin/sh\nexit 0\n');
    await chmod(fakeFirefox, 0o755);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('FIREFOX_PATH comes first', async () => {
    const found = await findFirefox({
      env: { FIREFOX_PATH: fakeFirefox, PATH: '' },
      systemDirs: [],
      install: mustNotInstall,
    });
    assert.deepEqual(found, { executablePath: fakeFirefox, source: 'FIREFOX_PATH' });
  });

  test('a FIREFOX_PATH that is not an executable is an error, not a silent fallback', async () => {
    await assert.rejects(
      findFirefox({ env: { FIREFOX_PATH: join(dir, 'missing'), PATH: dir }, install: mustNotInstall }),
      (error) => error instanceof FirefoxNotFoundError && /FIREFOX_PATH=.*missing/.test(error.message),
    );
  });

  test('then a firefox-esr on PATH or in the system folders, without installing', async () => {
    for (const where of [
      { env: { PATH: '' }, systemDirs: [dir] },
      { env: { PATH: dir }, systemDirs: [] },
    ]) {
      assert.deepEqual(await findFirefox({ ...where, install: mustNotInstall }), {
        executablePath: fakeFirefox,
        source: 'system',
      });
    }
  });

  test('then it installs, and uses what the install put in place', async () => {
    const target = join(dir, 'installed');
    await mkdir(target);
    const install = async () => {
      await writeFile(join(target, 'firefox-esr'), '#!/bin/sh\nexit 0\n');
      await chmod(join(target, 'firefox-esr'), 0o755);
    };
    assert.deepEqual(await findFirefox({ env: { PATH: '' }, systemDirs: [target], install, log: quiet }), {
      executablePath: join(target, 'firefox-esr'),
      source: 'installed',
    });
  });

  test('no Firefox and a failed install is an error that says why', async () => {
    const install = () => Promise.reject(new Error('apt-get install exited with 100'));
    await assert.rejects(
      findFirefox({ env: { PATH: '' }, systemDirs: [], install, log: quiet }),
      (error) => error instanceof FirefoxNotFoundError && /exited with 100/.test(error.message),
    );
  });

  test('an install that leaves no Firefox behind is an error too', async () => {
    await assert.rejects(
      findFirefox({ env: { PATH: '' }, systemDirs: [], install: async () => {}, log: quiet }),
      (error) => error instanceof FirefoxNotFoundError && /no firefox-esr\/firefox is to be found/.test(error.message),
    );
  });
});
