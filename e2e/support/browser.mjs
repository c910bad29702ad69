/**
 * Finds and launches a headless Chromium for the e2e tests without downloading or installing anything:
 * `CHROME_PATH`, then a system Chromium/Chrome, then the Chromium inside the `@sparticuz/chromium`
 * devDependency (Linux x64), which unpacks itself into the OS temp folder on first use.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium } from 'playwright-core';

/** Flags that keep Chromium quiet and self-contained on a machine without internet. */
export const CHROMIUM_FLAGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

const SYSTEM_BROWSERS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];
const SYSTEM_DIRS = ['/usr/bin', '/usr/local/bin', '/snap/bin', '/opt/google/chrome'];

/** The browser could not be found; `message` says what was tried. */
export class BrowserNotFoundError extends Error {
  name = 'BrowserNotFoundError';
}

/**
 * Resolves the browser to use, in the documented order. `env` and `systemDirs` exist so that tests can
 * check each step of the order on any machine.
 * @returns {Promise<{ executablePath: string, source: 'CHROME_PATH' | 'system' | '@sparticuz/chromium' }>}
 */
export async function findBrowser({ env = process.env, systemDirs = SYSTEM_DIRS } = {}) {
  if (env.CHROME_PATH) {
    // An explicit choice that does not work is an error, not a reason to quietly use another browser.
    if (!isExecutable(env.CHROME_PATH)) {
      throw new BrowserNotFoundError(`CHROME_PATH=${env.CHROME_PATH} is not an executable file.`);
    }
    return { executablePath: env.CHROME_PATH, source: 'CHROME_PATH' };
  }
  const system = findSystemBrowser(env, systemDirs);
  if (system) return { executablePath: system, source: 'system' };
  try {
    return { executablePath: await unpackSparticuzChromium(), source: '@sparticuz/chromium' };
  } catch (error) {
    throw new BrowserNotFoundError(
      'No browser for the e2e tests: CHROME_PATH is unset, no system Chromium/Chrome was found, and the ' +
        `@sparticuz/chromium devDependency could not be used (${error.message}).`,
      { cause: error },
    );
  }
}

/** A Chromium/Chrome on PATH or in the usual install folders, or undefined. */
export function findSystemBrowser(env = process.env, systemDirs = SYSTEM_DIRS) {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...systemDirs];
  for (const name of SYSTEM_BROWSERS) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * Unpacks the Chromium shipped inside `@sparticuz/chromium` (it only ships Linux x64 binaries).
 * Only its binary is used, not its launch flags: those are tuned for AWS Lambda and include
 * `--disable-web-security`, which would switch off the very CORS and same-origin rules the tests check.
 */
export async function unpackSparticuzChromium() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`it only ships a Linux x64 build, this is ${process.platform} ${process.arch}`);
  }
  const { default: sparticuz } = await import('@sparticuz/chromium');
  return sparticuz.executablePath();
}

/**
 * Launches headless Chromium with a fresh, temporary profile (playwright creates and deletes it).
 * @param {{ executablePath?: string }} [options] Skip the lookup when the path is known.
 */
export async function launchBrowser({ executablePath } = {}) {
  const path = executablePath ?? (await findBrowser()).executablePath;
  return chromium.launch({ executablePath: path, headless: true, args: [...CHROMIUM_FLAGS], timeout: 30_000 });
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    // Missing or not executable: this candidate does not count.
    return false;
  }
}

/**
 * A page in a fresh browser context (own cookies and storage), with the harness's bounded waits and a console
 * log kept for error messages (`page.browserLog`, read by the helpers that report a timeout).
 */
export async function newBrowserPage(browser, timeoutMs) {
  const context = await browser.newContext();
  context.setDefaultTimeout(timeoutMs);
  context.setDefaultNavigationTimeout(timeoutMs);
  const page = await context.newPage();
  page.browserLog = [];
  page.on('console', (message) => page.browserLog.push(`console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => page.browserLog.push(`uncaught: ${error.message}`));
  return page;
}
