/**
 * Target 1: how much ngx-implicit-auth adds to an app's JavaScript, brotli-compressed.
 *
 * Builds the two apps of bench/size (identical but for the library's use, see their main.ts) with the Angular
 * CLI's production build against the BUILT package in dist/ngx-implicit-auth, then sums brotli (quality 11) of
 * the initial JavaScript each index.html loads, and of the lazy chunks. The delta is broken down by package with
 * esbuild's metafile (`--stats-json`), and the library's and jose's bytes by source file with the source map of
 * a second, source-mapped build of the library app: source maps change esbuild's minified names, so the
 * measured builds have none.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants } from 'node:zlib';

import { ROOT, buildAngularProject } from '../support/build-angular-project.mjs';
import { verdict } from '../support/statistics.mjs';
import { UNMAPPED, bytesBySource } from './attribute-bytes.mjs';

const brotli = promisify(brotliCompress);

/**
 * The brief's budgets, in bytes (kB = 1000 bytes, as the Angular CLI counts): the whole library, lazy chunks
 * included, and the initial JavaScript on its own.
 */
export const SIZE_BUDGET_BYTES = 12_000;
export const INITIAL_BUDGET_BYTES = 8_000;

/**
 * What the peer libraries are reported to add (brotli, initial JS). Quoted for context only: they are not built
 * or measured here, and the numbers come from the project brief, not from this machine.
 */
export const PEERS_REPORTED = Object.freeze([
  { name: 'angular-oauth2-oidc', kB: 12.0, note: 'without ID token signature checks' },
  { name: 'angular-oauth2-oidc + JWKS add-on', kB: 84, note: 'with signature checks' },
  { name: 'angular-auth-oidc-client', kB: 23.3 },
  { name: '@auth0/auth0-angular', kB: 56.7 },
  { name: '@azure/msal-angular', kB: 65.8 },
]);

const APPS = {
  baseline: {
    project: 'bench-size-baseline',
    entry: 'bench/size/baseline/main.ts',
    dist: join(ROOT, 'dist/bench/size-baseline'),
  },
  library: {
    project: 'bench-size-library',
    entry: 'bench/size/library/main.ts',
    dist: join(ROOT, 'dist/bench/size-library'),
  },
};
const MAPPED_LIBRARY_DIST = join(ROOT, 'dist/bench/size-library-mapped');

/**
 * Builds both apps and measures them. Expects dist/ngx-implicit-auth to be freshly built (run.mjs does that).
 *
 * Two deltas are reported. `initial`: the brief's method, the JS index.html loads. `total`: initial plus the
 * lazy chunks the library adds; the library loads parts of itself on demand (e.g. response validation with
 * jose), and the target is about the whole library, signature validation included. The verdict uses `total`,
 * which equals `initial` when nothing is lazy.
 * @param {{ log: (line: string) => void }} io
 */
