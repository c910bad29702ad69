/**
 * `npm run fuzz`: the fuzz specs (`*.fuzz.spec.ts`) with 100,000 cases per property (the API matcher: 100,000
 * generated URLs around each configured API), then the cases and time per target. `npm test` runs the same specs
 * with a few hundred cases each.
 *
 *   npm run fuzz                                   # FUZZ_RUNS=100000
 *   npm run fuzz -- --runs=5000                    # fewer cases
 *   npm run fuzz -- --seed=123 --path="0:1:2" -t 'matcher around https://api.example.com:443/v1'
 *                                                  # replay a failure fast-check reported (seed and path)
 *
 * Other arguments go to jest as they are.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const JEST_BIN = join(dirname(createRequire(import.meta.url).resolve('jest/package.json')), 'bin', 'jest.js');

const options = { runs: '100000', seed: '', path: '' };
const jestArgs = [];
for (const arg of process.argv.slice(2)) {
  const [, name, value] = /^--(runs|seed|path)=(.*)$/.exec(arg) ?? [];
  if (name) options[name] = value;
  else jestArgs.push(arg);
}

const workDir = await mkdtemp(join(tmpdir(), 'ngx-implicit-auth-fuzz-'));
const report = join(workDir, 'cases.jsonl');
const results = join(workDir, 'jest.json');
const started = Date.now();
const exitCode = await new Promise((resolve) => {
  const child = spawn(
    process.execPath,
    // A property of 100,000 cases runs for minutes: no per-test timeout (jest's default is 5 s).
    [
      JEST_BIN,
      '--ci',
      '--testPathPatterns',
      '\\.fuzz\\.spec\\.ts$',
      '--testTimeout=3600000',
      '--json',
      `--outputFile=${results}`,
      ...jestArgs,
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        FUZZ_RUNS: options.runs,
        FUZZ_SEED: options.seed,
        FUZZ_PATH: options.path,
        FUZZ_REPORT: report,
      },
    },
  );
  child.on('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
});

// Cases per target (spec file), from what each passed property recorded, and each file's time from jest's report.
const cases = new Map();
const lines = await readFile(report, 'utf8').catch(() => '');
for (const line of lines.split('\n').filter(Boolean)) {
  const { target, runs } = JSON.parse(line);
  cases.set(target, (cases.get(target) ?? 0) + runs);
}
const seconds = new Map();
try {
  for (const suite of JSON.parse(await readFile(results, 'utf8')).testResults) {
    seconds.set(suite.name, (suite.endTime - suite.startTime) / 1000);
  }
} catch {
  // No jest report (it did not get that far): the summary shows what was recorded.
}
console.log(`\nFuzz summary (FUZZ_RUNS=${options.runs} per property)`);
for (const target of new Set([...seconds.keys(), ...cases.keys()])) {
  const time = seconds.has(target) ? `${seconds.get(target).toFixed(1)} s` : '?';
  console.log(`  ${relative(ROOT, target).padEnd(72)} ${String(cases.get(target) ?? 0).padStart(9)} cases  ${time}`);
}
console.log(`  total ${((Date.now() - started) / 1000).toFixed(1)} s`);
await rm(workDir, { recursive: true, force: true });
process.exitCode = exitCode;
