import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import { InferContext } from '../op-def.js';
import type { TensorType } from '../shape.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { scalar, tensor } from '../tensor.js';
import { Expand } from './expand.js';

const i64 = (...values: number[]) => tensor('i64', [values.length], values);
const target = (count: number): TensorType => ({ dtype: 'i64', shape: [count] });

describe('Expand inference', () => {
  it('broadcasts bidirectionally to a known target', () => {
    const mask: TensorType = { dtype: 'bool', shape: [1, 'seq', 1] };
    expect(inferOp(Expand, [mask, target(3)], {}, { known: [undefined, ['batch', 1, 64]] })[0]).toEqual({ dtype: 'bool', shape: ['batch', 'seq', 64] });
    expect(inferOp(Expand, [{ dtype: 'f32', shape: [3, 1] }, target(3)], {}, { constants: [undefined, i64(2, 1, 4)] })[0]?.shape).toEqual([2, 3, 4]);
  });

  it('keeps dims other than 1 when the target is unknown', () => {
    expect(inferOp(Expand, [{ dtype: 'f32', shape: [1, 5] }, target(3)])[0]?.shape).toEqual(['?', '?', 5]);
  });

  it('rejects incompatible shapes and bad targets', () => {
    const x: TensorType = { dtype: 'f32', shape: [3] };
    const run = () => inferOp(Expand, [x, target(1)], {}, { known: [undefined, [4]] });
    expect(run).toThrow(ShapeError);
    expect(run).toThrow(/input %in0 f32\[3\] cannot be expanded to shape %in1 \[4\]/);
    expect(() => inferOp(Expand, [x, { dtype: 'i32', shape: [1] }])).toThrow(DTypeError);
    expect(() => inferOp(Expand, [x, target(1)], {}, { known: [undefined, [-1]] })).toThrow(/negative dim -1/);
    expect(() => inferOp(Expand, [x, { dtype: 'i64', shape: ['n'] }])).toThrow(/output rank is unknown/);
  });

  it('knows a scalar expanded to a short vector', () => {
    const node = { op: 'Expand', inputs: ['v', 's'], outputs: ['out0'], attrs: {} };
    const ctx = new InferContext(node, Expand, [{ dtype: 'i64', shape: [] }, target(1)], [['seq'], [3]], []);
    expect(Expand.infer(ctx)[0]?.shape).toEqual([3]);
    expect(Expand.inferValue?.(ctx)).toEqual(['seq', 'seq', 'seq']);
  });
});

describe('Expand evaluation', () => {
  it('repeats f32 columns into a rank-3 result', () => {
    const [out] = evaluateOp(Expand, [tensor('f32', [3, 1], [1, 2, 3]), i64(2, 1, 3)]);
    expect(out?.shape).toEqual([2, 3, 3]);
    expect(Array.from(out!.data as Float32Array)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
  });

  it('expands i64 scalars and bool rows', () => {
    const [ints] = evaluateOp(Expand, [scalar('i64', 7), i64(2)]);
    expect(Array.from(ints!.data as BigInt64Array)).toEqual([7n, 7n]);
    const [flags] = evaluateOp(Expand, [tensor('bool', [2], [true, false]), i64(2, 1)]);
    expect(flags?.shape).toEqual([2, 2]);
    expect(Array.from(flags!.data as Uint8Array)).toEqual([1, 0, 1, 0]);
  });

  it('fails when the shapes do not broadcast', () => {
    expect(() => evaluateOp(Expand, [tensor('f32', [3]), i64(2)])).toThrow(/do not broadcast/);
  });
});
