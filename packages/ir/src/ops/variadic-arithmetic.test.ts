/** Max, Min, Sum and Mean over one, two and three broadcast inputs. */
import { describe, expect, it } from 'vitest';
import { DTypeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { Max, Mean, Min, Sum } from './variadic-arithmetic.js';

const a = tensor('f32', [2, 2], [1, 5, -3, 2]);
const b = tensor('f32', [2], [4, 0]);
const c = tensor('f32', [], [3]);

describe('variadic arithmetic', () => {
  it('folds three inputs with broadcasting', () => {
    expect(toNumbers(evaluateOp(Max, [a, b, c])[0]!)).toEqual([4, 5, 4, 3]);
    expect(toNumbers(evaluateOp(Min, [a, b, c])[0]!)).toEqual([1, 0, -3, 0]);
    expect(toNumbers(evaluateOp(Sum, [a, b, c])[0]!)).toEqual([8, 8, 4, 5]);
    expect(toNumbers(evaluateOp(Mean, [a, b, c])[0]!)).toEqual([8 / 3, 8 / 3, 4 / 3, 5 / 3].map(Math.fround));
    expect(inferOp(Max, [{ dtype: 'f32', shape: ['n', 1] }, { dtype: 'f32', shape: [4] }, { dtype: 'f32', shape: [] }])).toEqual([{ dtype: 'f32', shape: ['n', 4] }]);
  });

  it('returns a single input as it is', () => {
    expect(toNumbers(evaluateOp(Sum, [b])[0]!)).toEqual([4, 0]);
    expect(toNumbers(evaluateOp(Mean, [b])[0]!)).toEqual([4, 0]);
  });

  it('Max and Min take integers exactly and propagate NaN', () => {
    const big = evaluateOp(Max, [tensor('i64', [2], [2n ** 60n, -1n]), tensor('i64', [2], [0n, 7n])])[0]!;
    expect(Array.from(big.data as BigInt64Array)).toEqual([2n ** 60n, 7n]);
    expect(toNumbers(evaluateOp(Min, [tensor('f32', [2], [NaN, 1]), tensor('f32', [2], [0, NaN])])[0]!)).toEqual([NaN, NaN]);
  });

  it('needs one dtype, and floats for Sum and Mean', () => {
    expect(() => inferOp(Max, [{ dtype: 'f32', shape: [2] }, { dtype: 'i32', shape: [2] }])).toThrow(/expected the same dtype/);
    expect(() => inferOp(Sum, [{ dtype: 'i32', shape: [2] }])).toThrow(DTypeError);
  });
});
