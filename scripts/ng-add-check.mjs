/**
 * `npm run check:ng-add`: proves `ng add ngx-implicit-auth` on fresh apps, as a user runs it.
 *
 *  1. `npm pack` of the built package (run `npm run build:lib` first).
 *  2. A fresh workspace from `@schematics/angular`'s ng-new schematic, the one `ng new` runs (the workspace's own CLI
 *     refuses `ng new`: it counts itself inside this workspace), standalone, with Angular pinned to the versions
 *     installed here; then `npm install --prefer-offline` (npm's cache already holds them).
 *  3. In it, with the app's own CLI: `ng add <tarball>` without prompts, `ng build`, and the built app must serve
 *     silent-callback.html. Then the same in a second, NgModule application of that workspace.
 *
 * Everything happens in a temporary folder, removed afterwards (kept with --keep). Exits non-zero on any failure.
 */
import { spawn } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE_DIR = join(ROOT, 'dist', 'ngx-implicit-auth');
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
  await access(join(PACKAGE_DIR, 'schematics', 'collection.json')).catch(() => {
    throw new Error(`No built package with schematics in ${PACKAGE_DIR}: run npm run build:lib first.`);
  });
  const packed = JSON.parse(await run(NPM, ['pack', PACKAGE_DIR, '--pack-destination', workDir, '--json'], ROOT));
  const tarball = join(workDir, packed[0].filename);

  step('fresh workspace (ng-new schematic, standalone)');
  await createWorkspace();
  await pinInstalledVersions(join(appDir, 'package.json'));
  await run(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund'], appDir);

  step('ng add on the standalone app, then ng build');
  await ng('add', tarball, '--skip-confirmation', ...ANSWERS);
  await expectIn('src/app/app.config.ts', ['provideImplicitAuth({', 'withInterceptors([implicitAuthInterceptor])']);
  await ng('build');
  await access(join(appDir, 'dist', 'fresh-app', 'browser', 'silent-callback.html'));

  step('ng add on an NgModule app of the same workspace, then ng build');
  await ng('generate', 'application', 'legacy', '--standalone=false', '--minimal', '--ssr=false', '--skip-install');
  await ng('add', tarball, '--skip-confirmation', '--project=legacy', ...ANSWERS);
  await expectIn('projects/legacy/src/app/app-module.ts', ['ImplicitAuthModule.forRoot({', 'withInterceptorsFromDi()']);
  await ng('build', 'legacy');
  await access(join(appDir, 'dist', 'legacy', 'browser', 'silent-callback.html'));

  console.log(
    `\n✔ ng add works on fresh standalone and NgModule apps (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
} catch (error) {
  console.error(`\n✖ ng add check failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  if (process.argv.includes('--keep')) console.log(`Kept ${workDir}`);
  else await rm(workDir, { recursive: true, force: true });
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

/** Runs a command, streams its output and resolves with its stdout; rejects on a non-zero exit. */
function run(file, args, cwd) {
  console.log(`$ ${[file === process.execPath ? 'node' : file, ...args].join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env: ENV, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      process.stdout.write(chunk);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${file} ${args[0]} ended with ${signal ?? `exit code ${code}`}`)),
    );
  });
}
