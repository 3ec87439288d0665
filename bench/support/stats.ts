/** Order statistics of a sample: the figures every part of the benchmark reports. */
export interface Summary {
  n: number;
  median: number;
  p99: number;
  mean: number;
  max: number;
}

/** The q-th quantile (0..1) of a sample, by the nearest-rank method (no interpolation between samples). */
export function quantile(values: readonly number[], q: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Median, 99th percentile, mean and maximum of a sample. */
export function summarise(values: readonly number[]): Summary {
  const mean = values.reduce((a, b) => a + b, 0) / (values.length || 1);
  return {
    n: values.length,
    median: quantile(values, 0.5),
    p99: quantile(values, 0.99),
    mean,
    max: values.length ? Math.max(...values) : Number.NaN,
  };
}

/** Rounds for reports: three significant decimals are plenty for milliseconds and capacity units. */
export function round(value: number, places = 3): number {
  const f = 10 ** places;
  return Math.round(value * f) / f;
}
