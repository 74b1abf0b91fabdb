import { describe, it, expect } from 'vitest';
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { scalar, tensor, toNumbers } from '../tensor.js';
import { Trilu } from './trilu.js';

// 3x4 matrix with values 1..12.
const m = tensor('f32', [3, 4], Array.from({ length: 12 }, (_, i) => i + 1));

describe('Trilu', () => {
  it('keeps type and symbolic shape; k is an optional i64 scalar', () => {
    const type = { dtype: 'f32' as const, shape: ['batch', 'seq', 'seq'] };
    expect(inferOp(Trilu, [type])).toEqual([type]);
    expect(inferOp(Trilu, [type, { dtype: 'i64', shape: [] }], { upper: 0 })).toEqual([type]);
  });

  it('keeps the upper triangle by default', () => {
    expect(toNumbers(evaluateOp(Trilu, [m])[0]!)).toEqual([1, 2, 3, 4, 0, 6, 7, 8, 0, 0, 11, 12]);
  });

  it('keeps the lower triangle with upper=0 and shifts the diagonal with k', () => {
    expect(toNumbers(evaluateOp(Trilu, [m], { upper: 0 })[0]!)).toEqual([1, 0, 0, 0, 5, 6, 0, 0, 9, 10, 11, 0]);
    expect(toNumbers(evaluateOp(Trilu, [m, scalar('i64', 1n)])[0]!)).toEqual([0, 2, 3, 4, 0, 0, 7, 8, 0, 0, 0, 12]);
    expect(toNumbers(evaluateOp(Trilu, [m, scalar('i64', -1n)], { upper: 0 })[0]!)).toEqual([0, 0, 0, 0, 5, 0, 0, 0, 9, 10, 0, 0]);
    // A causal mask: lower triangle of ones.
    const ones = tensor('bool', [1, 3, 3], new Array(9).fill(true));
    expect(toNumbers(evaluateOp(Trilu, [ones], { upper: 0 })[0]!)).toEqual([1, 0, 0, 1, 1, 0, 1, 1, 1]);
  });

  it('applies per batch and keeps f16 / i64 values', () => {
    const h = tensor('f16', [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    const [y] = evaluateOp(Trilu, [h]);
    expect(y!.dtype).toBe('f16');
    expect(toNumbers(y!)).toEqual([1, 2, 0, 4, 5, 6, 0, 8]);
    const [yi] = evaluateOp(Trilu, [tensor('i64', [2, 2], BigInt64Array.of(2n ** 60n, 1n, 2n, 3n))], { upper: 0 });
    expect(Array.from(yi!.data as BigInt64Array)).toEqual([2n ** 60n, 0n, 2n, 3n]);
  });

  it('rejects rank < 2, a non-scalar or non-i64 k, and a bad upper', () => {
    expect(() => inferOp(Trilu, [{ dtype: 'f32', shape: ['n'] }])).toThrow(ShapeError);
    expect(() => inferOp(Trilu, [{ dtype: 'f32', shape: ['n'] }])).toThrow(/input %in0 must have rank >= 2, got f32\[n\]/);
    expect(() => inferOp(Trilu, [{ dtype: 'f32', shape: [2, 2] }, { dtype: 'i64', shape: [2] }])).toThrow(/k %in1 must be a scalar/);
    expect(() => inferOp(Trilu, [{ dtype: 'f32', shape: [2, 2] }, { dtype: 'i32', shape: [] }])).toThrow(DTypeError);
    expect(() => inferOp(Trilu, [{ dtype: 'f32', shape: [2, 2] }], { upper: 2 })).toThrow(AttributeError);
  });
});
