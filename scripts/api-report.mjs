/**
 * The public API golden: an API Extractor report per entry point of the built package, tracked in
 * projects/ngx-implicit-auth/api/*.api.md, so that a change to the API is a reviewed change.
 *
 *   node scripts/api-report.mjs           compare the built .d.ts with the tracked reports; fail on a difference
 *   node scripts/api-report.mjs --update  (npm run api:update) rewrite the reports from the build
 *
 * Reads dist/ngx-implicit-auth/types/*.d.ts: run `npm run build:lib` first.
 */
import { spawnSync } from 'node:child_process';
import { access, copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = join(ROOT, 'dist', 'ngx-implicit-auth', 'types');
const REPORTS = join(ROOT, 'projects', 'ngx-implicit-auth', 'api');
/** Each entry point: its import name, the .d.ts ng-packagr writes for it, its report's name. */
const ENTRY_POINTS = [
  { name: 'ngx-implicit-auth', types: 'ngx-implicit-auth.d.ts', report: 'ngx-implicit-auth' },
  { name: 'ngx-implicit-auth/testing', types: 'ngx-implicit-auth-testing.d.ts', report: 'ngx-implicit-auth-testing' },
];
const update = process.argv.includes('--update');

const tempFolder = await mkdtemp(join(tmpdir(), 'ngx-implicit-auth-api-'));
const changed = [];
try {
  // The testing entry point imports the main one by its package name. A copy of the main one's types under a
  // node_modules folder makes API Extractor treat it as the external package it is for users (imports, not inlined).
  const installed = join(tempFolder, 'node_modules', 'ngx-implicit-auth');
  await mkdir(installed, { recursive: true });
  await copyFile(join(TYPES, ENTRY_POINTS[0].types), join(installed, 'index.d.ts'));
  for (const entryPoint of ENTRY_POINTS) {
    const entryFile = join(TYPES, entryPoint.types);
    await access(entryFile).catch(() => {
      throw new Error(`${relative(ROOT, entryFile)} is missing: run npm run build:lib first.`);
    });
    const result = Extractor.invoke(prepare(entryPoint, entryFile, join(installed, 'index.d.ts')), {
      localBuild: update,
      showVerboseMessages: false,
    });
    if (!result.succeeded && !result.apiReportChanged) {
      throw new Error(`API Extractor failed on ${entryPoint.name}: ${result.errorCount} errors.`);
    }
    if (result.apiReportChanged) {
      changed.push(entryPoint);
      if (!update)
        printDiff(join(REPORTS, `${entryPoint.report}.api.md`), join(tempFolder, `${entryPoint.report}.api.md`));
    }
  }
} catch (error) {
  console.error(`✖ ${error.message}`);
  process.exitCode = 1;
} finally {
  await rm(tempFolder, { recursive: true, force: true });
}

if (process.exitCode !== 1) {
  const files = changed.map(({ report }) => relative(ROOT, join(REPORTS, `${report}.api.md`)));
  if (update) {
    console.log(changed.length ? `Updated ${files.join(', ')}: review and commit.` : 'The API reports are up to date.');
  } else if (changed.length) {
    console.error(
      `✖ The public API differs from ${files.join(', ')} (diff above).\n` +
        '  If the change is intended, run `npm run api:update` and commit the report with the change.',
    );
    process.exitCode = 1;
  } else {
    console.log(`✔ The public API matches ${ENTRY_POINTS.length} tracked reports.`);
  }
}

/** The difference as a unified diff, tracked report first, so the log shows what changed. */
function printDiff(tracked, built) {
  const args = ['diff', '--no-index', '--no-color', '--', relative(ROOT, tracked), built];
  const { stdout } = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  console.error(stdout || `(no diff available: compare ${tracked} with a fresh npm run api:update)`);
}

function prepare(entryPoint, entryFile, installedMainTypes) {
  return ExtractorConfig.prepare({
    configObjectFullPath: join(REPORTS, 'api-extractor.json'),
    packageJsonFullPath: join(ROOT, 'projects', 'ngx-implicit-auth', 'package.json'),
    configObject: {
      projectFolder: ROOT,
      mainEntryPointFilePath: entryFile,
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2022',
            module: 'ES2022',
            moduleResolution: 'bundler',
            lib: ['ES2022', 'dom'],
            strict: true,
            skipLibCheck: true,
            types: [],
            paths: { 'ngx-implicit-auth': [installedMainTypes] },
          },
          files: [entryFile],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: entryPoint.report,
        reportFolder: REPORTS,
        reportTempFolder: tempFolder,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        extractorMessageReporting: {
          default: { logLevel: 'warning', addToApiReportFile: true },
          // The library marks no release stages (@public/@beta): everything exported is public.
          'ae-missing-release-tag': { logLevel: 'none', addToApiReportFile: false },
          // The report marks undocumented members itself; these messages would add absolute paths and line numbers.
          'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
          // {@link}s to the other entry point or to internals: a matter for docs, not for the API's shape.
          'ae-unresolved-link': { logLevel: 'none', addToApiReportFile: false },
        },
        tsdocMessageReporting: { default: { logLevel: 'none', addToApiReportFile: false } },
      },
    },
  });
}
