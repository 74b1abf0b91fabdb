import { describe, expect, it } from 'vitest';
import { AttributeError, DTypeError, EvalError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor } from '../tensor.js';
import { ArgMax, ArgMin } from './arg-extreme.js';

const indices = (value: { data: unknown } | undefined): number[] => Array.from(value!.data as BigInt64Array, Number);

describe('ArgMax / ArgMin', () => {
  // [[2, 7, 7], [5, 1, 1]]
  const x = tensor('f32', [2, 3], [2, 7, 7, 5, 1, 1]);

  it('infers i64 indices with and without keepdims, symbolically', () => {
    const type = { dtype: 'f32' as const, shape: ['batch', 'seq', 5] };
    expect(inferOp(ArgMax, [type])).toEqual([{ dtype: 'i64', shape: [1, 'seq', 5] }]);
    expect(inferOp(ArgMin, [type], { axis: -1, keepdims: 0 })).toEqual([{ dtype: 'i64', shape: ['batch', 'seq'] }]);
  });

  it('finds the first extreme, or the last with select_last_index', () => {
    expect(indices(evaluateOp(ArgMax, [x], { axis: 1 })[0])).toEqual([1, 0]);
    expect(indices(evaluateOp(ArgMax, [x], { axis: 1, select_last_index: 1 })[0])).toEqual([2, 0]);
    expect(indices(evaluateOp(ArgMin, [x], { axis: 1 })[0])).toEqual([0, 1]);
    expect(indices(evaluateOp(ArgMin, [x], { axis: 1, select_last_index: 1 })[0])).toEqual([0, 2]);
    expect(indices(evaluateOp(ArgMax, [x])[0])).toEqual([1, 0, 0]);
    expect(evaluateOp(ArgMin, [x], { keepdims: 0 })[0]!.shape).toEqual([3]);
  });

  it('compares i64 values exactly', () => {
    const big = tensor('i64', [3], [2n ** 60n + 1n, 2n ** 60n + 2n, 2n ** 60n]);
    expect(indices(evaluateOp(ArgMax, [big])[0])).toEqual([1]);
  });

  it('rejects bad attributes, bool data and an empty axis', () => {
    expect(() => inferOp(ArgMax, [{ dtype: 'f32', shape: [2] }], { select_last_index: 2 })).toThrow(AttributeError);
    expect(() => inferOp(ArgMax, [{ dtype: 'bool', shape: [2] }])).toThrow(DTypeError);
    expect(() => evaluateOp(ArgMax, [tensor('f32', [2, 0])], { axis: 1 })).toThrow(EvalError);
  });
});
