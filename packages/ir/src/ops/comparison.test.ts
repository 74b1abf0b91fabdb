import { describe, it, expect } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { Equal, Greater, GreaterOrEqual, Less, LessOrEqual } from './comparison.js';

describe('Equal', () => {
  it('broadcasts symbolically and produces bool', () => {
    expect(inferOp(Equal, [{ dtype: 'i64', shape: ['batch', 1] }, { dtype: 'i64', shape: [1, 'seq'] }])).toEqual([
      { dtype: 'bool', shape: ['batch', 'seq'] },
    ]);
  });

  it('compares with broadcasting; NaN equals nothing', () => {
    const [c] = evaluateOp(Equal, [tensor('f32', [2, 2], [1, 2, NaN, 4]), tensor('f32', [2], [1, 4])]);
    expect(c!.dtype).toBe('bool');
    expect(toNumbers(c!)).toEqual([1, 0, 0, 1]);
  });

  it('compares i64, bool and f16 values', () => {
    expect(toNumbers(evaluateOp(Equal, [tensor('i64', [3], [-1n, 5n, 0n]), tensor('i64', [], [-1n])])[0]!)).toEqual([1, 0, 0]);
    expect(toNumbers(evaluateOp(Equal, [tensor('bool', [2], [true, false]), tensor('bool', [2], [true, true])])[0]!)).toEqual([1, 0]);
    expect(toNumbers(evaluateOp(Equal, [tensor('f16', [2], [0.5, -0]), tensor('f16', [2], [0.5, 0])])[0]!)).toEqual([1, 1]);
  });

  it('rejects mixed dtypes and non-broadcasting shapes', () => {
    expect(() => inferOp(Equal, [{ dtype: 'i64', shape: [2] }, { dtype: 'i32', shape: [2] }])).toThrow(DTypeError);
    expect(() => inferOp(Equal, [{ dtype: 'i64', shape: [2] }, { dtype: 'i32', shape: [2] }])).toThrow(/expected the same dtype/);
    expect(() => inferOp(Equal, [{ dtype: 'f32', shape: [2] }, { dtype: 'f32', shape: [3] }])).toThrow(ShapeError);
  });
});

describe('Less, LessOrEqual, Greater and GreaterOrEqual', () => {
  const a = tensor('f32', [4], [1, 2, 3, NaN]);
  const b = tensor('f32', [], [2]);
  it('order numbers, NaN against nothing', () => {
    expect(toNumbers(evaluateOp(Less, [a, b])[0]!)).toEqual([1, 0, 0, 0]);
    expect(toNumbers(evaluateOp(LessOrEqual, [a, b])[0]!)).toEqual([1, 1, 0, 0]);
    expect(toNumbers(evaluateOp(Greater, [a, b])[0]!)).toEqual([0, 0, 1, 0]);
    expect(toNumbers(evaluateOp(GreaterOrEqual, [a, b])[0]!)).toEqual([0, 1, 1, 0]);
  });

  it('order i64 exactly beyond 2^53', () => {
    const big = tensor('i64', [2], [2n ** 60n, 2n ** 60n + 1n]);
    expect(toNumbers(evaluateOp(Less, [big, tensor('i64', [], [2n ** 60n + 1n])])[0]!)).toEqual([1, 0]);
  });

  it('refuse bools', () => {
    expect(() => inferOp(Greater, [{ dtype: 'bool', shape: [2] }, { dtype: 'bool', shape: [2] }])).toThrow(DTypeError);
  });
});
