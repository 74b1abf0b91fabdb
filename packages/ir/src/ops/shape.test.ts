import { describe, expect, it } from 'vitest';
import type { Dim } from '../dim.js';
import { ArityError, AttributeError } from '../errors.js';
import type { Attributes } from '../graph.js';
import { InferContext, type OpDef } from '../op-def.js';
import type { TensorType } from '../shape.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { scalar, tensor } from '../tensor.js';
import { Concat } from './concat.js';
import { Gather } from './gather.js';
import { Reshape } from './reshape.js';
import { Shape } from './shape.js';
import { Unsqueeze } from './unsqueeze.js';

/** Infers one node and returns its output type and known contents. */
function step(def: OpDef, inputs: TensorType[], known: (readonly Dim[] | undefined)[], attrs: Attributes = {}) {
  const node = { op: def.name, inputs: inputs.map((_, i) => `in${i}`), outputs: ['out0'], attrs };
  const ctx = new InferContext(node, def, inputs, known, []);
  return { type: def.infer(ctx)[0] as TensorType, known: def.inferValue?.(ctx) };
}

describe('Shape inference', () => {
  it('gives an i64 vector of the (sliced) rank', () => {
    const x: TensorType = { dtype: 'f32', shape: ['batch', 'seq', 64] };
    expect(inferOp(Shape, [x])[0]).toEqual({ dtype: 'i64', shape: [3] });
    expect(inferOp(Shape, [x], { start: 1 })[0]?.shape).toEqual([2]);
    expect(inferOp(Shape, [x], { start: -1 })[0]?.shape).toEqual([1]);
    expect(inferOp(Shape, [x], { end: -1 })[0]?.shape).toEqual([2]);
    expect(inferOp(Shape, [x], { start: 2, end: 1 })[0]?.shape).toEqual([0]);
    expect(inferOp(Shape, [x], { start: -10, end: 10 })[0]?.shape).toEqual([3]);
  });

  it('knows the dims symbolically', () => {
    const x: TensorType = { dtype: 'f16', shape: ['batch', 'seq', 64] };
    expect(step(Shape, [x], []).known).toEqual(['batch', 'seq', 64]);
    expect(step(Shape, [x], [], { start: 1, end: 2 }).known).toEqual(['seq']);
  });

  it('rejects a missing input and a non-int attribute', () => {
    expect(() => inferOp(Shape, [undefined])).toThrow(ArityError);
    expect(() => inferOp(Shape, [undefined])).toThrow(/input 0 \(data\) is required but missing/);
    expect(() => inferOp(Shape, [{ dtype: 'f32', shape: [2] }], { start: 0.5 })).toThrow(AttributeError);
  });

  it('resolves Shape -> Gather -> Unsqueeze -> Concat -> Reshape statically', () => {
    const x: TensorType = { dtype: 'f32', shape: ['batch', 'seq', 64] };
    const shape = step(Shape, [x], []);
    const index: TensorType = { dtype: 'i64', shape: [] };
    const axes: TensorType = { dtype: 'i64', shape: [1] };
    const batch = step(Gather, [shape.type, index], [shape.known, [0]]);
    const seq = step(Gather, [shape.type, index], [shape.known, [1]]);
    expect([batch.type, batch.known]).toEqual([{ dtype: 'i64', shape: [] }, ['batch']]);
    const batch1 = step(Unsqueeze, [batch.type, axes], [batch.known, [0]]);
    const seq1 = step(Unsqueeze, [seq.type, axes], [seq.known, [0]]);
    expect(seq1.type.shape).toEqual([1]);
    const heads: TensorType = { dtype: 'i64', shape: [2] };
    const target = step(Concat, [batch1.type, seq1.type, heads], [batch1.known, seq1.known, [4, 16]], { axis: 0 });
    expect(target.type).toEqual({ dtype: 'i64', shape: [4] });
    expect(target.known).toEqual(['batch', 'seq', 4, 16]);
    const [reshaped] = inferOp(Reshape, [x, target.type], {}, { known: [undefined, target.known] });
    expect(reshaped).toEqual({ dtype: 'f32', shape: ['batch', 'seq', 4, 16] });
  });
});

describe('Shape evaluation', () => {
  it('returns the dims as i64 for any dtype', () => {
    const [dims] = evaluateOp(Shape, [tensor('bool', [2, 3, 4])]);
    expect(dims?.dtype).toBe('i64');
    expect(dims?.shape).toEqual([3]);
    expect(Array.from(dims!.data as BigInt64Array)).toEqual([2n, 3n, 4n]);
    const [tail] = evaluateOp(Shape, [tensor('f32', [5, 6, 7])], { start: -2 });
    expect(Array.from(tail!.data as BigInt64Array)).toEqual([6n, 7n]);
    const [none] = evaluateOp(Shape, [scalar('i64', 1)]);
    expect(none?.shape).toEqual([0]);
  });
});
