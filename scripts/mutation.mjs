/**
 * `npm run mutation [folder…]`: mutation testing of the library with StrykerJS, one folder at a time, so a run
 * stays bounded on a shared 2-core machine. Not part of `npm test` (a folder takes minutes, the library an hour).
 *
 *   npm run mutation                     # protocol and flows (the framework-free code)
 *   npm run mutation -- protocol http    # the named folders
 *   npm run mutation -- all              # every folder listed below
 *
 * Each folder's mutants run against the specs listed for it, in vitest (scripts/mutation/vitest.config.mts) where
 * they need no Angular TestBed: jest stays the project's test runner; vitest runs the same specs unchanged, ~50×
 * faster per mutant than ts-jest. `core` and `service` are the library's root files (without and with Angular).
 * Reports land in reports/mutation/<folder>.{html,json} (not checked in); the summary printed at the end gives per
 * folder killed / survived / no coverage / timeout, the score, and the score without the string-literal mutants of
 * error messages (see docs/mutation-report.md for why that second number exists), then the total of the run and,
 * once every folder has a report, the whole library's. Exits non-zero only when Stryker itself fails; the score is
 * a measurement, not a gate.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stryker } from '@stryker-mutator/core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LIB = 'projects/ngx-implicit-auth/src/lib';

/** Root files without Angular: specs that run in vitest. */
const ROOT_FILES = ['claims', 'dev-hints', 'errors'];
/** Root files of the Angular wiring (types-only files such as `events.ts` and `clock.ts` have no mutants). */
const SERVICE_FILES = [
  'default-implicit-auth.service',
  'implicit-auth.service',
  'implicit-auth.module',
  'provide-implicit-auth',
  'on-demand',
  'on-demand-loader',
  'tokens',
  'features',
  'page-address',
  'server-implicit-auth.service',
];

/**
 * What each folder mutates and which specs judge it. Framework-free code runs its specs in vitest (Node, or jsdom
 * where a spec needs `window`); Angular-bound code runs its TestBed specs in the project's own jest set-up
 * (jest.config.cjs: ts-jest with `isolatedModules`, so nothing is type-checked per mutant).
 */
const FOLDERS = {
  protocol: {
    runner: 'vitest',
    specs: [`${LIB}/protocol/**/*.spec.ts`],
    // The fuzz specs (`npm run fuzz`) spy on the URLSearchParams constructor the jest way, which vitest's spies
    // cannot stand in for; the protocol's rules are each pinned by the unit specs.
    exclude: [`${LIB}/protocol/**/*.fuzz.spec.ts`],
  },
  config: { runner: 'vitest', specs: [`${LIB}/config/**/*.spec.ts`] },
  renewal: {
    runner: 'vitest',
    specs: [`${LIB}/renewal/**/*.spec.ts`],
    // The coordinator is the Angular service's part: its specs are the service's (TestBed), see `service`.
    skip: [`${LIB}/renewal/renewal-coordinator.ts`],
    environment: 'jsdom',
  },
  http: { runner: 'jest', specs: [`${LIB}/http/**/*.spec.ts`] },
  router: { runner: 'jest', specs: [`${LIB}/router/**/*.spec.ts`] },
  // flows/ and session/ have framework-free specs of their own (jsdom for the window, storage and tab channel).
  flows: {
    runner: 'vitest',
    specs: [`${LIB}/flows/**/*.spec.ts`],
    // The service-level fuzz spec runs the flows through Angular's TestBed: jest only (`npm run fuzz`).
    exclude: [`${LIB}/flows/**/*.fuzz.spec.ts`],
    environment: 'jsdom',
  },
  session: { runner: 'vitest', specs: [`${LIB}/session/**/*.spec.ts`], environment: 'jsdom' },
  // The optional withX() features, judged by their TestBed specs (each feature present and absent).
  features: { runner: 'jest', specs: [`${LIB}/features/**/*.spec.ts`, `${LIB}/provide-implicit-auth.spec.ts`] },
  // The library's root files: the framework-free ones with their own specs…
  core: {
    runner: 'vitest',
    mutate: ROOT_FILES.map((name) => `${LIB}/${name}.ts`),
    specs: ROOT_FILES.map((name) => `${LIB}/${name}.spec.ts`),
  },
  // …and the Angular wiring (the service, its providers and NgModule, the on-demand entry, the renewal
  // coordinator), judged by the service's TestBed specs.
  service: {
    runner: 'jest',
    mutate: [...SERVICE_FILES.map((name) => `${LIB}/${name}.ts`), `${LIB}/renewal/renewal-coordinator.ts`],
    specs: [`${LIB}/*.spec.ts`],
  },
};
const DEFAULT_FOLDERS = ['protocol', 'flows'];