export async function measureSize({ log }) {
  const measured = {};
  for (const [name, app] of Object.entries(APPS)) {
    const seconds = await buildAngularProject(app.project, ['--stats-json']);
    log(`size: built ${app.project} (${seconds.toFixed(1)} s)`);
    measured[name] = await measureApp(app);
  }
  const features = await measureFeatures(log, measured.baseline);
  await buildAngularProject(APPS.library.project, ['--source-map', `--output-path=${MAPPED_LIBRARY_DIST}`]);
  const bySource = await bytesBySourceFile(MAPPED_LIBRARY_DIST);
  const { baseline, library } = measured;
  const delta = (part) => ({
    baselineBrotli: baseline[part].brotliBytes,
    libraryBrotli: library[part].brotliBytes,
    deltaBrotli: library[part].brotliBytes - baseline[part].brotliBytes,
    deltaRaw: library[part].rawBytes - baseline[part].rawBytes,
  });
  const initial = delta('initial');
  const total = delta('all');
  // A brotli size cannot be split exactly between the packages that share a file; each package's share of the
  // delta is estimated from its share of the added minified bytes, at the delta's average compression ratio.
  const brotliPerRawByte = total.deltaRaw > 0 ? total.deltaBrotli / total.deltaRaw : 0;

  const packages = [...new Set([...Object.keys(baseline.byPackage), ...Object.keys(library.byPackage)])]
    .map((name) => {
      const before = baseline.byPackage[name] ?? { initial: 0, lazy: 0 };
      const after = library.byPackage[name] ?? { initial: 0, lazy: 0 };
      const deltaRaw = after.initial + after.lazy - before.initial - before.lazy;
      return {
        name,
        baselineRaw: before.initial + before.lazy,
        libraryInitialRaw: after.initial,
        libraryLazyRaw: after.lazy,
        deltaRaw,
        estimatedBrotli: Math.round(deltaRaw * brotliPerRawByte),
      };
    })
    .filter((entry) => entry.deltaRaw !== 0)
    .sort((a, b) => b.deltaRaw - a.deltaRaw);

  const sourceFiles = [...bySource]
    .filter(([source]) => packageOf(source) === 'ngx-implicit-auth' || packageOf(source) === 'jose')
    .map(([source, { initial: inInitial, lazy: inLazy }]) => ({
      source,
      raw: inInitial + inLazy,
      loaded: inLazy === 0 ? 'initial' : inInitial === 0 ? 'lazy' : 'both',
      estimatedBrotli: Math.round((inInitial + inLazy) * brotliPerRawByte),
    }))
    .sort((a, b) => b.raw - a.raw);

  return {
    status:
      verdict(total.deltaBrotli, SIZE_BUDGET_BYTES) === 'PASS' &&
      verdict(initial.deltaBrotli, INITIAL_BUDGET_BYTES) === 'PASS'
        ? 'pass'
        : 'fail',
    unit: 'bytes (brotli quality 11)',
    budget: SIZE_BUDGET_BYTES,
    initialBudget: INITIAL_BUDGET_BYTES,
    initial,
    total,
    // Whether jose's signature check is part of the initial JS, or loaded on first use.
    signatureValidationInitial: (library.byPackage.jose?.initial ?? 0) > 0,
    baseline: { initialFiles: baseline.initial.files, lazyFiles: baseline.lazy.files },
    library: {
      initialFiles: library.initial.files,
      lazyFiles: library.lazy.files,
      unreachableFiles: library.unreachable,
    },
    packages,
    sourceFiles,
    features,
    peersReported: PEERS_REPORTED,
  };
}

/**
 * Every optional feature's cost: the library app built once with no feature (`core`: `provideImplicitAuth(config)`
 * alone) and once per feature with only that one (angular.json `feature-<name>` configurations replace
 * library/features.ts with features/<name>.ts). A feature's cost is its build's whole-library bytes minus the core's:
 * what an app pays for using it. Brotli of a whole build, so a few bytes of noise either way.
 */
export const FEATURES = Object.freeze([
  'silent-renew',
  'tab-sync',
  'storage',
  'user-info',
  'logging',
  'config-loader',
  'guard-options',
]);

async function measureFeatures(log, baseline) {
  const build = async (name) => {
    const dist = join(ROOT, `dist/bench/size-feature-${name}`);
    const args = [`--configuration=feature-${name}`, '--stats-json', `--output-path=${dist}`];
    const seconds = await buildAngularProject(APPS.library.project, args);
    log(`size: built the library app with ${name === 'core' ? 'no feature' : name} (${seconds.toFixed(1)} s)`);
    const app = await measureApp({ entry: APPS.library.entry, dist });
    return {
      initial: app.initial.brotliBytes - baseline.initial.brotliBytes,
      total: app.all.brotliBytes - baseline.all.brotliBytes,
    };
  };
  const core = await build('core');
  const costs = [];
  for (const name of FEATURES) {
    const alone = await build(name);
    costs.push({ name, initial: alone.initial - core.initial, total: alone.total - core.total });
  }
  return { core, costs };
}

