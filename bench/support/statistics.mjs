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

/** Median, quartiles and the interquartile range relative to the median (how noisy the sample was). */
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
  };
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
