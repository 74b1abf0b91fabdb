import { describe, expect, it } from 'vitest';
import { DTypeError, EvalError, ShapeError } from '../errors.js';
import { InferContext } from '../op-def.js';
import type { TensorType } from '../shape.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { scalar, tensor } from '../tensor.js';
import { Gather } from './gather.js';

describe('Gather inference', () => {
  it('replaces the axis by the indices shape', () => {
    const table: TensorType = { dtype: 'f32', shape: [100, 64] };
    expect(inferOp(Gather, [table, { dtype: 'i64', shape: ['batch', 'seq'] }])[0]).toEqual({ dtype: 'f32', shape: ['batch', 'seq', 64] });
    const x: TensorType = { dtype: 'f16', shape: [2, 3, 4] };
    expect(inferOp(Gather, [x, { dtype: 'i32', shape: [] }], { axis: 1 })[0]).toEqual({ dtype: 'f16', shape: [2, 4] });
    expect(inferOp(Gather, [x, { dtype: 'i64', shape: [5] }], { axis: -1 })[0]?.shape).toEqual([2, 3, 5]);
  });

  it('rejects bad indices and axes', () => {
    const x: TensorType = { dtype: 'f32', shape: [3, 4] };
    expect(() => inferOp(Gather, [x, { dtype: 'f32', shape: [2] }])).toThrow(DTypeError);
    expect(() => inferOp(Gather, [x, { dtype: 'f32', shape: [2] }])).toThrow(/indices %in1 must be i32 or i64, got f32\[2\]/);
    expect(() => inferOp(Gather, [x, { dtype: 'i64', shape: [] }], { axis: 2 })).toThrow(/axis 2 is out of range for rank 2/);
    const run = () => inferOp(Gather, [x, { dtype: 'i64', shape: [] }], {}, { constants: [undefined, scalar('i64', 3)] });
    expect(run).toThrow(ShapeError);
    expect(run).toThrow(/index 3 in indices %in1 is out of range for axis 0 of size 3/);
  });

  it('picks known contents by constant indices', () => {
    const node = { op: 'Gather', inputs: ['shape', 'index'], outputs: ['out0'], attrs: {} };
    const shape: TensorType = { dtype: 'i64', shape: [3] };
    const one = new InferContext(node, Gather, [shape, { dtype: 'i64', shape: [] }], [['batch', 'seq', 64], [1]], []);
    expect(Gather.infer(one)[0]?.shape).toEqual([]);
    expect(Gather.inferValue?.(one)).toEqual(['seq']);
    const two = new InferContext(node, Gather, [shape, { dtype: 'i64', shape: [2] }], [['batch', 'seq', 64], [-1, 0]], []);
    expect(Gather.inferValue?.(two)).toEqual([64, 'batch']);
    const symbolicIndex = new InferContext(node, Gather, [shape, { dtype: 'i64', shape: [] }], [['batch', 'seq', 64], ['k']], []);
    expect(Gather.inferValue?.(symbolicIndex)).toBeUndefined();
  });
});

describe('Gather evaluation', () => {
  it('gathers f32 rows with negative indices', () => {
    const data = tensor('f32', [3, 2], [1, 2, 3, 4, 5, 6]);
    const [out] = evaluateOp(Gather, [data, tensor('i64', [2], [2, -3])]);
    expect(out?.shape).toEqual([2, 2]);
    expect(Array.from(out!.data as Float32Array)).toEqual([5, 6, 1, 2]);
  });

  it('gathers i64 columns with 2-d i32 indices', () => {
    const data = tensor('i64', [2, 3], [1, 2, 3, 4, 5, 6]);
    const [out] = evaluateOp(Gather, [data, tensor('i32', [2, 1], [1, 0])], { axis: 1 });
    expect(out?.shape).toEqual([2, 2, 1]);
    expect(Array.from(out!.data as BigInt64Array)).toEqual([2n, 1n, 5n, 4n]);
  });

  it('gathers a scalar from a bool vector', () => {
    const [out] = evaluateOp(Gather, [tensor('bool', [3], [false, true, false]), scalar('i64', -2)]);
    expect(out?.shape).toEqual([]);
    expect(Array.from(out!.data as Uint8Array)).toEqual([1]);
  });

  it('names the index and the dim when an index is out of range', () => {
    const run = () => evaluateOp(Gather, [tensor('f32', [3, 2]), tensor('i64', [2], [0, 3])]);
    expect(run).toThrow(EvalError);
    expect(run).toThrow(/index 3 in indices %in1 is out of range for axis 0 of size 3/);
    expect(() => evaluateOp(Gather, [tensor('f32', [3, 2]), scalar('i64', -4)])).toThrow(/index -4 .*expected -3..2/);
  });
});
