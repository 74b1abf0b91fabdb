import { describe, expect, it } from 'vitest';
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { scalar, tensor, toNumbers } from '../tensor.js';
import { CumSum } from './cumsum.js';

describe('CumSum', () => {
  const x = tensor('f32', [2, 3], [1, 2, 3, 4, 5, 6]);
  const sums = (attrs: Record<string, number>, axis = 1n) => toNumbers(evaluateOp(CumSum, [x, scalar('i64', axis)], attrs)[0]!);

  it('sums along the axis, forwards, backwards, inclusive and exclusive', () => {
    expect(sums({})).toEqual([1, 3, 6, 4, 9, 15]);
    expect(sums({ exclusive: 1 })).toEqual([0, 1, 3, 0, 4, 9]);
    expect(sums({ reverse: 1 })).toEqual([6, 5, 3, 15, 11, 6]);
    expect(sums({ exclusive: 1, reverse: 1 })).toEqual([5, 3, 0, 11, 6, 0]);
    expect(sums({}, 0n)).toEqual([1, 2, 3, 5, 7, 9]);
    expect(sums({}, -2n)).toEqual([1, 2, 3, 5, 7, 9]);
  });

  it('sums integers exactly (i64 past 2^53) and takes an i32 axis', () => {
    const big = tensor('i64', [2], [2n ** 60n, 1n]);
    expect(Array.from(evaluateOp(CumSum, [big, tensor('i32', [1], [0])])[0]!.data as BigInt64Array)).toEqual([2n ** 60n, 2n ** 60n + 1n]);
  });

  it('checks the axis and the flags', () => {
    const type = { dtype: 'f32' as const, shape: ['batch', 4] };
    expect(inferOp(CumSum, [type, { dtype: 'i64', shape: [] }])).toEqual([type]);
    expect(() => inferOp(CumSum, [type, { dtype: 'i64', shape: [] }], {}, { constants: [undefined, scalar('i64', 2n)] })).toThrow(ShapeError);
    expect(() => inferOp(CumSum, [type, { dtype: 'i64', shape: [2] }])).toThrow(/must be a scalar/);
    expect(() => inferOp(CumSum, [type, { dtype: 'f32', shape: [] }])).toThrow(DTypeError);
    expect(() => inferOp(CumSum, [type, { dtype: 'i64', shape: [] }], { reverse: 3 })).toThrow(AttributeError);
  });
});
