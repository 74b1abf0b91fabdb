import { describe, expect, it } from 'vitest';
import { EvalError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor } from '../tensor.js';
import { GatherElements } from './gather-elements.js';
import { GatherND } from './gather-nd.js';

describe('GatherElements', () => {
  it('has the shape of the indices (same rank as data)', () => {
    expect(inferOp(GatherElements, [{ dtype: 'f32', shape: [3, 3] }, { dtype: 'i64', shape: [2, 3] }])[0]?.shape).toEqual([2, 3]);
    expect(() => inferOp(GatherElements, [{ dtype: 'f32', shape: [3, 3] }, { dtype: 'i64', shape: [3] }])).toThrow(ShapeError);
  });

  it('picks along the axis element by element (ONNX spec example), negative indices wrapping', () => {
    const data = tensor('f32', [2, 2], [1, 2, 3, 4]);
    const [out] = evaluateOp(GatherElements, [data, tensor('i64', [2, 2], [0, 0, 1, 0])], { axis: 1 });
    expect(Array.from(out!.data as Float32Array)).toEqual([1, 1, 4, 3]);
    const [rows] = evaluateOp(GatherElements, [data, tensor('i32', [1, 2], [-1, 0])], { axis: 0 });
    expect(Array.from(rows!.data as Float32Array)).toEqual([3, 2]);
    expect(() => evaluateOp(GatherElements, [data, tensor('i64', [1, 1], [2])])).toThrow(EvalError);
  });
});

describe('GatherND', () => {
  it('infers indices.shape[:-1] + data.shape[batch_dims + m:]', () => {
    expect(inferOp(GatherND, [{ dtype: 'i32', shape: [2, 2, 2] }, { dtype: 'i64', shape: [2, 1, 2] }])[0]?.shape).toEqual([2, 1, 2]);
    expect(inferOp(GatherND, [{ dtype: 'i32', shape: [2, 2, 2] }, { dtype: 'i64', shape: [2, 1] }], { batch_dims: 1 })[0]?.shape).toEqual([2, 2]);
    expect(() => inferOp(GatherND, [{ dtype: 'i32', shape: [2, 2] }, { dtype: 'i64', shape: [1, 3] }])).toThrow(ShapeError);
  });

  it('picks slices by coordinate tuples (ONNX spec examples)', () => {
    const data = tensor('i32', [2, 2], [0, 1, 2, 3]);
    expect(Array.from(evaluateOp(GatherND, [data, tensor('i64', [2, 2], [0, 0, 1, 1])])[0]!.data as Int32Array)).toEqual([0, 3]);
    expect(Array.from(evaluateOp(GatherND, [data, tensor('i64', [2, 1], [1, -2])])[0]!.data as Int32Array)).toEqual([2, 3, 0, 1]);
    const cube = tensor('i32', [2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(evaluateOp(GatherND, [cube, tensor('i64', [2, 1], [1, 0])], { batch_dims: 1 })[0]!.data as Int32Array)).toEqual([2, 3, 4, 5]);
  });
});
