import { describe, it, expect } from 'vitest';
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { ReduceSum } from './reductions.js';

// x[i][j][k] = 100*i + 10*j + k, shape [2, 3, 2].
const values = Array.from({ length: 12 }, (_, flat) => 100 * Math.floor(flat / 6) + 10 * (Math.floor(flat / 2) % 3) + (flat % 2));
const x = tensor('f32', [2, 3, 2], values);
const axes = (...list: bigint[]) => tensor('i64', [list.length], list);

describe('ReduceSum', () => {
  const sym = { dtype: 'f32' as const, shape: ['batch', 'seq', 64] };

  it('infers with the axes input (opset 13) from constants or known contents', () => {
    expect(inferOp(ReduceSum, [sym, { dtype: 'i64', shape: [1] }], {}, { constants: [undefined, axes(-1n)] })).toEqual([
      { dtype: 'f32', shape: ['batch', 'seq', 1] },
    ]);
    expect(inferOp(ReduceSum, [sym, { dtype: 'i64', shape: [2] }], { keepdims: 0 }, { known: [undefined, [0, 2]] })).toEqual([
      { dtype: 'f32', shape: ['seq'] },
    ]);
  });

  it('infers with the axes attribute (opset 11) and with no axes', () => {
    expect(inferOp(ReduceSum, [sym], { axes: [1], keepdims: 0 })).toEqual([{ dtype: 'f32', shape: ['batch', 64] }]);
    expect(inferOp(ReduceSum, [sym])).toEqual([{ dtype: 'f32', shape: [1, 1, 1] }]);
    expect(inferOp(ReduceSum, [sym], { keepdims: 0 })).toEqual([{ dtype: 'f32', shape: [] }]);
    expect(inferOp(ReduceSum, [sym], { noop_with_empty_axes: 1 })).toEqual([sym]);
  });

  it('gives unknown dims for unknown axes: the input rank with keepdims=1, one less per axis with keepdims=0', () => {
    expect(inferOp(ReduceSum, [sym, { dtype: 'i64', shape: [1] }])).toEqual([{ dtype: 'f32', shape: ['?', '?', '?'] }]);
    expect(inferOp(ReduceSum, [sym, { dtype: 'i64', shape: [2] }], { keepdims: 0 })).toEqual([{ dtype: 'f32', shape: ['?'] }]);
    const bad = () => inferOp(ReduceSum, [sym, { dtype: 'i64', shape: ['n'] }], { keepdims: 0 });
    expect(bad).toThrow(ShapeError);
    expect(bad).toThrow(/contents of axes %in1 are not known statically and their count is n/);
  });

  it('sums over one axis, several axes, and all axes', () => {
    // over j: x[i][*][k] = 3*100*i + (0+10+20) + 3*k
    expect(toNumbers(evaluateOp(ReduceSum, [x, axes(1n)])[0]!)).toEqual([30, 33, 330, 333]);
    const [y] = evaluateOp(ReduceSum, [x, axes(0n, -1n)], { keepdims: 0 });
    expect(y!.shape).toEqual([3]);
    // over i and k: (0 + 100) * 2 + 10*j*4 + (0 + 1) * 2
    expect(toNumbers(y!)).toEqual([202, 242, 282]);
    const [all] = evaluateOp(ReduceSum, [x]);
    expect(all!.shape).toEqual([1, 1, 1]);
    expect(toNumbers(all!)).toEqual([values.reduce((a, b) => a + b, 0)]);
    expect(evaluateOp(ReduceSum, [x, axes()], { noop_with_empty_axes: 1 })[0]).toBe(x);
    expect(toNumbers(evaluateOp(ReduceSum, [x], { axes: [2], keepdims: 0 })[0]!)).toEqual([1, 21, 41, 201, 221, 241]);
  });

  it('sums i64 and f16', () => {
    const [yi] = evaluateOp(ReduceSum, [tensor('i64', [2, 2], [1n, 2n, 3n, 4n]), axes(0n)]);
    expect(Array.from(yi!.data as BigInt64Array)).toEqual([4n, 6n]);
    // Accumulating in f16 would give 1024 (1024.5 ties to even, twice); summing in f32/f64 and rounding once gives 1025.
    const [yh] = evaluateOp(ReduceSum, [tensor('f16', [3], [1024, 0.5, 0.5]), axes(0n)], { keepdims: 0 });
    expect(yh!.dtype).toBe('f16');
    expect(yh!.shape).toEqual([]);
    expect(toNumbers(yh!)).toEqual([1025]);
  });

  it('rejects out-of-range or repeated axes, both axes forms, and bad dtypes', () => {
    const f = { dtype: 'f32' as const, shape: [2, 3] };
    expect(() => inferOp(ReduceSum, [f], { axes: [2] })).toThrow(/attribute 'axes' entry 2 is out of range for rank 2/);
    expect(() => inferOp(ReduceSum, [f], { axes: [1, -1] })).toThrow(/names axis 1 twice/);
    expect(() => inferOp(ReduceSum, [f, { dtype: 'i64', shape: [1] }], { axes: [0] })).toThrow(AttributeError);
    expect(() => inferOp(ReduceSum, [f, { dtype: 'i32', shape: [1] }])).toThrow(DTypeError);
    expect(() => inferOp(ReduceSum, [{ dtype: 'bool', shape: [2] }])).toThrow(DTypeError);
  });
});
