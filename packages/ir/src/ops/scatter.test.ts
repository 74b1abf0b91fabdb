import { describe, expect, it } from 'vitest';
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor } from '../tensor.js';
import { ScatterElements, ScatterND } from './scatter.js';

const floats = (value: { data: unknown } | undefined) => Array.from(value!.data as Float32Array);

describe('ScatterElements', () => {
  const data = tensor('f32', [1, 5], [1, 2, 3, 4, 5]);
  it('writes updates along the axis, in order, reduced as asked (ONNX spec examples)', () => {
    const indices = tensor('i64', [1, 2], [1, 3]);
    const updates = tensor('f32', [1, 2], [1.1, 2.1]);
    expect(floats(evaluateOp(ScatterElements, [data, indices, updates], { axis: 1 })[0])).toEqual([1, 1.1, 3, 2.1, 5].map(Math.fround));
    const twice = tensor('i64', [1, 2], [1, 1]);
    expect(floats(evaluateOp(ScatterElements, [data, twice, updates], { axis: 1, reduction: 'add' })[0])).toEqual([1, Math.fround(2 + 1.1 + 2.1), 3, 4, 5]);
    expect(floats(evaluateOp(ScatterElements, [data, twice, updates], { axis: 1, reduction: 'max' })[0])).toEqual([1, Math.fround(2.1), 3, 4, 5]);
    expect(floats(evaluateOp(ScatterElements, [data, tensor('i64', [1, 2], [-1, 0]), updates], { axis: 1, reduction: 'mul' })[0])).toEqual([2.1, 2, 3, 4, 5.5].map(Math.fround));
  });

  it('checks shapes, reductions and dtypes', () => {
    const d = { dtype: 'f32' as const, shape: [3, 3] };
    expect(inferOp(ScatterElements, [d, { dtype: 'i64', shape: [2, 3] }, { dtype: 'f32', shape: [2, 3] }])[0]?.shape).toEqual([3, 3]);
    expect(() => inferOp(ScatterElements, [d, { dtype: 'i64', shape: [2, 3] }, { dtype: 'f32', shape: [3, 3] }])).toThrow(ShapeError);
    expect(() => inferOp(ScatterElements, [d, { dtype: 'i64', shape: [2, 3] }, { dtype: 'f32', shape: [2, 3] }], { reduction: 'sub' })).toThrow(AttributeError);
    expect(() => inferOp(ScatterElements, [{ dtype: 'f16', shape: [3] }, { dtype: 'i64', shape: [1] }, { dtype: 'f16', shape: [1] }], { reduction: 'add' })).toThrow(DTypeError);
  });
});

describe('ScatterND', () => {
  it('writes slices at coordinate tuples (ONNX spec examples)', () => {
    const data = tensor('f32', [8], [1, 2, 3, 4, 5, 6, 7, 8]);
    const [out] = evaluateOp(ScatterND, [data, tensor('i64', [4, 1], [4, 3, 1, 7]), tensor('f32', [4], [9, 10, 11, 12])]);
    expect(floats(out)).toEqual([1, 11, 3, 10, 9, 6, 7, 12]);
    const grid = tensor('f32', [2, 2], [1, 2, 3, 4]);
    const [rows] = evaluateOp(ScatterND, [grid, tensor('i64', [1, 1], [-1]), tensor('f32', [1, 2], [7, 8])], { reduction: 'min' });
    expect(floats(rows)).toEqual([1, 2, 3, 4]);
    const [added] = evaluateOp(ScatterND, [grid, tensor('i64', [2, 2], [0, 1, 0, 1]), tensor('f32', [2], [5, 6])], { reduction: 'add' });
    expect(floats(added)).toEqual([1, 13, 3, 4]);
  });

  it('checks that updates fit the indices and data', () => {
    expect(() => inferOp(ScatterND, [{ dtype: 'f32', shape: [4, 4] }, { dtype: 'i64', shape: [2, 1] }, { dtype: 'f32', shape: [2, 3] }])).toThrow(/updates .* must have shape \[2, 4\]/);
  });
});