/**
 * The JS of one built app, initial (what index.html loads) and lazy (every chunk the app can load: reachable from
 * the initial JS through its static and dynamic imports): sizes per file and minified bytes per package from the
 * metafile. A chunk nothing reachable imports is never downloaded and not counted: esbuild emits one for every
 * `import()` in a package file it bundles, even one inside code it tree-shook (an unused feature's), and the
 * output of the code that remains shows which ones the app can still ask for. Those are listed as `unreachable`.
 */
async function measureApp({ entry, dist }) {
  const browserDir = join(dist, 'browser');
  const metafile = JSON.parse(await readFile(join(dist, 'stats.json'), 'utf8'));
  const initialFiles = initialScripts(await readFile(join(browserDir, 'index.html'), 'utf8'));
  checkAgainstMetafile(initialFiles, metafile, entry, dist);
  const reachable = new Set();
  const visit = (file) => {
    if (reachable.has(file)) return;
    reachable.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) {
      if (!imported.external) visit(imported.path);
    }
  };
  initialFiles.forEach(visit);
  const lazyFiles = [...reachable].filter((file) => file.endsWith('.js') && !initialFiles.includes(file));
  const unreachable = Object.keys(metafile.outputs).filter((file) => file.endsWith('.js') && !reachable.has(file));

  const byPackage = {};
  // Read once: the stand-in names need every file's chunk names before any file is compressed.
  const codes = new Map();
  for (const file of [...initialFiles, ...lazyFiles]) codes.set(file, await readFile(join(browserDir, file), 'latin1'));
  const names = outputNames(codes.values());
  const measureFiles = async (files, part) => {
    const sizes = [];
    for (const file of files) {
      const code = codes.get(file);
      sizes.push({ file, rawBytes: code.length, brotliBytes: await meanBrotliOverNames(code, names) });
      for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[file].inputs)) {
        const name = packageOf(input);
        byPackage[name] ??= { initial: 0, lazy: 0 };
        byPackage[name][part] += bytesInOutput;
      }
    }
    return {
      files: sizes,
      rawBytes: sizes.reduce((sum, size) => sum + size.rawBytes, 0),
      brotliBytes: sizes.reduce((sum, size) => sum + size.brotliBytes, 0),
    };
  };
  const initial = await measureFiles(initialFiles, 'initial');
  const lazy = await measureFiles(lazyFiles, 'lazy');
  const all = { rawBytes: initial.rawBytes + lazy.rawBytes, brotliBytes: initial.brotliBytes + lazy.brotliBytes };
  return { initial, lazy, all, byPackage, unreachable };
}

/**
 * How many sets of stand-in file names each file is compressed with (see {@link meanBrotliOverNames}). Measured on
 * the library app (December 2026): 24 random renamings of one build compressed to 80,912–81,064 bytes in all, a
 * 152-byte spread from the names alone; means of 8 of them fell within 22 bytes of each other.
 */
const NAME_SAMPLES = 8;
const HASHED_NAME = /\b(?:chunk|main|polyfills|styles)-([A-Z0-9]{8})\.js/g;

/** The distinct 8-character chunk hashes named in the output files' code (their import statements). */
function outputNames(codes) {
  const hashes = new Set();
  for (const code of codes) {
    for (const [, hash] of code.matchAll(HASHED_NAME)) hashes.add(hash);
  }
  return [...hashes].sort();
}

/**
 * Brotli (quality 11, node's defaults otherwise: what a server precompressing its static files would send) of
 * `code`, averaged over {@link NAME_SAMPLES} sets of stand-in chunk names. The build names chunks by a hash of
 * their content, so any change renames them, and random names shift brotli's choices by tens of bytes, which would
 * show as a cost or a saving of code that did not change. Each sample swaps every hash for another
 * pseudo-random one of the same length and alphabet (the same swap in every file of the app), so the bytes
 * compressed are those of a real build, under other names; the mean is what a build of this code costs whatever
 * its hashes.
 */
