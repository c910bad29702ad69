import { appendFileSync } from 'node:fs';
import fc from 'fast-check';

/**
 * Cases per fuzz property inside `npm test`: enough to keep every generator honest, small enough that all fuzz
 * specs together stay within a few seconds. `npm run fuzz` sets `FUZZ_RUNS=100000`.
 */
export const DEFAULT_FUZZ_RUNS = 200;

/**
 * How many cases a fuzz property runs: `FUZZ_RUNS` (else {@link DEFAULT_FUZZ_RUNS}) times `scale`, at least one.
 * A slow target (a whole page load per case) passes a scale below 1.
 */
export function fuzzRuns(scale = 1): number {
  const runs = Number(process.env['FUZZ_RUNS'] ?? DEFAULT_FUZZ_RUNS);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be a positive integer, got ${runs}`);
  return Math.max(1, Math.round(runs * scale));
}

/**
 * fast-check parameters for a fuzz property: {@link fuzzRuns} cases, and the `FUZZ_SEED` / `FUZZ_PATH` of a
 * reported failure to replay it (`npm run fuzz -- --seed=… --path=… -t '<test name>'`).
 */
export function fuzzParameters<T>(scale = 1): fc.Parameters<T> {
  const seed = process.env['FUZZ_SEED'];
  const path = process.env['FUZZ_PATH'];
  return {
    numRuns: fuzzRuns(scale),
    ...(seed === undefined || seed === '' ? {} : { seed: Number(seed) }),
    ...(path === undefined || path === '' ? {} : { path, endOnFailure: true }),
  };
}

/** Runs a synchronous fuzz property (see {@link fuzzParameters}) and records its cases. */
export function fuzz<T>(name: string, property: fc.IProperty<T>, scale = 1): void {
  const parameters = fuzzParameters<T>(scale);
  fc.assert(property, parameters);
  record(name, parameters.numRuns!);
}

/** Runs an asynchronous fuzz property (see {@link fuzzParameters}) and records its cases. */
export async function fuzzAsync<T>(name: string, property: fc.IAsyncProperty<T>, scale = 1): Promise<void> {
  const parameters = fuzzParameters<T>(scale);
  await fc.assert(property, parameters);
  record(name, parameters.numRuns!);
}

/** With `FUZZ_REPORT` set (by `npm run fuzz`), appends one JSON line per passed property for the summary. */
function record(name: string, runs: number): void {
  const report = process.env['FUZZ_REPORT'];
  if (report) appendFileSync(report, `${JSON.stringify({ target: expect.getState().testPath, name, runs })}\n`);
}
