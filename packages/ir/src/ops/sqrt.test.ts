import { describe, it, expect } from 'vitest';
import { DTypeError } from '../errors.js';
import { f32ToF16Bits } from '../f16.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { Sqrt } from './sqrt.js';

describe('Sqrt', () => {
  it('keeps dtype and symbolic shape', () => {
    expect(inferOp(Sqrt, [{ dtype: 'f32', shape: ['batch', 'seq', 64] }])).toEqual([{ dtype: 'f32', shape: ['batch', 'seq', 64] }]);
  });

  it('computes square roots (NaN for negatives)', () => {
    const [y] = evaluateOp(Sqrt, [tensor('f32', [2, 2], [0, 1, 9, -4])]);
    const values = toNumbers(y!);
    expect(values.slice(0, 3)).toEqual([0, 1, 3]);
    expect(values[3]).toBeNaN();
  });

  it('rounds f16 results once', () => {
    const [y] = evaluateOp(Sqrt, [tensor('f16', [3], [4, 2, 0.25])]);
    expect(y!.dtype).toBe('f16');
    expect(Array.from(y!.data as Uint16Array)).toEqual([f32ToF16Bits(2), f32ToF16Bits(1.4142135623730951), f32ToF16Bits(0.5)]);
  });

  it('rejects integer input naming it', () => {
    expect(() => inferOp(Sqrt, [{ dtype: 'i64', shape: [3] }])).toThrow(DTypeError);
    expect(() => inferOp(Sqrt, [{ dtype: 'i64', shape: [3] }])).toThrow(/X %in0 must be f32 or f16, got i64\[3\]/);
  });
});
