/**
 * `npm run check:ng-add`: proves `ng add ngx-implicit-auth` on fresh apps, as a user runs it.
 *
 *  1. `npm pack` of the built package (scripts/pack-library.mjs builds it first when dist/ has none).
 *  2. A fresh workspace from `@schematics/angular`'s ng-new schematic, the one `ng new` runs (the workspace's own CLI
 *     refuses `ng new`: it counts itself inside this workspace), standalone, with Angular pinned to the versions
 *     installed here; then `npm install --prefer-offline` (npm's cache already holds them).
 *  3. In it, with the app's own CLI: `ng add <tarball>` without prompts, `ng build`, and the built app must serve
 *     silent-callback.html. Then the same in a second, NgModule application of that workspace.
 *  4. The README's quick start, as a user pastes it: two more fresh applications of that workspace (standalone and
 *     NgModule, as `ng generate application` makes them, with the workspace's strict settings) get the files
 *     README.md shows whole (scripts/quick-start-files.mjs) and its angular.json asset entry, and `ng build`
 *     (production) must pass with `strictTemplates`. The standalone build is copied to dist/quick-start-app/browser,
 *     where e2e/fresh-app/quick-start.e2e.mjs signs in to it (`npm test -- --with-ng-add` runs that next).
 *
 * Everything happens in a temporary folder, removed afterwards (kept with --keep). Exits non-zero on any failure.
 */
import { access, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { QUICK_START_FILES, pasteQuickStart, readQuickStartFiles } from './quick-start-files.mjs';
import { packLibrary } from './pack-library.mjs';
import { runCommand } from './run-command.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the quick-start app's production build is left for e2e/fresh-app/quick-start.e2e.mjs. */
const QUICK_START_DIST = join(ROOT, 'dist', 'quick-start-app', 'browser');
const require = createRequire(import.meta.url);
const { NodeWorkflow } = require('@angular-devkit/schematics/tools');
const { lastValueFrom } = require('rxjs');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const ENV = { ...process.env, NG_CLI_ANALYTICS: 'false', CI: 'true', NG_FORCE_TTY: 'false' };
/** What ng add is asked, as a user would answer its prompts: a local provider and API, plain http on loopback. */
const ANSWERS = ['--issuer=http://localhost:4400', '--client-id=fresh-app', '--apis=http://localhost:4401/api'];

const started = Date.now();
const workDir = await mkdtemp(join(tmpdir(), 'ngx-implicit-auth-ng-add-'));
const appDir = join(workDir, 'fresh-app');
const ng = (...args) =>
  run(process.execPath, [join(appDir, 'node_modules', '@angular', 'cli', 'bin', 'ng.js'), ...args], appDir);
try {
  const tarball = await packLibrary(workDir, ENV);

  step('fresh workspace (ng-new schematic, standalone)');
  await createWorkspace();
  await pinInstalledVersions(join(appDir, 'package.json'));
  await run(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund'], appDir);

  step('ng add on the standalone app, then ng build');
  await ng('add', tarball, '--skip-confirmation', ...ANSWERS);
  // The CLI formats what the schematic wrote (a long call breaks over lines): look for the parts, not the layout.
  await expectIn('src/app/app.config.ts', [
    'provideImplicitAuth(',
    "issuer: 'http://localhost:4400'",
    'withSilentRenew()',
    'withTabSync()',
    'withInterceptors([implicitAuthInterceptor])',
  ]);
  await ng('build');
  await access(join(appDir, 'dist', 'fresh-app', 'browser', 'silent-callback.html'));

  step('ng add on an NgModule app of the same workspace, then ng build');
  await ng('generate', 'application', 'legacy', '--standalone=false', '--minimal', '--ssr=false', '--skip-install');
  await ng('add', tarball, '--skip-confirmation', '--project=legacy', ...ANSWERS);
  await expectIn('projects/legacy/src/app/app-module.ts', [
    'ImplicitAuthModule.forRoot(',
    'withSilentRenew()',
    'withTabSync()',
    'withInterceptorsFromDi()',
  ]);
  await ng('build', 'legacy');
  await access(join(appDir, 'dist', 'legacy', 'browser', 'silent-callback.html'));

  const quickStart = readQuickStartFiles(await readFile(join(ROOT, 'README.md'), 'utf8'));
  await rm(QUICK_START_DIST, { recursive: true, force: true });

  step('README quick start on a fresh standalone app, then ng build');
  await buildQuickStart('quick-start', [], QUICK_START_FILES.standalone, quickStart);
  await mkdir(dirname(QUICK_START_DIST), { recursive: true });
  await cp(join(appDir, 'dist', 'quick-start', 'browser'), QUICK_START_DIST, { recursive: true });

  step('README quick start on a fresh NgModule app, then ng build');
  await buildQuickStart('quick-start-module', ['--standalone=false'], QUICK_START_FILES.ngModule, quickStart);

  console.log(
    `\n✔ ng add and the README's quick start work on fresh standalone and NgModule apps (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
} catch (error) {
  console.error(`\n✖ ng add check failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  if (process.argv.includes('--keep')) console.log(`Kept ${workDir}`);
  else await rm(workDir, { recursive: true, force: true });
}

/**
 * A fresh application of the workspace with the README's files pasted in and its asset entry added, built for
 * production. The workspace is strict (`ng new`'s default): checked, so a relaxed template cannot hide an error.
 */
async function buildQuickStart(project, options, paths, quickStart) {
  await ng('generate', 'application', project, ...options, '--ssr=false', '--skip-tests', '--skip-install');
  // tsconfig.json opens with a comment (not JSON): look for the setting itself.
  const tsconfig = await readFile(join(appDir, 'tsconfig.json'), 'utf8');
  if (!/"strictTemplates": true/.test(tsconfig)) throw new Error('the fresh workspace lacks strictTemplates');
  await pasteQuickStart(appDir, project, paths, quickStart);
  await ng('build', project);
  await access(join(appDir, 'dist', project, 'browser', 'silent-callback.html'));
}

function step(title) {
  console.log(`\n── ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** `ng new fresh-app --defaults --standalone --minimal --ssr=false --skip-git --skip-install`, without the CLI. */
async function createWorkspace() {
  const workflow = new NodeWorkflow(workDir, { packageManager: 'npm', resolvePaths: [ROOT], schemaValidation: true });
  const version = require('@angular/cli/package.json').version;
  const options = {
    name: 'fresh-app',
    version,
    standalone: true,
    minimal: true,
    ssr: false,
    skipGit: true,
    skipInstall: true,
  };
  await lastValueFrom(workflow.execute({ collection: '@schematics/angular', schematic: 'ng-new', options }), {
    defaultValue: undefined,
  });
}

/** The registry here lacks some versions that ng new's ranges (`^21.2.0`) resolve to: take the ones installed here. */
async function pinInstalledVersions(file) {
  const manifest = JSON.parse(await readFile(file, 'utf8'));
  for (const field of ['dependencies', 'devDependencies']) {
    for (const name of Object.keys(manifest[field] ?? {})) {
      try {
        manifest[field][name] = require(`${name}/package.json`).version;
      } catch {
        // Not installed in this workspace: the range stays as ng new wrote it.
      }
    }
  }
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

async function expectIn(file, parts) {
  const text = await readFile(join(appDir, file), 'utf8');
  for (const part of parts) if (!text.includes(part)) throw new Error(`${file} lacks ${part}:\n${text}`);
}

function run(file, args, cwd) {
  return runCommand(file, args, { cwd, env: ENV });
}