const asked = process.argv.slice(2);
const folders = asked.includes('all') ? Object.keys(FOLDERS) : asked.length ? asked : DEFAULT_FOLDERS;
const unknown = folders.filter((folder) => !Object.hasOwn(FOLDERS, folder));
if (unknown.length) {
  console.error(`Unknown folder(s): ${unknown.join(', ')}. Known: ${Object.keys(FOLDERS).join(', ')}, all.`);
  process.exit(2);
}

const summary = [];
for (const folder of folders) {
  const { runner, specs, exclude = [], skip = [], environment = 'node' } = FOLDERS[folder];
  const mutate = FOLDERS[folder].mutate ?? [`${LIB}/${folder}/**/*.ts`, `!${LIB}/${folder}/**/*.spec.ts`];
  process.env['MUTATION_SPECS'] = specs.join(',');
  process.env['MUTATION_EXCLUDE'] = exclude.join(',');
  process.env['MUTATION_ENVIRONMENT'] = environment;
  const started = Date.now();
  await new Stryker({
    testRunner: runner,
    vitest: { configFile: 'scripts/mutation/vitest.config.mts' },
    jest: {
      configFile: 'jest.config.cjs',
      // Stryker's environment wrapper does not expand <rootDir>: the environment needs an absolute path.
      config: {
        testEnvironment: join(ROOT, 'scripts/jest-environment.cjs'),
        testMatch: specs.map((g) => `<rootDir>/${g}`),
      },
      enableFindRelatedTests: false,
    },
    mutate: [...mutate, ...skip.map((file) => `!${file}`)],
    coverageAnalysis: 'perTest',
    // Stryker adds `// @ts-nocheck` to every script it may load, inline <script> of HTML pages included: that
    // changed silent-callback.html's script, whose CSP hash a renewal spec checks, and failed the dry run. Only the
    // library's TypeScript needs it (the specs' runners do not type-check anyway).
    disableTypeChecks: `${LIB}/**/*.ts`,
    // A static mutant (a module-level constant) runs every spec of the folder, with a fresh module graph each time:
    // on 2 shared cores they took most of the run. They are counted as ignored and listed in the report.
    ignoreStatic: true,
    // Never more than two: the machine's two cores are shared.
    concurrency: 2,
    reporters: ['progress', 'clear-text', 'html', 'json'],
    htmlReporter: { fileName: `reports/mutation/${folder}.html` },
    jsonReporter: { fileName: `reports/mutation/${folder}.json` },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
    // A re-run tests again only the mutants whose code or covering specs changed since the previous run.
    incremental: true,
    incrementalFile: `reports/mutation/${folder}.incremental.json`,
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    thresholds: { high: 90, low: 80, break: null },
  }).runMutationTest();
  const minutes = (Date.now() - started) / 60_000;
  const report = JSON.parse(await readFile(join(ROOT, `reports/mutation/${folder}.json`), 'utf8'));
  summary.push({ folder, minutes, ...tally(report) });
}

