import { describe, it, expect } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { Pow } from './binary-arithmetic.js';

describe('Pow', () => {
  it('broadcasts symbolically and keeps the base dtype when the exponent dtype differs', () => {
    expect(inferOp(Pow, [{ dtype: 'f16', shape: ['batch', 'seq', 64] }, { dtype: 'f32', shape: [] }])).toEqual([
      { dtype: 'f16', shape: ['batch', 'seq', 64] },
    ]);
    expect(inferOp(Pow, [{ dtype: 'i32', shape: [3, 1] }, { dtype: 'i64', shape: ['n'] }])).toEqual([{ dtype: 'i32', shape: [3, 'n'] }]);
  });

  it('computes powers with broadcasting', () => {
    const [z] = evaluateOp(Pow, [tensor('f32', [2, 2], [1, 2, 3, 4]), tensor('f32', [2], [2, 0.5])]);
    expect(toNumbers(z!)).toEqual([1, Math.SQRT2, 9, 2].map(Math.fround));
  });

  it('follows C pow for 1^NaN and (-1)^inf', () => {
    const [z] = evaluateOp(Pow, [tensor('f32', [3], [1, -1, 2]), tensor('f32', [3], [NaN, Infinity, -1])]);
    expect(toNumbers(z!)).toEqual([1, 1, 0.5]);
  });

  it('integer base with float exponent truncates; f16 base with i64 exponent stays f16', () => {
    const [zi] = evaluateOp(Pow, [tensor('i32', [3], [2, 3, -2]), tensor('f32', [3], [0.5, 2, 3])]);
    expect(zi!.dtype).toBe('i32');
    expect(toNumbers(zi!)).toEqual([1, 9, -8]);
    const [zh] = evaluateOp(Pow, [tensor('f16', [2], [3, 0.5]), tensor('i64', [1], [2n])]);
    expect(zh!.dtype).toBe('f16');
    expect(toNumbers(zh!)).toEqual([9, 0.25]);
  });

  it('rejects bool operands and shapes that do not broadcast', () => {
    expect(() => inferOp(Pow, [{ dtype: 'f32', shape: [2] }, { dtype: 'bool', shape: [2] }])).toThrow(DTypeError);
    expect(() => inferOp(Pow, [{ dtype: 'f32', shape: [2] }, { dtype: 'bool', shape: [2] }])).toThrow(/Y %in1 must be/);
    expect(() => inferOp(Pow, [{ dtype: 'f32', shape: [2, 3] }, { dtype: 'f32', shape: [4] }])).toThrow(ShapeError);
  });
});
