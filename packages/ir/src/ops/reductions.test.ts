import { describe, expect, it } from 'vitest';
import { DTypeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers, type Tensor } from '../tensor.js';
import { combineIdentity } from './reduce.js';
import { REDUCTION_OPS, ReduceL1, ReduceL2, ReduceLogSum, ReduceLogSumExp, ReduceMax, ReduceMean, ReduceMin, ReduceProd, ReduceSumSquare } from './reductions.js';

const axes = (...list: bigint[]) => tensor('i64', [list.length], list);
// [[1, -2, 3], [-4, 5, -6]]
const x = tensor('f32', [2, 3], [1, -2, 3, -4, 5, -6]);
const values = (value: Tensor | undefined): number[] => toNumbers(value!);

describe('the Reduce* ops', () => {
  it('compute each reduction over rows and columns, as numpy would', () => {
    expect(values(evaluateOp(ReduceMax, [x, axes(1n)])[0])).toEqual([3, 5]);
    expect(values(evaluateOp(ReduceMin, [x, axes(0n)])[0])).toEqual([-4, -2, -6]);
    expect(values(evaluateOp(ReduceProd, [x, axes(1n)])[0])).toEqual([-6, 120]);
    expect(values(evaluateOp(ReduceSumSquare, [x, axes(1n)])[0])).toEqual([14, 77]);
    expect(values(evaluateOp(ReduceL1, [x, axes(1n)])[0])).toEqual([6, 15]);
    expect(values(evaluateOp(ReduceL2, [x, axes(1n)])[0])).toEqual([Math.fround(Math.sqrt(14)), Math.fround(Math.sqrt(77))]);
    expect(values(evaluateOp(ReduceLogSum, [tensor('f32', [2], [1, 2])])[0])).toEqual([Math.fround(Math.log(3))]);
    expect(values(evaluateOp(ReduceLogSumExp, [x, axes(0n)], { keepdims: 0 })[0])).toEqual(
      [[1, -4], [-2, 5], [3, -6]].map(([a, b]) => Math.fround(Math.log(Math.exp(a) + Math.exp(b)))),
    );
  });

  it('keeps ReduceLogSumExp finite where exp overflows (it subtracts the maximum first)', () => {
    const [y] = evaluateOp(ReduceLogSumExp, [tensor('f32', [2], [1000, 1000])]);
    expect(values(y)).toEqual([Math.fround(1000 + Math.log(2))]);
    expect(values(evaluateOp(ReduceLogSumExp, [tensor('f32', [2], [-Infinity, -Infinity])])[0])).toEqual([-Infinity]);
  });

  it('gives each reduction its value over an empty set', () => {
    const empty = tensor('f32', [2, 0, 3]);
    const over = (op: (typeof REDUCTION_OPS)[number]) => values(evaluateOp(op, [empty, axes(1n)])[0])[0];
    expect(REDUCTION_OPS.map((op) => [op.name, over(op)])).toEqual([
      ['ReduceSum', 0], ['ReduceMean', NaN], ['ReduceMax', -Infinity], ['ReduceMin', Infinity], ['ReduceProd', 1],
      ['ReduceSumSquare', 0], ['ReduceL1', 0], ['ReduceL2', 0], ['ReduceLogSum', -Infinity], ['ReduceLogSumExp', -Infinity],
    ]);
    const [shape] = evaluateOp(ReduceMax, [empty, axes(1n)]);
    expect(shape!.shape).toEqual([2, 1, 3]);
  });

  it('reduces bools with max (any) and min (all), and gives false / true over an empty set', () => {
    const flags = tensor('bool', [2, 2], [1, 0, 0, 0]);
    expect(values(evaluateOp(ReduceMax, [flags, axes(1n)])[0])).toEqual([1, 0]);
    expect(values(evaluateOp(ReduceMin, [flags, axes(0n)])[0])).toEqual([0, 0]);
    expect(values(evaluateOp(ReduceMax, [tensor('bool', [0, 2]), axes(0n)])[0])).toEqual([0, 0]);
    expect(values(evaluateOp(ReduceMin, [tensor('bool', [0, 2]), axes(0n)])[0])).toEqual([1, 1]);
    expect(() => inferOp(ReduceProd, [{ dtype: 'bool', shape: [2] }])).toThrow(DTypeError);
  });

  it('reduces integers in their own type: i64 beyond 2^53, integer means truncate, L2 truncates', () => {
    const big = tensor('i64', [2], [2n ** 62n, -(2n ** 62n) - 3n]);
    expect(Array.from(evaluateOp(ReduceMax, [big])[0]!.data as BigInt64Array)).toEqual([2n ** 62n]);
    expect(Array.from(evaluateOp(ReduceMin, [big])[0]!.data as BigInt64Array)).toEqual([-(2n ** 62n) - 3n]);
    expect(values(evaluateOp(ReduceMean, [tensor('i32', [3], [1, 2, 4])])[0])).toEqual([2]);
    expect(values(evaluateOp(ReduceL2, [tensor('i32', [2], [3, 5])])[0])).toEqual([5]);
  });

  it('starts each combine from its identity in the accumulator type', () => {
    expect(combineIdentity('max', 'f32')).toBe(-Infinity);
    expect(combineIdentity('min', 'i32')).toBe(2 ** 31 - 1);
    expect(combineIdentity('max', 'i64')).toBe(-(2n ** 63n));
    expect(combineIdentity('min', 'i64')).toBe(2n ** 63n - 1n);
    expect(combineIdentity('and', 'bool')).toBe(1);
  });

  it('rejects the wrong dtypes for the log reductions', () => {
    expect(() => inferOp(ReduceLogSumExp, [{ dtype: 'i32', shape: [2] }])).toThrow(/must be f32 or f16/);
  });
});
