import { describe, expect, it } from 'vitest';
import { AttributeError, DTypeError, EvalError, ShapeError } from '../errors.js';
import { InferContext } from '../op-def.js';
import type { TensorType } from '../shape.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor } from '../tensor.js';
import { Concat } from './concat.js';

describe('Concat inference', () => {
  it('adds symbolic dims on the axis', () => {
    const past: TensorType = { dtype: 'f32', shape: ['batch', 'past', 64] };
    const current: TensorType = { dtype: 'f32', shape: ['batch', 'seq', 64] };
    expect(inferOp(Concat, [past, current], { axis: 1 })[0]).toEqual({ dtype: 'f32', shape: ['batch', 'past+seq', 64] });
    expect(inferOp(Concat, [current, current], { axis: -2 })[0]?.shape).toEqual(['batch', '2*seq', 64]);
  });

  it('sums static dims and keeps the most precise other dim', () => {
    const [out] = inferOp(Concat, [{ dtype: 'i64', shape: ['?', 3] }, { dtype: 'i64', shape: [2, 5] }, { dtype: 'i64', shape: [2, 1] }], { axis: 1 });
    expect(out).toEqual({ dtype: 'i64', shape: [2, 9] });
  });

  it('rejects mismatched dims, ranks, dtypes and axes', () => {
    const a: TensorType = { dtype: 'f32', shape: [2, 3] };
    expect(() => inferOp(Concat, [a, { dtype: 'f32', shape: [4, 3] }], { axis: 1 })).toThrow(ShapeError);
    expect(() => inferOp(Concat, [a, { dtype: 'f32', shape: [4, 3] }], { axis: 1 })).toThrow(/differ on axis 0 .*%in0 is f32\[2, 3\] but %in1 is f32\[4, 3\]/);
    expect(() => inferOp(Concat, [a, { dtype: 'f32', shape: [2] }], { axis: 0 })).toThrow(/same rank/);
    expect(() => inferOp(Concat, [a, { dtype: 'f16', shape: [2, 3] }], { axis: 0 })).toThrow(DTypeError);
    expect(() => inferOp(Concat, [a, a], { axis: 2 })).toThrow(/axis 2 is out of range for rank 2/);
    expect(() => inferOp(Concat, [a, a])).toThrow(AttributeError);
  });

  it('concatenates known contents of 1-d inputs', () => {
    const node = { op: 'Concat', inputs: ['a', 'b', 'c'], outputs: ['out0'], attrs: { axis: 0 } };
    const types: TensorType[] = [{ dtype: 'i64', shape: [1] }, { dtype: 'i64', shape: [1] }, { dtype: 'i64', shape: [2] }];
    const ctx = new InferContext(node, Concat, types, [['batch'], ['seq'], [4, 16]], []);
    expect(Concat.infer(ctx)[0]?.shape).toEqual([4]);
    expect(Concat.inferValue?.(ctx)).toEqual(['batch', 'seq', 4, 16]);
    const partial = new InferContext(node, Concat, types, [['batch'], undefined, [4, 16]], []);
    expect(Concat.inferValue?.(partial)).toBeUndefined();
  });
});

describe('Concat evaluation', () => {
  it('joins f32 matrices on the last and first axis', () => {
    const a = tensor('f32', [2, 2], [1, 2, 3, 4]);
    const b = tensor('f32', [2, 1], [5, 6]);
    const [wide] = evaluateOp(Concat, [a, b], { axis: 1 });
    expect(wide?.shape).toEqual([2, 3]);
    expect(Array.from(wide!.data as Float32Array)).toEqual([1, 2, 5, 3, 4, 6]);
    const [tall] = evaluateOp(Concat, [a, tensor('f32', [1, 2], [7, 8])], { axis: 0 });
    expect(tall?.shape).toEqual([3, 2]);
    expect(Array.from(tall!.data as Float32Array)).toEqual([1, 2, 3, 4, 7, 8]);
  });

  it('joins i64 and bool vectors', () => {
    const [ints] = evaluateOp(Concat, [tensor('i64', [2], [1, 2]), tensor('i64', [0], []), tensor('i64', [1], [-3])], { axis: 0 });
    expect(Array.from(ints!.data as BigInt64Array)).toEqual([1n, 2n, -3n]);
    const [flags] = evaluateOp(Concat, [tensor('bool', [1], [true]), tensor('bool', [2], [false, true])], { axis: -1 });
    expect(Array.from(flags!.data as Uint8Array)).toEqual([1, 0, 1]);
  });

  it('fails on run-time shape mismatches', () => {
    const run = () => evaluateOp(Concat, [tensor('f32', [2, 2]), tensor('f32', [3, 2])], { axis: 1 });
    expect(run).toThrow(EvalError);
    expect(run).toThrow(/f32\[3, 2\] cannot be concatenated with f32\[2, 2\] on axis 1/);
  });
});
