/**
 * `npm run bench`: measures the three performance targets side by side in one run and reports them.
 *
 *   node bench/run.mjs [--only size,interceptor,renewal]
 *
 * 1. builds the library (dist/ngx-implicit-auth), which every bench app imports as users do;
 * 2. size: builds the two bench/size apps and compares their initial JavaScript (bench/size/measure-size.mjs);
 * 3. builds the interceptor bench page and the demo (into dist/bench/, never touching dist/demo, which the e2e
 *    suite may be using), starts the dev IdP, a loopback JSON endpoint, static servers and headless Chromium;
 * 4. interceptor and renewal timings (bench/interceptor, bench/renewal);
 * 5. prints a table per target and writes bench/.results/latest.json.
 *
 * A target that misses its goal is a result, not a failure: the exit code is 0. It is 1 only when the bench could
 * not measure something (a build failed, no browser, a server did not start, a check of the bench's own failed).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { ROOT, buildAngularProject, stopBuilds } from './support/build-angular-project.mjs';
import { printReport } from './support/print-report.mjs';

const TARGETS = ['size', 'interceptor', 'renewal'];
/** The whole run takes 1–3 minutes on 2 cores; past this bound something hangs. */
const RUN_TIMEOUT_MS = 10 * 60_000;
const CLOSE_TIMEOUT_MS = 10_000;
const RESULTS_FILE = join(ROOT, 'bench/.results/latest.json');
const INTERCEPTOR_DIST = join(ROOT, 'dist/bench/interceptor/browser');
const DEMO_DIST = join(ROOT, 'dist/bench/demo');

const { values: options } = parseArgs({ options: { only: { type: 'string' } } });
const selected = options.only ? options.only.split(',').map((name) => name.trim()) : TARGETS;
const unknown = selected.filter((name) => !TARGETS.includes(name));
if (unknown.length > 0) {
  console.error(`bench: unknown target(s) ${unknown.join(', ')}; choose among ${TARGETS.join(', ')}`);
  process.exit(1);
}

const started = Date.now();
const log = (line) => console.log(`bench: ${line}`);
const cleanups = [];

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${RUN_TIMEOUT_MS / 1000} s; stopping.`);
  void abort(1);
}, RUN_TIMEOUT_MS);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void abort(130));

const results = { generatedAt: new Date().toISOString(), environment: await describeEnvironment(), targets: {} };
let fatal;
try {
  log('building the library (dist/ngx-implicit-auth)');
  await buildAngularProject('ngx-implicit-auth');
  if (selected.includes('size')) {
    results.targets.size = await attempt('size', async () => {
      const { measureSize } = await import('./size/measure-size.mjs');
      return measureSize({ log });
    });
  }
  if (selected.includes('interceptor') || selected.includes('renewal')) await measureInBrowser();
} catch (error) {
  fatal = error;
} finally {
  await closeAll();
  clearTimeout(watchdog);
}

results.durationSeconds = Math.round((Date.now() - started) / 1000);
if (fatal) {
  console.error(`bench: could not run: ${fatal.stack ?? fatal}`);
  results.error = String(fatal.message ?? fatal);
}
printReport(results);
await mkdir(join(ROOT, 'bench/.results'), { recursive: true });
await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nbench: results in bench/.results/latest.json (${results.durationSeconds} s)`);
const couldNotMeasure = fatal || Object.values(results.targets).some((target) => target.status === 'error');
process.exitCode = couldNotMeasure ? 1 : 0;

