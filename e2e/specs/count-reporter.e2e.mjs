/**
 * The counting reporter behind the e2e totals of `npm test`: a wrong count would make CI green (or red)
 * for the wrong reason, so it is checked against a run whose outcome is known.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

const REPORTER = fileURLToPath(new URL('../support/count-reporter.mjs', import.meta.url));

const KNOWN_OUTCOMES = `
import { before, describe, test } from 'node:test';
describe('a suite', () => {
  test('passes', () => {});
  test('fails', () => { throw new Error('expected'); });
  test('is skipped', { skip: true }, () => {});
});
describe('a suite whose hook throws', () => {
  before(() => { throw new Error('hook'); });
  test('cannot run 1', () => {});
  test('cannot run 2', () => {});
});
test('a parent whose subtests pass but which fails itself', async (t) => {
  await t.test('passing subtest', () => {});
  throw new Error('own failure');
});
test.todo('not written yet');
`;

let dir;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ngx-implicit-auth-count-reporter-'));
  await writeFile(join(dir, 'known.test.mjs'), KNOWN_OUTCOMES);
  await writeFile(join(dir, 'broken.test.mjs'), "import './does-not-exist.mjs';\n");
});
after(() => rm(dir, { recursive: true, force: true }));

test('counts leaf cases, failing hooks and parents once, and files that cannot load', async () => {
  const countFile = join(dir, 'counts.json');
  const exitCode = await new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--test',
        `--test-reporter=${REPORTER}`,
        `--test-reporter-destination=${countFile}`,
        join(dir, 'known.test.mjs'),
        join(dir, 'broken.test.mjs'),
      ],
      // Without NODE_TEST_CONTEXT: inherited from this spec's own runner, it would make the inner run report
      // to us instead of to its reporters.
      { stdio: 'ignore', timeout: 30_000, env: { ...process.env, NODE_TEST_CONTEXT: undefined } },
    );
    child.on('error', reject);
    child.on('exit', resolve);
  });
  assert.equal(exitCode, 1);
  const counts = JSON.parse(await readFile(countFile, 'utf8'));
  assert.equal(counts.passed, 2, 'passes + passing subtest');
  assert.equal(counts.skipped, 2, 'the skipped and the todo test');
  assert.deepEqual(counts.failures.map((failure) => failure.name).sort(), [
    join(dir, 'broken.test.mjs'),
    'a parent whose subtests pass but which fails itself',
    'cannot run 1',
    'cannot run 2',
    'fails',
  ]);
  assert.equal(counts.failed, 5);
});
