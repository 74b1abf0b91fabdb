import { describe, it, expect } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { ReduceMean } from './reductions.js';

const axes = (...list: bigint[]) => tensor('i64', [list.length], list);

describe('ReduceMean', () => {
  const sym = { dtype: 'f16' as const, shape: ['batch', 'seq', 768] };

  it('infers with the axes input (opset 18) and the axes attribute (opset 13)', () => {
    expect(inferOp(ReduceMean, [sym, { dtype: 'i64', shape: [1] }], {}, { constants: [undefined, axes(-1n)] })).toEqual([
      { dtype: 'f16', shape: ['batch', 'seq', 1] },
    ]);
    expect(inferOp(ReduceMean, [sym], { axes: [-1], keepdims: 0 })).toEqual([{ dtype: 'f16', shape: ['batch', 'seq'] }]);
  });

  it('treats an omitted axes input (or a static empty one) as all axes', () => {
    expect(inferOp(ReduceMean, [sym, undefined], { keepdims: 0 })).toEqual([{ dtype: 'f16', shape: [] }]);
    expect(inferOp(ReduceMean, [sym, { dtype: 'i64', shape: [0] }], { keepdims: 0 })).toEqual([{ dtype: 'f16', shape: [] }]);
  });

  it('averages rows, columns and everything', () => {
    const x = tensor('f32', [2, 3], [1, 2, 3, 4, 5, 9]);
    expect(toNumbers(evaluateOp(ReduceMean, [x, axes(1n)])[0]!)).toEqual([2, 6]);
    expect(toNumbers(evaluateOp(ReduceMean, [x, axes(0n)], { keepdims: 0 })[0]!)).toEqual([2.5, 3.5, 6]);
    expect(toNumbers(evaluateOp(ReduceMean, [x])[0]!)).toEqual([4]);
  });

  it('computes in f32/f64 for f16 and truncates integer means', () => {
    // mean of [65504, 65504] overflows an f16 running sum but not the wide accumulator.
    const [h] = evaluateOp(ReduceMean, [tensor('f16', [2], [65504, 65504])]);
    expect(toNumbers(h!)).toEqual([65504]);
    const [i] = evaluateOp(ReduceMean, [tensor('i32', [2, 2], [1, 2, -1, -2]), axes(1n)], { keepdims: 0 });
    expect(toNumbers(i!)).toEqual([1, -1]); // 1.5 -> 1, -1.5 -> -1
  });

  it('rejects non-static axes with keepdims=0, bad axes dtype and rank', () => {
    expect(() => inferOp(ReduceMean, [sym, { dtype: 'i64', shape: ['n'] }], { keepdims: 0 })).toThrow(ShapeError);
    expect(() => inferOp(ReduceMean, [sym, { dtype: 'i64', shape: [1] }], {}, { known: [undefined, ['k']] })).not.toThrow();
    expect(() => inferOp(ReduceMean, [sym, { dtype: 'i64', shape: [1, 1] }])).toThrow(/axes %in1 must have rank 1/);
    expect(() => inferOp(ReduceMean, [sym, { dtype: 'f32', shape: [1] }])).toThrow(DTypeError);
    expect(() => inferOp(ReduceMean, [sym], { axes: [3] })).toThrow(ShapeError);
  });
});
