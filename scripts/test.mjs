/**
 * `npm test`: every check of the workspace, in order, each one's output streamed as it runs, continuing
 * after a failure so one run shows everything that is wrong:
 *
 *   type-check · lint · unit tests (jest) · the demo's specs under vitest (`ng test demo`) · library build (with
 *   the ng add schematic) · public API report · package contents · demo production build · e2e (Chromium) ·
 *   e2e (Firefox)
 *
 * `npm test -- --with-ng-add` (what CI runs) adds, after the package contents, `ng add` on fresh standalone and
 * NgModule apps and the README's quick start pasted into two more, all built with `ng build`
 * (scripts/ng-add-check.mjs, `npm run check:ng-add`), and after the Chromium e2e a sign-in to that quick-start
 * build with `npm run dev-provider` (e2e/fresh-app/): about three minutes on 2 cores, most of it `npm install` of
 * the fresh workspace and its four builds, too slow for every local run.
 *
 * `npm test -- --with-angular-22` (CI runs it too) adds, after those, the README's quick start on Angular 22 with
 * the packed library: `ng new`, `npm install`, `ng build` and a sign-in in Chromium, Angular 22 on the Node 24
 * of the npm package `node` (scripts/angular-22-check.mjs, `npm run check:angular22`): 1–2 minutes on 2 cores.
 *
 * The test suites count their test cases; every other step counts as one test. Prints per-step times and
 * counts, then as the very last line `N passed, N failed`; exits non-zero when anything failed.
 * Needs nothing but `npm install` (no stdin, works with CI=true); the Firefox step installs Debian's firefox-esr
 * with apt-get when it is missing (as root; otherwise that step fails, see e2e/README.md).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const JEST_BIN = join(dirname(require.resolve('jest/package.json')), 'bin', 'jest.js');
const NG_BIN = join(dirname(require.resolve('@angular/cli/package.json')), 'bin', 'ng.js');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/**
 * No step may hang CI: each is stopped (and counted as failed) after STEP_TIMEOUT_MS, and all of them
 * together get TOTAL_TIMEOUT_MS, so that `npm install && npm test` stays well inside a 20-minute CI job
 * even when something loops forever. A normal run takes a few minutes.
 */
const STEP_TIMEOUT_MS = Number(process.env.TEST_STEP_TIMEOUT_MS ?? 10 * 60_000);
const TOTAL_TIMEOUT_MS = Number(process.env.TEST_TOTAL_TIMEOUT_MS ?? 17 * 60_000);
const deadline = Date.now() + TOTAL_TIMEOUT_MS;

const workDir = await mkdtemp(join(tmpdir(), 'ngx-implicit-auth-test-'));
const jestResults = join(workDir, 'jest.json');
const vitestResults = join(workDir, 'vitest.json');
const e2eSummary = join(workDir, 'e2e.json');
const firefoxSummary = join(workDir, 'e2e-firefox.json');
const quickStartSummary = join(workDir, 'e2e-quick-start.json');
const angular22Summary = join(workDir, 'angular-22.json');
const withNgAdd = process.argv.includes('--with-ng-add');
const withAngular22 = process.argv.includes('--with-angular-22');

/** Each step: how to run it and, for test suites, how to count its cases from what it wrote. */
const STEPS = [
  { name: 'typecheck', command: [NPM, 'run', 'typecheck'] },
  { name: 'lint', command: [NPM, 'run', 'lint'] },
  {
    name: 'unit tests (jest)',
    command: [process.execPath, JEST_BIN, '--ci', '--json', `--outputFile=${jestResults}`],
    count: async () => {
      const report = JSON.parse(await readFile(jestResults, 'utf8'));
      return {
        passed: report.numPassedTests,
        // A spec file that does not even compile has no failed test, but is a failure.
        failed: report.numFailedTests + report.numRuntimeErrorTestSuites,
        skipped: report.numPendingTests + report.numTodoTests,
      };
    },
  },
  {
    // The demo's specs again, the way a fresh `ng new` app runs its tests: Angular's unit-test builder with vitest
    // and jsdom (about 25 s, most of it the build). They use only what both runners share, so they prove the
    // testing kit works under either.
    name: 'demo specs (vitest, ng test)',
    command: [
      process.execPath,
      NG_BIN,
      'test',
      'demo',
      '--watch=false',
      '--reporters=json',
      '--reporters=default',
      `--output-file=${vitestResults}`,
    ],
    count: async () => {
      const report = JSON.parse(await readFile(vitestResults, 'utf8'));
      const unloaded = report.testResults.filter((file) => file.status === 'failed' && !file.assertionResults.length);
      return {
        passed: report.numPassedTests,
        // A spec file that fails to load has no failed test, but is a failure.
        failed: report.numFailedTests + unloaded.length,
        skipped: report.numPendingTests + report.numTodoTests,
      };
    },
  },
  {
    name: 'library build',
    command: [process.execPath, join(ROOT, 'scripts', 'build-lib.mjs')],
    // The API report and package checks read dist/ngx-implicit-auth: after a failed build they must fail too.
    before: () => rm(join(ROOT, 'dist', 'ngx-implicit-auth'), { recursive: true, force: true }),
  },
  { name: 'public API report', command: [process.execPath, join(ROOT, 'scripts', 'api-report.mjs')] },
  { name: 'package contents', command: [process.execPath, join(ROOT, 'scripts', 'check-package.mjs')] },
  ...(withNgAdd
    ? [
        {
          name: 'ng add and quick start on fresh apps',
          command: [process.execPath, join(ROOT, 'scripts', 'ng-add-check.mjs')],
          // The quick-start e2e serves this build: after a failed check it must fail, not test a stale one.
          before: () => rm(join(ROOT, 'dist', 'quick-start-app'), { recursive: true, force: true }),
        },
      ]
    : []),
  ...(withAngular22
    ? [
        {
          name: 'Angular 22: quick start built and signed in',
          command: [
            process.execPath,
            join(ROOT, 'scripts', 'angular-22-check.mjs'),
            '--summary-file',
            angular22Summary,
          ],
          count: async () => JSON.parse(await readFile(angular22Summary, 'utf8')),
        },
      ]
    : []),
  {
    name: 'demo production build',
    command: [process.execPath, NG_BIN, 'build', 'demo'],
    // The e2e specs serve dist/demo/browser: after a failed build they must fail, not test a stale one.
    before: () => rm(join(ROOT, 'dist', 'demo'), { recursive: true, force: true }),
  },
  {
    name: 'e2e (Chromium)',
    command: [process.execPath, join(ROOT, 'e2e', 'run.mjs'), '--summary-file', e2eSummary],
    count: async () => JSON.parse(await readFile(e2eSummary, 'utf8')),
  },
  ...(withNgAdd
    ? [
        {
          name: 'e2e: the quick-start app (Chromium)',
          command: [
            process.execPath,
            join(ROOT, 'e2e', 'run.mjs'),
            '--summary-file',
            quickStartSummary,
            join(ROOT, 'e2e', 'fresh-app', 'quick-start.e2e.mjs'),
          ],
          count: async () => JSON.parse(await readFile(quickStartSummary, 'utf8')),
        },
      ]
    : []),
  {
    name: 'e2e (Firefox)',
    command: [process.execPath, join(ROOT, 'e2e', 'run.mjs'), '--browser', 'firefox', '--summary-file', firefoxSummary],
    count: async () => JSON.parse(await readFile(firefoxSummary, 'utf8')),
  },
];

