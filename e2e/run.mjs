/**
 * Runs the e2e suite (`npm run test:e2e`): finds the browser once, then `node --test` over the browser's spec
 * files with the spec reporter on stdout and a counting reporter for the totals.
 *
 *   node e2e/run.mjs [spec files…] [--browser chromium|firefox] [--summary-file path]
 *
 * `--browser chromium` (default) runs `e2e/specs/**\/*.e2e.mjs` with playwright-core; `--browser firefox` runs
 * `e2e/firefox/**\/*.e2e.mjs` with puppeteer-core, and installs Debian's firefox-esr first when it is missing
 * (see `support/firefox.mjs`). The demo specs need the production build (`npm run build:demo`); `npm test`
 * builds it first. Exits non-zero when any test failed or the suite could not run (no browser is a failure,
 * never a skip). `--summary-file` receives `{"passed":N,"failed":N,"skipped":N}` for the aggregator.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { findBrowser } from './support/browser.mjs';
import { DEMO_DIST } from './support/demo-server.mjs';
import { findFirefox } from './support/firefox.mjs';

const E2E_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(E2E_DIR, '..');
const COUNT_REPORTER = fileURLToPath(new URL('./support/count-reporter.mjs', import.meta.url));
/** Bounds for one test and for the whole run: a hung browser must fail the run, not stall CI. */
const TEST_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS ?? 10 * 60_000);

const { values: options, positionals } = parseArgs({
  options: { 'summary-file': { type: 'string' }, browser: { type: 'string', default: 'chromium' } },
  allowPositionals: true,
});

/**
 * Per browser: how to find it (once, here: the spec files run in parallel processes), the variable that hands
 * it down to them, and where its spec files are.
 */
const BROWSERS = {
  chromium: { find: findBrowser, envName: 'CHROME_PATH', specDir: join(E2E_DIR, 'specs') },
  firefox: { find: findFirefox, envName: 'FIREFOX_PATH', specDir: join(E2E_DIR, 'firefox') },
};

const started = Date.now();
const totals = await run().catch((error) => {
  console.error(`e2e: could not run: ${error.message}`);
  return { passed: 0, failed: 1, skipped: 0 };
});
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(
  `e2e (${options.browser}): ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped (${seconds} s)`,
);
if (options['summary-file']) {
  const { passed, failed, skipped } = totals;
  await writeFile(options['summary-file'], JSON.stringify({ passed, failed, skipped }));
}
process.exitCode = totals.failed === 0 ? 0 : 1;

async function run() {
  const engine = BROWSERS[options.browser];
  if (!engine) throw new Error(`--browser ${options.browser}: use one of ${Object.keys(BROWSERS).join(', ')}`);
  // Resolved once here and handed down: the spec files run in parallel processes, and letting each unpack
  // @sparticuz/chromium (or install firefox-esr) at the same time would race.
  const browser = await engine.find();
  console.log(`e2e: browser ${browser.executablePath} (from ${browser.source})`);
  if (!existsSync(join(DEMO_DIST, 'index.html'))) {
    console.warn(`e2e: no demo build in ${relative(ROOT, DEMO_DIST)}; the demo specs will fail (npm run build:demo).`);
  }

  const files = positionals.length > 0 ? positionals.map((file) => resolve(file)) : await findSpecFiles(engine.specDir);
  if (files.length === 0) throw new Error('no e2e spec files found');

  const workDir = await mkdtemp(join(tmpdir(), 'ngx-implicit-auth-e2e-'));
  const countFile = join(workDir, 'counts.json');
  try {
    const exitCode = await runNodeTest(files, countFile, { ...process.env, [engine.envName]: browser.executablePath });
    // No counts file: the runner died before its reporters finished, which the caller reports as a failure.
    const counts = await readFile(countFile, 'utf8').then(JSON.parse, () => undefined);
    if (!counts) return { passed: 0, failed: 1, skipped: 0 };
    // A runner that failed without any failing test (e.g. killed by the watchdog) still failed.
    if (exitCode !== 0 && counts.failed === 0) counts.failed = 1;
    return counts;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function runNodeTest(files, countFile, env) {
  const args = [
    '--test',
    // Two spec files at a time keep both cores busy; more only make the browser steps slower and flakier.
    '--test-concurrency=2',
    `--test-timeout=${TEST_TIMEOUT_MS}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${COUNT_REPORTER}`,
    `--test-reporter-destination=${countFile}`,
    ...files,
  ];
  return new Promise((resolve, reject) => {
    // Own process group, so the watchdog can stop the runner together with the spec processes it starts.
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    const watchdog = setTimeout(() => {
      console.error(`e2e: still running after ${RUN_TIMEOUT_MS / 1000} s; stopping it.`);
      process.kill(-child.pid, 'SIGKILL');
    }, RUN_TIMEOUT_MS);
    const forward = (signal) => process.kill(-child.pid, signal);
    process.once('SIGINT', forward).once('SIGTERM', forward);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      process.off('SIGINT', forward).off('SIGTERM', forward);
      resolve(signal ? 1 : (code ?? 1));
    });
  });
}

async function findSpecFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.e2e.mjs'))
    .map((entry) => relative(ROOT, join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}
