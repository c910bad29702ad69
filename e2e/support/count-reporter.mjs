/**
 * A `node --test` reporter that counts test cases and writes one JSON line at the end:
 * `{"passed":N,"failed":N,"skipped":N,"failures":[{"file","name"}]}`.
 *
 * Only leaf tests count (a `describe` or a test with subtests is not a case of its own), except a parent
 * that failed while all its children passed: that is a failure of its own (a hook threw, or the file could
 * not even load) and counts once. Skipped and todo tests are reported apart, never as passed.
 */
export default async function* countReporter(source) {
  const totals = { passed: 0, failed: 0, skipped: 0, failures: [] };
  // Per file (files may run in parallel, each in order), per nesting level: whether the level below had
  // results since the last result at this level, and whether any of them failed.
  const levelsByFile = new Map();

  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, nesting, file = '' } = event.data;
    const failed = event.type === 'test:fail';
    const levels = levelsByFile.get(file) ?? [];
    levelsByFile.set(file, levels);

    const below = levels[nesting + 1];
    levels[nesting + 1] = undefined;
    if (!below?.seen) {
      if (event.data.skip !== undefined || event.data.todo !== undefined) totals.skipped += 1;
      else if (failed) record(totals, file, name);
      else totals.passed += 1;
    } else if (failed && !below.failed) {
      record(totals, file, name);
    }
    const here = levels[nesting] ?? { seen: false, failed: false };
    levels[nesting] = { seen: true, failed: here.failed || failed || Boolean(below?.failed) };
  }
  yield `${JSON.stringify(totals)}\n`;
}

function record(totals, file, name) {
  totals.failed += 1;
  totals.failures.push({ file, name });
}