async function meanBrotliOverNames(code, hashes) {
  let total = 0;
  for (let sample = 0; sample < NAME_SAMPLES; sample++) {
    const swap = new Map(hashes.map((hash, i) => [hash, standInHash(sample, i)]));
    const renamed = Buffer.from(
      code.replace(HASHED_NAME, (name, hash) => name.replace(hash, swap.get(hash) ?? hash)),
      'latin1',
    );
    total += (await brotli(renamed, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })).length;
  }
  return Math.round(total / NAME_SAMPLES);
}

/** A deterministic pseudo-random 8-character hash (A–Z, 0–9) for name `index` of sample `sample`. */
function standInHash(sample, index) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let state = (sample * 7919 + index * 104729 + 1) >>> 0;
  let hash = '';
  for (let i = 0; i < 8; i++) {
    // xorshift32
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    hash += alphabet[state % alphabet.length];
  }
  return hash;
}

/** Minified bytes per original source file, initial and lazy, from a build with source maps. */
async function bytesBySourceFile(dist) {
  const browserDir = join(dist, 'browser');
  const initialFiles = initialScripts(await readFile(join(browserDir, 'index.html'), 'utf8'));
  const files = (await readdir(browserDir)).filter((file) => file.endsWith('.js'));
  const bySource = new Map();
  for (const file of files) {
    const part = initialFiles.includes(file) ? 'initial' : 'lazy';
    const code = await readFile(join(browserDir, file), 'utf8');
    const map = JSON.parse(await readFile(join(browserDir, `${file}.map`), 'utf8'));
    for (const [source, bytes] of bytesBySource(code, map)) {
      const entry = bySource.get(source) ?? { initial: 0, lazy: 0 };
      entry[part] += bytes;
      bySource.set(source, entry);
    }
  }
  return bySource;
}

/** The JavaScript a browser loads before the app starts: the index.html's module scripts and modulepreloads. */
export function initialScripts(html) {
  const files = new Set();
  for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const attribute = (name) => tag.match(new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i'))?.[1];
    const isScript = /^<script/i.test(tag) && attribute('src');
    const isPreload = /^<link/i.test(tag) && attribute('rel') === 'modulepreload';
    const url = isScript ? attribute('src') : isPreload ? attribute('href') : undefined;
    // Only files of the build itself; an absolute URL would be a CDN script the bench does not measure.
    if (url && !/^[a-z]+:|^\/\//i.test(url) && url.endsWith('.js')) files.add(url.replace(/^\.?\//, ''));
  }
  return [...files];
}

/**
 * The metafile's view must agree: the entry chunk plus every chunk it imports statically, transitively, is
 * exactly what index.html loads. A disagreement means the HTML parsing above misses something.
 */
function checkAgainstMetafile(initial, metafile, entry, dist) {
  // Lazy chunks have an `entryPoint` too (the module a dynamic import names); the app's is its main.ts.
  const entries = Object.keys(metafile.outputs).filter((file) => metafile.outputs[file].entryPoint === entry);
  if (entries.length !== 1) throw new Error(`${dist}: expected one chunk for ${entry}, found ${entries.length}`);
  const expected = new Set();
  const visit = (file) => {
    if (expected.has(file)) return;
    expected.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) {
      if (imported.kind === 'import-statement') visit(imported.path);
    }
  };
  visit(entries[0]);
  const same = expected.size === initial.length && initial.every((file) => expected.has(file));
  if (!same) {
    throw new Error(`${dist}: index.html loads [${initial}] but the metafile's initial chunks are [${[...expected]}]`);
  }
}

/** The package a bundled input belongs to, from its path in the metafile or the source map. */
export function packageOf(path) {
  if (path === UNMAPPED) return UNMAPPED;
  const nodeModule = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
  if (nodeModule) return nodeModule;
  // Angular's packages map to their Bazel build paths in source maps (…/bin/packages/core/src/…).
  const angular = path.match(/\/packages\/(core|common|router|platform-browser|animations|forms)\//)?.[1];
  if (angular) return `@angular/${angular}`;
  if (path.includes('ngx-implicit-auth/')) return 'ngx-implicit-auth';
  if (path.startsWith('bench/')) return 'bench app code';
  return 'other';
}
