/**
 * Finds, installs when it must, and launches the Firefox of the second-engine e2e suite (`e2e/firefox/`):
 * Debian's `firefox-esr`, driven headless by puppeteer-core over WebDriver BiDi. playwright-core cannot drive a
 * stock Firefox (it needs its own patched build, which no registry here offers), hence a second driver.
 *
 * The lookup order: `FIREFOX_PATH`, then `firefox-esr` or `firefox` on PATH or in the usual folders, then (as root
 * on Linux with apt-get) `apt-get install firefox-esr`. A Firefox that cannot be had is an error, never a skip.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import puppeteer from 'puppeteer-core';

const SYSTEM_FIREFOXES = ['firefox-esr', 'firefox'];
const SYSTEM_DIRS = ['/usr/bin', '/usr/local/bin'];
/** Debian's package, and the commands that install it on a fresh machine. */
export const FIREFOX_PACKAGE = 'firefox-esr';
const APT_COMMANDS = [
  ['apt-get', 'update'],
  // Wait for another apt run on a shared machine instead of failing on its lock at once.
  ['apt-get', 'install', '-y', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=120', FIREFOX_PACKAGE],
];
/** apt-get update + install took about a minute here; a stuck mirror must fail the run, not stall CI. */
const INSTALL_TIMEOUT_MS = 5 * 60_000;
/** A first start creates the profile; on two busy cores that alone took several seconds. */
const LAUNCH_TIMEOUT_MS = 30_000;
/** The bound of any single protocol command (a click, an evaluate) once Firefox runs. */
const PROTOCOL_TIMEOUT_MS = 10_000;

/** Firefox could not be found nor installed; `message` says what was tried. */
export class FirefoxNotFoundError extends Error {
  name = 'FirefoxNotFoundError';
}

/**
 * Resolves the Firefox to use, in the documented order. `env`, `systemDirs` and `install` exist so that tests
 * can check each step of the order on any machine.
 * @param {object} [options]
 * @param {(log: (line: string) => void) => Promise<void>} [options.install] Installs Firefox; default apt-get
 *   (as root on Linux only).
 * @param {(line: string) => void} [options.log] Where install progress goes.
 * @returns {Promise<{ executablePath: string, source: 'FIREFOX_PATH' | 'system' | 'installed' }>}
 */
export async function findFirefox({
  env = process.env,
  systemDirs = SYSTEM_DIRS,
  install = installFirefoxWithApt,
  log = console.log,
} = {}) {
  if (env.FIREFOX_PATH) {
    // An explicit choice that does not work is an error, not a reason to quietly use another browser.
    if (!isExecutable(env.FIREFOX_PATH)) {
      throw new FirefoxNotFoundError(`FIREFOX_PATH=${env.FIREFOX_PATH} is not an executable file.`);
    }
    return { executablePath: env.FIREFOX_PATH, source: 'FIREFOX_PATH' };
  }
  const system = findSystemFirefox(env, systemDirs);
  if (system) return { executablePath: system, source: 'system' };
  try {
    await install(log);
  } catch (error) {
    throw new FirefoxNotFoundError(
      `No Firefox for the e2e tests: FIREFOX_PATH is unset, no firefox-esr/firefox was found, and installing ` +
        `${FIREFOX_PACKAGE} failed (${error.message}).`,
      { cause: error },
    );
  }
  const installed = findSystemFirefox(env, systemDirs);
  if (!installed) {
    throw new FirefoxNotFoundError(`${FIREFOX_PACKAGE} was installed, but no firefox-esr/firefox is to be found.`);
  }
  return { executablePath: installed, source: 'installed' };
}

/** A firefox-esr/firefox on PATH or in the usual install folders, or undefined. */
export function findSystemFirefox(env = process.env, systemDirs = SYSTEM_DIRS) {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...systemDirs];
  for (const name of SYSTEM_FIREFOXES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * `apt-get update && apt-get install -y --no-install-recommends firefox-esr`, within INSTALL_TIMEOUT_MS in all.
 * apt's output is kept, not streamed: a success logs one summary line, a failure the tail of the output.
 */
export async function installFirefoxWithApt(log = console.log) {
  if (process.platform !== 'linux') throw new Error(`installing needs Linux with apt-get, this is ${process.platform}`);
  if (process.getuid?.() !== 0) throw new Error('installing needs root (apt-get); install firefox-esr yourself');
  log(`e2e: no Firefox found; installing ${FIREFOX_PACKAGE} with apt-get (at most ${INSTALL_TIMEOUT_MS / 1000} s)…`);
  const started = Date.now();
  const deadline = started + INSTALL_TIMEOUT_MS;
  let output = '';
  for (const [file, ...args] of APT_COMMANDS) {
    const result = await runBounded(file, args, deadline - Date.now());
    output = result.output;
    if (result.code !== 0) {
      const tail = output.trim().split('\n').slice(-15).join('\n');
      throw new Error(`${file} ${args.join(' ')} ${result.reason}:\n${tail}`);
    }
  }
  // apt's own summary, e.g. "3 upgraded, 84 newly installed, 0 to remove and 5 not upgraded."
  const summary = output.split('\n').find((line) => /newly installed/.test(line)) ?? 'done';
  log(`e2e: installed ${FIREFOX_PACKAGE} in ${((Date.now() - started) / 1000).toFixed(1)} s (${summary.trim()})`);
}

/** Runs a command with no stdin, collects its output, kills it after `timeoutMs`. */
function runBounded(file, args, timeoutMs) {
  return new Promise((resolve) => {
    if (timeoutMs <= 0) return resolve({ code: 1, output: '', reason: 'was not started: the time is spent' });
    const child = spawn(file, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: 1, output: error.message, reason: 'could not start' });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const reason = signal ? `was stopped after ${Math.round(timeoutMs / 1000)} s` : `exited with ${code}`;
      resolve({ code: signal ? 1 : code, output, reason });
    });
  });
}

/**
 * Launches headless Firefox with a fresh temporary profile (puppeteer-core creates and deletes it), over
 * WebDriver BiDi.
 * @param {{ executablePath?: string }} [options] Default: `FIREFOX_PATH` (set by `e2e/run.mjs`), else a lookup
 *   that does not install.
 */
export async function launchFirefox({ executablePath = process.env.FIREFOX_PATH } = {}) {
  const path =
    executablePath ??
    (
      await findFirefox({
        install: () => Promise.reject(new Error('the spec does not install; run it through e2e/run.mjs')),
      })
    ).executablePath;
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: path,
    headless: true,
    timeout: LAUNCH_TIMEOUT_MS,
    protocolTimeout: PROTOCOL_TIMEOUT_MS,
    extraPrefsFirefox: {
      // puppeteer's test profile accepts every cookie (cookieBehavior 0); a user's Firefox partitions third-party
      // ones (Total Cookie Protection, 5). The suite tests what users have.
      'network.cookie.cookieBehavior': 5,
    },
  });
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