console.log('\nMutation score per folder');
console.log('folder       mutants  killed  survived  no cov.  timeout  score   w/o messages  minutes');
for (const row of summary) printRow(row);
if (summary.length > 1) printRow(total('total', summary));
// The whole library: the latest report of every folder (this run's, or an earlier run's), when all exist.
const latest = [];
for (const folder of Object.keys(FOLDERS)) {
  try {
    latest.push(tally(JSON.parse(await readFile(join(ROOT, `reports/mutation/${folder}.json`), 'utf8'))));
  } catch {
    // Not measured yet: no whole-library line.
  }
}
if (latest.length === Object.keys(FOLDERS).length) {
  printRow(
    total(
      'library',
      latest.map((row) => ({ ...row, minutes: Number.NaN })),
    ),
  );
  console.log('(library: the latest report of every folder in reports/mutation/, whichever run wrote it)');
}

/** Sums the counts of `rows` and scores the sum. */
function total(name, rows) {
  const sum = (key) => rows.reduce((acc, row) => acc + row[key], 0);
  const counts = Object.fromEntries(
    ['total', 'killed', 'survived', 'noCoverage', 'timeout', 'messages', 'messagesDetected'].map((k) => [k, sum(k)]),
  );
  const detected = counts.killed + counts.timeout;
  const rest = counts.total - counts.messages;
  return {
    folder: name,
    minutes: sum('minutes'),
    ...counts,
    score: counts.total ? (100 * detected) / counts.total : 100,
    scoreWithoutMessages: rest ? (100 * (detected - counts.messagesDetected)) / rest : 100,
  };
}

function printRow(row) {
  console.log(
    [
      row.folder.padEnd(11),
      String(row.total).padStart(8),
      String(row.killed).padStart(7),
      String(row.survived).padStart(9),
      String(row.noCoverage).padStart(8),
      String(row.timeout).padStart(8),
      `${row.score.toFixed(1)} %`.padStart(7),
      `${row.scoreWithoutMessages.toFixed(1)} % (−${row.messages})`.padStart(13),
      (Number.isNaN(row.minutes) ? '' : row.minutes.toFixed(1)).padStart(8),
    ].join(' '),
  );
}

/**
 * Counts per status, and the score twice: over all mutants, and without the string-literal mutants of error
 * messages (the human-readable text of an ImplicitAuthError; its `code` is what callers and specs rely on).
 */
function tally(report) {
  const counts = { total: 0, killed: 0, survived: 0, noCoverage: 0, timeout: 0, messages: 0, messagesDetected: 0 };
  const mutants = Object.values(report.files).flatMap(({ source, mutants }) =>
    mutants.map((mutant) => ({ ...mutant, lines: source.split('\n') })),
  );
  for (const mutant of mutants) {
    if (mutant.status === 'Ignored' || mutant.status === 'CompileError' || mutant.status === 'RuntimeError') continue;
    counts.total++;
    const detected = mutant.status === 'Killed' || mutant.status === 'Timeout';
    if (mutant.status === 'Killed') counts.killed++;
    else if (mutant.status === 'Survived') counts.survived++;
    else if (mutant.status === 'NoCoverage') counts.noCoverage++;
    else if (mutant.status === 'Timeout') counts.timeout++;
    if (isErrorMessage(mutant)) {
      counts.messages++;
      if (detected) counts.messagesDetected++;
    }
  }
  const detected = counts.killed + counts.timeout;
  const score = counts.total ? (100 * detected) / counts.total : 100;
  const rest = counts.total - counts.messages;
  const scoreWithoutMessages = rest ? (100 * (detected - counts.messagesDetected)) / rest : 100;
  return { ...counts, score, scoreWithoutMessages };
}

/**
 * Whether a mutant replaces the message (not the code) of `new ImplicitAuthError(code, message)` or
 * `fail(code, message)`. Report locations are 1-based.
 */
function isErrorMessage(mutant) {
  if (mutant.mutatorName !== 'StringLiteral') return false;
  const { line, column } = mutant.location.start;
  const before = mutant.lines[line - 1].slice(0, column - 1);
  return /(?:new ImplicitAuthError|\bfail)\(\s*'[a-z_]+',\s*$/.test(before);
}
