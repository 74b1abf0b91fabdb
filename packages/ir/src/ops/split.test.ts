import { describe, expect, it } from 'vitest';
import { AttributeError, EvalError, ShapeError } from '../errors.js';
import type { TensorType } from '../shape.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor } from '../tensor.js';
import { Split } from './split.js';

const shapes = (types: readonly (TensorType | undefined)[]) => types.map((type) => type?.shape);

describe('Split inference', () => {
  it('splits evenly into the node outputs, the last piece smaller (ONNX-18)', () => {
    expect(shapes(inferOp(Split, [{ dtype: 'f32', shape: [2, 6] }], { axis: 1 }, { outputs: 3 }))).toEqual([[2, 2], [2, 2], [2, 2]]);
    expect(shapes(inferOp(Split, [{ dtype: 'f32', shape: [10] }], { num_outputs: 3 }, { outputs: 3 }))).toEqual([[4], [4], [2]]);
  });

  it('splits symbolic dims when they divide, else gives ?', () => {
    const fused: TensorType = { dtype: 'f16', shape: ['batch', 'seq', '3*hidden'] };
    const out = inferOp(Split, [fused], { axis: -1, num_outputs: 3 }, { outputs: 3 });
    expect(out.map((type) => type?.dtype)).toEqual(['f16', 'f16', 'f16']);
    expect(shapes(out)).toEqual([['batch', 'seq', 'hidden'], ['batch', 'seq', 'hidden'], ['batch', 'seq', 'hidden']]);
    expect(shapes(inferOp(Split, [{ dtype: 'f32', shape: ['seq'] }], {}, { outputs: 2 }))).toEqual([['?'], ['?']]);
  });

  it('uses a split input or the older split attribute', () => {
    const sizes = tensor('i64', [2], [2, 4]);
    const out = inferOp(Split, [{ dtype: 'i64', shape: [2, 6] }, { dtype: 'i64', shape: [2] }], { axis: 1 }, { outputs: 2, constants: [undefined, sizes] });
    expect(shapes(out)).toEqual([[2, 2], [2, 4]]);
    expect(shapes(inferOp(Split, [{ dtype: 'f32', shape: [3] }], { split: [1, 2] }, { outputs: 2 }))).toEqual([[1], [2]]);
    const unknown = inferOp(Split, [{ dtype: 'f32', shape: [4, 'n'] }, { dtype: 'i64', shape: [2] }], {}, { outputs: 2 });
    expect(shapes(unknown)).toEqual([['?', 'n'], ['?', 'n']]);
  });

  it('rejects sizes that do not fit the axis or the outputs', () => {
    const input: TensorType = { dtype: 'f32', shape: [2, 6] };
    const splitType: TensorType = { dtype: 'i64', shape: [2] };
    const bad = (known: number[], outputs = 2) => () => inferOp(Split, [input, splitType], { axis: 1 }, { outputs, known: [undefined, known] });
    expect(bad([2, 3])).toThrow(ShapeError);
    expect(bad([2, 3])).toThrow(/split %in1 \[2, 3\] sums to 5 but the axis has size 6/);
    expect(bad([2, 4], 3)).toThrow(/has 2 entries but the node has 3 outputs/);
    expect(() => inferOp(Split, [input], { num_outputs: 2 }, { outputs: 3 })).toThrow(AttributeError);
    expect(() => inferOp(Split, [input], { num_outputs: 2, split: [1, 5] }, { outputs: 2 })).toThrow(/either split sizes or num_outputs/);
    expect(() => inferOp(Split, [input], { split: [1, 2] }, { outputs: 2 })).toThrow(AttributeError);
    expect(() => inferOp(Split, [input], { split: [1, 2] }, { outputs: 2 })).toThrow(/attribute 'split' \[1, 2\] sums to 3 but the axis has size 2/);
    expect(() => inferOp(Split, [input], { axis: 2 }, { outputs: 2 })).toThrow(/axis 2 is out of range for rank 2/);
  });
});

describe('Split evaluation', () => {
  it('cuts an f32 matrix along axis 1 by sizes', () => {
    const input = tensor('f32', [2, 6], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const [a, b] = evaluateOp(Split, [input, tensor('i64', [2], [2, 4])], { axis: 1 }, 2);
    expect(a?.shape).toEqual([2, 2]);
    expect(Array.from(a!.data as Float32Array)).toEqual([0, 1, 6, 7]);
    expect(b?.shape).toEqual([2, 4]);
    expect(Array.from(b!.data as Float32Array)).toEqual([2, 3, 4, 5, 8, 9, 10, 11]);
  });

  it('splits an i64 vector unevenly and a bool matrix evenly', () => {
    const [a, b] = evaluateOp(Split, [tensor('i64', [5], [1, 2, 3, 4, 5])], { num_outputs: 2 }, 2);
    expect(Array.from(a!.data as BigInt64Array)).toEqual([1n, 2n, 3n]);
    expect(Array.from(b!.data as BigInt64Array)).toEqual([4n, 5n]);
    const [top, bottom] = evaluateOp(Split, [tensor('bool', [2, 2], [true, false, false, true])], {}, 2);
    expect(Array.from(top!.data as Uint8Array)).toEqual([1, 0]);
    expect(bottom?.shape).toEqual([1, 2]);
    expect(Array.from(bottom!.data as Uint8Array)).toEqual([0, 1]);
  });

  it('fails when run-time sizes do not sum to the axis', () => {
    const run = () => evaluateOp(Split, [tensor('f32', [5]), tensor('i64', [2], [2, 2])], {}, 2);
    expect(run).toThrow(EvalError);
    expect(run).toThrow(/sums to 4 but the axis has size 5/);
  });
});
