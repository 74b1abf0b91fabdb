/**
 * Shape (ONNX Shape-15): the dims of the input as an i64 1-D tensor,
 * optionally only dims `start` to `end` (negative counts from the end,
 * both clamped to [0, rank]). Its symbolic value is where dim symbols enter
 * shape computations: Shape of f32[batch, seq, 64] is known as
 * [batch, seq, 64].
 */
import type { Dim } from '../dim.js';
import type { OpDef, OpContext } from '../op-def.js';

/** The [first, last) dim range a Shape node selects from an input of `rank`. */
export function shapeRange(ctx: OpContext, rank: number): [number, number] {
  const clampAxis = (axis: number) => Math.min(Math.max(axis < 0 ? axis + rank : axis, 0), rank);
  const first = clampAxis(ctx.int('start'));
  const end = ctx.optionalInt('end');
  const last = end === undefined ? rank : clampAxis(end);
  return [first, Math.max(first, last)];
}

/** Shape: the input's dims (`start` to `end`) as an i64 1-D tensor. */
export const Shape: OpDef = {
  name: 'Shape',
  summary: "the input's dims as an i64 1-D tensor",
  inputs: [{ name: 'data' }],
  outputs: [{ name: 'shape' }],
  attributes: { start: { type: 'int', default: 0 }, end: { type: 'int' } },
  infer(ctx) {
    const [first, last] = shapeRange(ctx, ctx.type(0).shape.length);
    return [{ dtype: 'i64', shape: [last - first] }];
  },
  inferValue(ctx) {
    const shape = ctx.type(0).shape;
    const [first, last] = shapeRange(ctx, shape.length);
    return shape.slice(first, last) as Dim[];
  },
  evaluate(ctx) {
    const data = ctx.input(0);
    const [first, last] = shapeRange(ctx, data.shape.length);
    const dims = data.shape.slice(first, last);
    return [{ dtype: 'i64', shape: [dims.length], data: BigInt64Array.from(dims, (dim) => BigInt(dim)) }];
  },
};
