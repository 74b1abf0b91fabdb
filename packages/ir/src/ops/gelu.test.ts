import { describe, it, expect } from 'vitest';
import { AttributeError, DTypeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { Gelu } from './gelu.js';

describe('Gelu', () => {
  it('keeps dtype and symbolic shape', () => {
    expect(inferOp(Gelu, [{ dtype: 'f16', shape: ['batch', 'seq', 3072] }], { approximate: 'tanh' })).toEqual([
      { dtype: 'f16', shape: ['batch', 'seq', 3072] },
    ]);
  });

  it('computes the exact (erf) form by default', () => {
    // x·Φ(x) with Φ from published normal-CDF values: Φ(1) = 0.841344746068543, Φ(-1) = 0.158655253931457, Φ(2) = 0.977249868051821.
    const [y] = evaluateOp(Gelu, [tensor('f32', [4], [0, 1, -1, 2])]);
    const values = toNumbers(y!);
    expect(values[0]).toBe(0);
    expect(values[1]).toBeCloseTo(0.841344746068543, 6);
    expect(values[2]).toBeCloseTo(-0.158655253931457, 6);
    expect(values[3]).toBeCloseTo(2 * 0.977249868051821, 6);
  });

  it('computes the tanh approximation', () => {
    const xs = [-2, -0.5, 0.5, 3];
    const [y] = evaluateOp(Gelu, [tensor('f32', [4], xs)], { approximate: 'tanh' });
    const c = Math.sqrt(2 / Math.PI);
    toNumbers(y!).forEach((value, i) => {
      const x = xs[i];
      expect(value).toBeCloseTo(0.5 * x * (1 + Math.tanh(c * (x + 0.044715 * x ** 3))), 6);
    });
  });

  it('rejects an unknown approximation and integer input', () => {
    expect(() => inferOp(Gelu, [{ dtype: 'f32', shape: [2] }], { approximate: 'fast' })).toThrow(AttributeError);
    expect(() => inferOp(Gelu, [{ dtype: 'f32', shape: [2] }], { approximate: 'fast' })).toThrow(/'none' or 'tanh', got 'fast'/);
    expect(() => inferOp(Gelu, [{ dtype: 'i32', shape: [2] }])).toThrow(DTypeError);
  });
});
