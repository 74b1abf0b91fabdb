import { describe, expect, it } from 'vitest';
import { gflopsPerSecond, maxAbsError, median, quantile, summarize } from './statistics.js';

describe('statistics', () => {
  it('computes medians and quartiles by interpolation', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(summarize([5, 1, 3])).toEqual({ runs: 3, medianMs: 3, q1Ms: 2, q3Ms: 4, minMs: 1 });
  });

  it('converts FLOPs and milliseconds to GFLOP/s', () => {
    expect(gflopsPerSecond(2e9, 100)).toBe(20);
  });

  it('reports the largest absolute error, NaN and length mismatches as infinite', () => {
    expect(maxAbsError(Float32Array.of(1, 2.5), Float32Array.of(1, 2))).toBe(0.5);
    expect(maxAbsError(Float32Array.of(NaN, 0), Float32Array.of(1, 0))).toBe(Infinity);
    expect(maxAbsError(Float32Array.of(1), Float32Array.of(1, 2))).toBe(Infinity);
  });
});