/** The browser targets: their builds, then one IdP, servers and one browser shared by both. */
async function measureInBrowser() {
  const wantInterceptor = selected.includes('interceptor');
  const wantRenewal = selected.includes('renewal');
  // Built before anything starts, so no build competes with the timings for the two cores.
  const built = {};
  if (wantInterceptor) built.interceptor = await attempt('interceptor', () => buildAngularProject('bench-interceptor'));
  if (wantRenewal)
    built.renewal = await attempt('renewal', () => buildAngularProject('demo', [`--output-path=${DEMO_DIST}`]));
  for (const [name, outcome] of Object.entries(built)) if (outcome.status === 'error') results.targets[name] = outcome;
  const interceptorReady = wantInterceptor && built.interceptor.status !== 'error';
  const renewalReady = wantRenewal && built.renewal.status !== 'error';
  if (!interceptorReady && !renewalReady) return;
  log('starting the dev IdP, servers and headless Chromium');
  let stack;
  try {
    stack = await startBrowserStack({ interceptorReady, renewalReady });
  } catch (error) {
    // Without the servers or the browser neither browser target can be measured: both say why.
    const failed = await attempt('browser setup', () => Promise.reject(error));
    if (interceptorReady) results.targets.interceptor = failed;
    if (renewalReady) results.targets.renewal = failed;
    return;
  }
  const { interceptorApp, demo, idp, endpoint, browser } = stack;
  results.environment.chromium = browser.version();
  // Other processes compete with the timings for the cores; the report warns when they did.
  const loadBefore = loadavg()[0];

  if (interceptorReady) {
    results.targets.interceptor = await attempt('interceptor', async () => {
      const { measureInterceptor } = await import('./interceptor/measure-interceptor.mjs');
      return measureInterceptor({ browser, app: interceptorApp, idp, endpoint, log });
    });
  }
  if (renewalReady) {
    results.targets.renewal = await attempt('renewal', async () => {
      const { measureRenewal } = await import('./renewal/measure-renewal.mjs');
      return measureRenewal({ browser, demo, idp, log });
    });
  }
  results.environment.loadAverageDuringTimings = Math.max(loadBefore, loadavg()[0]);
}

/** The dev IdP, the static servers, the JSON endpoint and Chromium, each registered for closing at the end. */
async function startBrowserStack({ interceptorReady, renewalReady }) {
  // Imported here: loading oidc-provider prints notices, and the size-only run does not need it.
  const [{ startIdp }, { startDemoServer }, { launchBrowser }, { startJsonEndpoint }] = await Promise.all([
    import('../dev/idp.mjs'),
    import('../e2e/support/demo-server.mjs'),
    import('../e2e/support/browser.mjs'),
    import('./support/json-endpoint.mjs'),
  ]);
  const interceptorApp = interceptorReady ? await track(startDemoServer({ root: INTERCEPTOR_DIST })) : undefined;
  const demo = renewalReady ? await track(startDemoServer({ root: join(DEMO_DIST, 'browser') })) : undefined;
  const appOrigins = [interceptorApp, demo].filter(Boolean).map((server) => server.origin);
  // A throwaway key folder, as the e2e harness does: the bench never touches the developer's dev/.keys.
  const keysDir = await mkdtemp(join(tmpdir(), 'ngx-implicit-auth-bench-keys-'));
  cleanups.push(() => rm(keysDir, { recursive: true, force: true }));
  const idp = await track(startIdp({ port: 0, appOrigins, keysDir }));
  const endpoint = interceptorReady
    ? await track(startJsonEndpoint({ appOrigins: [interceptorApp.origin] }))
    : undefined;
  const browser = await track(launchBrowser());
  return { interceptorApp, demo, idp, endpoint, browser };
}

/** Runs one target; its failure is recorded as that target's result and the other targets still run. */
async function attempt(name, measure) {
  try {
    return await measure();
  } catch (error) {
    log(`${name}: could not measure: ${error.message.split('\n')[0]}`);
    return { status: 'error', message: String(error.stack ?? error) };
  }
}

/** Awaits a started resource and registers its `close()` for the end of the run. */
async function track(starting) {
  const resource = await starting;
  cleanups.push(() => resource.close());
  return resource;
}

/** Closes everything started, most recent first, each step bounded so one stuck server cannot hang the run. */
async function closeAll() {
  for (const close of cleanups.splice(0).reverse()) {
    await Promise.race([
      // A failing close must not stop the others, nor hide the results.
      close().catch((error) => log(`cleanup failed: ${error.message}`)),
      new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref()),
    ]);
  }
}

async function abort(exitCode) {
  stopBuilds();
  await closeAll();
  process.exit(exitCode);
}

/** What the numbers were measured on, so results from different runs can be compared fairly. */
async function describeEnvironment() {
  const version = async (path) => JSON.parse(await readFile(join(ROOT, path), 'utf8')).version;
  const git = (...args) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      // Not a git checkout (e.g. an exported tarball): the commit is simply unknown.
      return null;
    }
  };
  const changed = git('status', '--porcelain', '--', 'projects/ngx-implicit-auth');
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    angular: await version('node_modules/@angular/core/package.json'),
    library: await version('projects/ngx-implicit-auth/package.json'),
    commit: git('rev-parse', '--short', 'HEAD'),
    libraryHasUncommittedChanges: changed === null ? null : changed.length > 0,
  };
}
