import { describe, expect, it } from 'vitest';
import { AttributeError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { TopK } from './top-k.js';

const k = (value: number) => tensor('i64', [1], [BigInt(value)]);
const indices = (value: { data: unknown } | undefined): number[] => Array.from(value!.data as BigInt64Array, Number);

describe('TopK', () => {
  // [[3, 1, 3, 2], [0, 5, 4, 5]]
  const x = tensor('f32', [2, 4], [3, 1, 3, 2, 0, 5, 4, 5]);

  it('infers K from a constant, a symbol, or as unknown', () => {
    const type = { dtype: 'f32' as const, shape: ['batch', 10] };
    expect(inferOp(TopK, [type, { dtype: 'i64', shape: [1] }], {}, { constants: [undefined, k(3)] })).toEqual([
      { dtype: 'f32', shape: ['batch', 3] },
      { dtype: 'i64', shape: ['batch', 3] },
    ]);
    expect(inferOp(TopK, [type, { dtype: 'i64', shape: [1] }], { axis: 0 }, { known: [undefined, ['n']] })[0]).toEqual({ dtype: 'f32', shape: ['n', 10] });
    expect(inferOp(TopK, [type, { dtype: 'i64', shape: [1] }])[1]).toEqual({ dtype: 'i64', shape: ['batch', '?'] });
    expect(inferOp(TopK, [type], { k: 2 })[0]).toEqual({ dtype: 'f32', shape: ['batch', 2] });
  });

  it('takes the largest first, ties by the lower index', () => {
    const [values, positions] = evaluateOp(TopK, [x, k(3)]);
    expect(toNumbers(values!)).toEqual([3, 3, 2, 5, 5, 4]);
    expect(indices(positions)).toEqual([0, 2, 3, 1, 3, 2]);
  });

  it('takes the smallest first with largest = 0, along any axis', () => {
    const [values, positions] = evaluateOp(TopK, [x, k(1)], { largest: 0, axis: 0 });
    expect(values!.shape).toEqual([1, 4]);
    expect(toNumbers(values!)).toEqual([0, 1, 3, 2]);
    expect(indices(positions)).toEqual([1, 0, 0, 0]);
  });

  it('orders i64 values exactly', () => {
    const big = tensor('i64', [3], [2n ** 60n, 2n ** 60n + 2n, 2n ** 60n + 1n]);
    expect(indices(evaluateOp(TopK, [big, k(2)])[1])).toEqual([1, 2]);
  });

  it('rejects K beyond the axis, and K twice', () => {
    expect(() => inferOp(TopK, [{ dtype: 'f32', shape: [4] }, { dtype: 'i64', shape: [1] }], {}, { constants: [undefined, k(5)] })).toThrow(ShapeError);
    expect(() => evaluateOp(TopK, [x, k(5)])).toThrow(/K = 5 exceeds the size 4/);
    expect(() => inferOp(TopK, [{ dtype: 'f32', shape: [4] }, { dtype: 'i64', shape: [1] }], { k: 1 })).toThrow(AttributeError);
  });
});