let current;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (current) killGroup(current.pid, signal);
    process.exit(130);
  });
}

const results = [];
try {
  for (const step of STEPS) results.push(await runStep(step));
} finally {
  await rm(workDir, { recursive: true, force: true });
}

const width = Math.max(...results.map((result) => result.name.length));
console.log('\nSummary');
for (const { name, passed, failed, skipped, seconds } of results) {
  const skippedNote = skipped ? `, ${skipped} skipped` : '';
  const mark = failed === 0 ? '✔' : '✖';
  console.log(
    `  ${mark} ${name.padEnd(width)}  ${passed} passed, ${failed} failed${skippedNote}  (${seconds.toFixed(1)} s)`,
  );
}
const passed = results.reduce((sum, result) => sum + result.passed, 0);
const failed = results.reduce((sum, result) => sum + result.failed, 0);
const total = results.reduce((sum, result) => sum + result.seconds, 0);
console.log(`  total time ${total.toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;

async function runStep({ name, command, count, before }) {
  console.log(`\n━━ ${name} ━━ ${command.slice(command[0] === process.execPath ? 1 : 0).join(' ')}`);
  const started = Date.now();
  await before?.();
  const timeout = Math.min(STEP_TIMEOUT_MS, deadline - started);
  if (timeout <= 0) {
    console.error(`Not run: the ${TOTAL_TIMEOUT_MS / 1000} s budget of npm test is spent.`);
    return { name, passed: 0, failed: 1, skipped: 0, seconds: 0 };
  }
  const exitCode = await spawnStep(command, timeout);
  const seconds = (Date.now() - started) / 1000;

  let counts = exitCode === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
  if (count) {
    try {
      counts = await count();
      // The tool failed although no case did (a crash, a coverage threshold, "no tests found"): still a failure.
      if (exitCode !== 0 && counts.failed === 0) counts = { ...counts, failed: 1 };
    } catch {
      // No readable report: the suite did not get as far as running its tests; count the step as failed.
      counts = { passed: 0, failed: 1, skipped: 0 };
    }
  }
  const outcome = counts.failed === 0 ? '✔' : '✖';
  console.log(`${outcome} ${name}: ${counts.passed} passed, ${counts.failed} failed (${seconds.toFixed(1)} s)`);
  return { name, ...counts, seconds };
}

function spawnStep([file, ...args], timeout) {
  return new Promise((resolve) => {
    // Own process group: a timeout or Ctrl-C stops the step with everything it started (ng's workers,
    // the e2e servers and browser). stdin is closed so nothing can wait for an answer.
    const child = spawn(file, args, {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
      env: { ...process.env, NG_CLI_ANALYTICS: 'false' },
    });
    current = child;
    const timer = setTimeout(() => {
      console.error(`Stopping after ${Math.round(timeout / 1000)} s.`);
      killGroup(child.pid, 'SIGKILL');
    }, timeout);
    child.on('error', (error) => {
      // The command itself could not start (e.g. npm not on PATH): a failed step, reported, not a crash.
      console.error(`Could not start ${file}: ${error.message}`);
      clearTimeout(timer);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      resolve(signal ? 1 : (code ?? 1));
    });
  });
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    // ESRCH: already gone.
    if (error.code !== 'ESRCH') throw error;
  }
}
