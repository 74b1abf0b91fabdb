import { describe, it, expect } from 'vitest';
import { DTypeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { Erf } from './erf.js';
import { erf } from './unary-float.js';

/** Independent reference: the Maclaurin series 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)), fine for |x| <= 3. */
function erfSeries(x: number): number {
  let term = x; // (-1)^n x^(2n+1) / n!
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const next = sum + term / (2 * n + 1);
    if (next === sum) break;
    sum = next;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

describe('erf (Cody)', () => {
  it('matches the Maclaurin series to 1e-13 on [-3, 3]', () => {
    for (let x = -3; x <= 3; x += 0.0625) {
      const want = erfSeries(x);
      expect(Math.abs(erf(x) - want)).toBeLessThanOrEqual(1e-13 * Math.max(Math.abs(want), 1e-300) + 1e-300);
    }
  });

  it('matches published values across all three intervals', () => {
    // Reference values from CPython's math.erf (the C library's erf).
    const table: [number, number][] = [
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [3.5, 0.9999992569016276],
      [5, 0.9999999999984626],
    ];
    for (const [x, want] of table) {
      expect(Math.abs(erf(x) - want) / want).toBeLessThan(1e-14);
      expect(erf(-x)).toBe(-erf(x));
    }
    expect(erf(0)).toBe(0);
    expect(erf(30)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(NaN)).toBeNaN();
  });
});

describe('Erf', () => {
  it('keeps dtype and symbolic shape', () => {
    expect(inferOp(Erf, [{ dtype: 'f32', shape: ['batch', 'seq', 3072] }])).toEqual([{ dtype: 'f32', shape: ['batch', 'seq', 3072] }]);
  });

  it('evaluates f32 and f16 tensors', () => {
    const [y] = evaluateOp(Erf, [tensor('f32', [3], [-1, 0, 0.5])]);
    const values = toNumbers(y!);
    expect(values[0]).toBeCloseTo(-0.8427007929, 6);
    expect(values[1]).toBe(0);
    expect(values[2]).toBeCloseTo(0.5204998778, 6);
    const [h] = evaluateOp(Erf, [tensor('f16', [1], [1])]);
    expect(h!.dtype).toBe('f16');
    expect(toNumbers(h!)[0]).toBeCloseTo(0.8427, 3);
  });

  it('rejects integer input', () => {
    expect(() => inferOp(Erf, [{ dtype: 'i32', shape: [1] }])).toThrow(DTypeError);
  });
});
