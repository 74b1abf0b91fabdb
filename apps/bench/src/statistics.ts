/**
 * Timing and statistics: wall-clock time of one async call, and the
 * summary the report quotes (median, quartiles) of a runtime's samples.
 */

/** Milliseconds `action` took (wall clock, `performance.now`), and what it returned. */
export async function timed<T>(action: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await action();
  return { ms: performance.now() - start, value };
}

/** The q-quantile (0..1) of `values` by linear interpolation between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** A runtime's timed samples, summarised. */
export interface TimingSummary {
  readonly runs: number;
  readonly medianMs: number;
  /** The first and third quartiles, to show how noisy the samples were. */
  readonly q1Ms: number;
  readonly q3Ms: number;
  readonly minMs: number;
}

/** Summarises samples in milliseconds. */
export function summarize(samplesMs: readonly number[]): TimingSummary {
  return {
    runs: samplesMs.length,
    medianMs: median(samplesMs),
    q1Ms: quantile(samplesMs, 0.25),
    q3Ms: quantile(samplesMs, 0.75),
    minMs: Math.min(...samplesMs),
  };
}

/** GFLOP/s of `flops` done in `ms` milliseconds. */
export function gflopsPerSecond(flops: number, ms: number): number {
  return flops / (ms * 1e6);
}

/** The largest |got - expected| (NaN or a length mismatch counts as infinite). */
export function maxAbsError(got: Float32Array, expected: Float32Array): number {
  if (got.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const error = Math.abs(got[i] - expected[i]);
    if (!(error <= worst)) worst = Number.isNaN(error) ? Infinity : error;
  }
  return worst;
}
