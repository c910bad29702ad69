/**
 * `npm run check:angular22`: proves the package's peer range `^21 || ^22` on Angular 22, whose CLI needs
 * Node ≥ 22.22 while this workspace runs on Node 20.
 *
 *  1. The package: `npm pack` of dist/ngx-implicit-auth (scripts/pack-library.mjs builds it first when there is none).
 *  2. Angular 22's CLI in a temporary folder: `@angular/cli` with the npm package `node` as devDependencies. That
 *     package brings a Node 24 binary (node_modules/.bin/node), which runs every Angular 22 command below. Nothing
 *     is installed globally and everything comes from the npm registry.
 *  3. `ng new` with it (standalone, no SSR, no tests); in the new app's package.json every `@angular/*` pinned to
 *     ANGULAR_VERSION exactly (ng new's `^22.x` ranges may resolve to versions the registry lacks), the `node`
 *     package added as a devDependency (npm scripts and `npx ng` then run on Node 24, as a user of this machine
 *     would set it up) and the tarball as a dependency. `npm install` is the first check: npm refuses a package
 *     whose peers exclude Angular 22.
 *  4. The README's quick start pasted in (scripts/quick-start-files.mjs) and `ng build`, production, the second
 *     check: Angular 22 checks templates strictly and TypeScript 6 is strict without being told; a workspace that
 *     turns either off is refused.
 *  5. A user signs in to that build in Chromium against `npm run dev-provider`: e2e/fresh-app/quick-start.e2e.mjs,
 *     the test that signs in to the Angular 21 build of `npm run check:ng-add`; its test cases are the last checks.
 *
 * Prints each phase's time and ends with a pass/fail line; exits non-zero on any failure. `--summary-file <path>`
 * receives `{"passed":N,"failed":N,"skipped":N}` (`npm test -- --with-angular-22`); `--keep` keeps the temporary
 * folder. 1–2 minutes on 2 shared cores, most of it the two `npm install`s (see README.md, "This repository").
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { packLibrary } from './pack-library.mjs';
import { QUICK_START_FILES, pasteQuickStart, readQuickStartFiles } from './quick-start-files.mjs';
import { runCommand } from './run-command.mjs';

/** Angular 22 as the registry here has it (TOOLCHAIN: pin every `@angular/*` exactly). */
const ANGULAR_VERSION = '22.2.0';
/** The npm package `node`: a Node that Angular 22 accepts (`^22.22.3 || ^24.15.0 || >=26`). */
const NODE_VERSION = '24.21.0';
const APP = 'quick-start';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPM_INSTALL = ['install', '--no-audit', '--no-fund', '--prefer-offline'];
const ENV = { ...process.env, NG_CLI_ANALYTICS: 'false', CI: 'true', NG_FORCE_TTY: 'false' };

const { values: options } = parseArgs({
  options: { 'summary-file': { type: 'string' }, keep: { type: 'boolean', default: false } },
});

const started = Date.now();
/** Each phase's title and seconds, for the closing table. */
const phases = [];
/** The checks: npm install (peers), ng build, then the sign-in's test cases. */
const counts = { passed: 0, failed: 0, skipped: 0 };
const workDir = await mkdtemp(join(tmpdir(), 'ngx-implicit-auth-angular-22-'));
const cliDir = join(workDir, 'cli');
const appDir = join(workDir, APP);

