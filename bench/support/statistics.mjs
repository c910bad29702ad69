/**
 * The few statistics the bench reports. Medians rather than means: a round hit by a garbage collection or a
 * scheduler hiccup on a 2-core machine should not move the result.
 */

/** The value at quantile `q` (0…1) of `values`, linearly interpolated. */
export function quantile(values, q) {
  if (values.length === 0) throw new RangeError('quantile of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

export const median = (values) => quantile(values, 0.5);

/**
 * A distribution-free 95% confidence interval for the median: the order statistics x(k) and x(n+1-k) with the
 * largest k for which P(Binomial(n, ½) < k) ≤ 2.5%. Needs no assumption about the shape of the noise, which on
 * a busy machine is anything but normal. `null` below 6 values, where no such k exists.
 * @see https://www.itl.nist.gov/div898/handbook/prc/section2/prc252.htm
 */
export function medianInterval(values) {
  const n = values.length;
  const sorted = [...values].sort((a, b) => a - b);
  let below = 0; // P(X < k) for X ~ Binomial(n, ½), accumulated as k grows
  let k = 0;
  let term = 0.5 ** n; // P(X = 0)
  while (below + term <= 0.025) {
    below += term;
    term = (term * (n - k)) / (k + 1);
    k++;
  }
  return k === 0 ? null : { low: sorted[k - 1], high: sorted[n - k] };
}

/**
 * Median, quartiles, the interquartile range relative to the median (how noisy the sample was) and the 95%
 * interval of the median (how sure the median is).
 */
export function summarize(values) {
  const mid = median(values);
  const q1 = quantile(values, 0.25);
  const q3 = quantile(values, 0.75);
  return {
    n: values.length,
    median: mid,
    q1,
    q3,
    min: Math.min(...values),
    max: Math.max(...values),
    iqrPct: ((q3 - q1) / mid) * 100,
    interval95: medianInterval(values),
  };
}

/**
 * Runs rounds until the 95% intervals of the medians that decide a verdict are narrow enough, or the time is up:
 * a quiet machine finishes after `minRounds`, a busy one gets more rounds instead of a coin toss.
 * @param {object} options
 * @param {(round: number) => Promise<void>} options.runRound Runs round `round` and records its samples.
 * @param {() => number[][]} options.decisive The current samples of each median a verdict depends on.
 * @param {number} options.halfWidth Stop once every interval is at most ± this wide around its median.
 * @returns {Promise<{ rounds: number, converged: boolean }>}
 */
export async function runRoundsUntilSettled({ runRound, decisive, halfWidth, minRounds, maxRounds, budgetMs }) {
  const deadline = Date.now() + budgetMs;
  let rounds = 0;
  const settled = () =>
    decisive().every((samples) => {
      const interval = medianInterval(samples);
      const mid = median(samples);
      return interval !== null && interval.high - mid <= halfWidth && mid - interval.low <= halfWidth;
    });
  while (rounds < minRounds || (rounds < maxRounds && Date.now() < deadline && !settled())) {
    await runRound(rounds);
    rounds++;
  }
  return { rounds, converged: settled() };
}

/**
 * The order of the variants in round `round`: rotated every round (a b c, b c a, c a b, …), so that no variant
 * always runs first, right after a pause, and slow drift hits every variant alike.
 */
export function roundOrder(variants, round) {
  const shift = round % variants.length;
  return [...variants.slice(shift), ...variants.slice(0, shift)];
}

/** Whether `value` meets a "≤ limit" target, as the word the tables print. */
export function verdict(value, limit) {
  return value <= limit ? 'PASS' : 'FAIL';
}