try {
  const tarball = await phase('the package (npm pack)', () => packLibrary(workDir, ENV));

  await phase(`Angular ${ANGULAR_VERSION} CLI on Node ${NODE_VERSION} (npm install)`, async () => {
    await writeJson(join(cliDir, 'package.json'), {
      name: 'angular-22-cli',
      private: true,
      devDependencies: { '@angular/cli': ANGULAR_VERSION, node: NODE_VERSION },
    });
    await runCommand(NPM, NPM_INSTALL, { cwd: cliDir, env: ENV });
  });

  await phase('ng new', async () => {
    await ng(cliDir, workDir, 'new', APP, '--defaults', '--ssr=false', '--skip-git', '--skip-install', '--skip-tests');
    const manifestFile = join(appDir, 'package.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    for (const field of ['dependencies', 'devDependencies']) {
      for (const name of Object.keys(manifest[field])) {
        if (name.startsWith('@angular/')) manifest[field][name] = ANGULAR_VERSION;
      }
    }
    manifest.devDependencies.node = NODE_VERSION;
    manifest.dependencies['ngx-implicit-auth'] = `file:${tarball}`;
    await writeJson(manifestFile, manifest);
  });

  await check('npm install: the package with Angular 22 (peer ranges)', () =>
    runCommand(NPM, NPM_INSTALL, { cwd: appDir, env: ENV }),
  );

  await check("ng build: the README's quick start, production", async () => {
    // tsconfig.json opens with a comment (not JSON): look for the settings themselves.
    const tsconfig = await readFile(join(appDir, 'tsconfig.json'), 'utf8');
    if (/"strict(Templates)?": false/.test(tsconfig)) throw new Error('the fresh workspace turns strictness off');
    const quickStart = readQuickStartFiles(await readFile(join(ROOT, 'README.md'), 'utf8'));
    await pasteQuickStart(appDir, APP, QUICK_START_FILES.standalone, quickStart);
    await ng(appDir, appDir, 'build');
  });

  await phase('sign-in in Chromium (e2e/fresh-app/quick-start.e2e.mjs)', signIn);
} catch (error) {
  console.error(`\n${error.message}`);
  // A phase that is no check (pack, CLI, ng new) failed, or a check stopped the run: the run failed.
  if (counts.failed === 0) counts.failed = 1;
} finally {
  if (options.keep) console.log(`Kept ${workDir}`);
  else await rm(workDir, { recursive: true, force: true });
}

console.log('\nPhases');
for (const { title, seconds, ok } of phases) console.log(`  ${ok ? '✔' : '✖'} ${title}  (${seconds.toFixed(1)} s)`);
const total = ((Date.now() - started) / 1000).toFixed(1);
if (counts.failed === 0) {
  console.log(
    `✔ Angular ${ANGULAR_VERSION}: the package installs, the quick start builds, a user signs in (${total} s)`,
  );
} else {
  console.error(`✖ Angular ${ANGULAR_VERSION} check failed (${total} s)`);
}
console.log(`${counts.passed} passed, ${counts.failed} failed`);
if (options['summary-file']) await writeJson(options['summary-file'], counts);
process.exitCode = counts.failed === 0 ? 0 : 1;

/** Runs one phase, timed; a failure ends the run (a later phase needs this one's result). */
async function phase(title, action) {
  const phaseStarted = Date.now();
  console.log(`\n── ${title} (at ${((phaseStarted - started) / 1000).toFixed(1)} s)`);
  const record = { title, seconds: 0, ok: false };
  phases.push(record);
  try {
    const result = await action();
    record.ok = true;
    return result;
  } finally {
    record.seconds = (Date.now() - phaseStarted) / 1000;
  }
}

/** A phase that is one check of the summary. */
async function check(title, action) {
  try {
    await phase(title, action);
    counts.passed += 1;
  } catch (error) {
    counts.failed += 1;
    throw error;
  }
}

/**
 * The quick-start e2e test against the Angular 22 build, run by the workspace's e2e runner (system Node: it only
 * serves the built files and drives the browser). Its test cases count as checks.
 */
async function signIn() {
  const summaryFile = join(workDir, 'e2e.json');
  const spec = join(ROOT, 'e2e', 'fresh-app', 'quick-start.e2e.mjs');
  const env = { ...ENV, QUICK_START_DIST: join(appDir, 'dist', APP, 'browser') };
  const run = runCommand(process.execPath, [join(ROOT, 'e2e', 'run.mjs'), '--summary-file', summaryFile, spec], {
    cwd: ROOT,
    env,
  });
  // The runner exits non-zero when a test failed; its summary says how many did.
  const failure = await run.then(
    () => undefined,
    (error) => error,
  );
  const summary = await readFile(summaryFile, 'utf8').then(JSON.parse, () => undefined);
  if (summary) {
    counts.passed += summary.passed;
    counts.failed += summary.failed;
    counts.skipped += summary.skipped;
  }
  if (failure) {
    if (!summary?.failed) counts.failed += 1;
    throw failure;
  }
}

/**
 * Runs Angular 22's CLI from `installDir` on the Node 24 binary installed there, with that binary first on PATH
 * (the CLI's workers and any `node` it starts by name run on it too).
 */
function ng(installDir, cwd, ...args) {
  const bin = join(installDir, 'node_modules', '.bin');
  const ngScript = join(installDir, 'node_modules', '@angular', 'cli', 'bin', 'ng.js');
  const env = { ...ENV, PATH: `${bin}${delimiter}${ENV.PATH ?? ''}` };
  return runCommand(join(bin, 'node'), [ngScript, ...args], { cwd, env });
}

async function writeJson(file, value) {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}
