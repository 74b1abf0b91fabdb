/**
 * Concat (ONNX Concat-13): joins tensors of one dtype and rank along `axis`;
 * every other dim must agree. The output dim on `axis` is the (symbolic) sum.
 */
import { addDims, dimsCompatible, type Dim } from '../dim.js';
import { allocData } from '../dtype.js';
import type { OpDef } from '../op-def.js';
import { formatShape, formatType, normalizeAxis } from '../shape.js';
import { copyElements, opLocation, productOf } from './shape-op-utils.js';

/** Concat: joins the inputs along `axis` (required); all other dims must match. */
export const Concat: OpDef = {
  name: 'Concat',
  summary: 'joins tensors along an axis',
  inputs: [{ name: 'inputs', variadic: true }],
  outputs: [{ name: 'concat_result' }],
  attributes: { axis: { type: 'int', required: true } },
  infer(ctx) {
    const count = ctx.inputCount;
    if (count === 0) return ctx.failShape('Concat needs at least one input');
    const first = ctx.type(0);
    const rank = first.shape.length;
    if (rank === 0) return ctx.failShape(`Concat inputs must have rank >= 1, but ${ctx.inputRef(0)} is ${formatType(first)}`, ctx.node.inputs[0]);
    const axis = normalizeAxis(ctx.int('axis'), rank, opLocation(ctx));
    const shape: Dim[] = [...first.shape];
    for (let i = 1; i < count; i++) {
      ctx.expectSameDType(0, i);
      const other = ctx.type(i);
      if (other.shape.length !== rank) {
        return ctx.failShape(
          `all inputs must have the same rank: ${ctx.inputRef(0)} is ${formatType(first)} but ${ctx.inputRef(i)} is ${formatType(other)}`,
          ctx.node.inputs[i],
        );
      }
      for (let d = 0; d < rank; d++) {
        const dim = other.shape[d];
        if (d === axis) {
          shape[d] = addDims(shape[d], dim);
        } else if (!dimsCompatible(shape[d], dim)) {
          return ctx.failShape(
            `inputs differ on axis ${d} (not the concat axis ${axis}): ${ctx.inputRef(0)} is ${formatType(first)} but ${ctx.inputRef(i)} is ${formatType(other)}`,
            ctx.node.inputs[i],
          );
        } else if (typeof shape[d] !== 'number' && typeof dim === 'number') {
          shape[d] = dim; // the most precise dim wins
        }
      }
    }
    return [{ dtype: first.dtype, shape }];
  },
  inferValue(ctx) {
    if (ctx.type(0).shape.length !== 1) return undefined;
    const out: Dim[] = [];
    for (let i = 0; i < ctx.inputCount; i++) {
      const known = ctx.known(i);
      if (!known) return undefined;
      out.push(...known);
    }
    return out;
  },
  evaluate(ctx) {
    const inputs = ctx.inputs.map((_, i) => ctx.input(i));
    if (inputs.length === 0) return ctx.failEval('Concat needs at least one input');
    const first = inputs[0];
    const rank = first.shape.length;
    const axis = normalizeAxis(ctx.int('axis'), rank, opLocation(ctx));
    const shape = [...first.shape];
    for (let i = 1; i < inputs.length; i++) {
      const other = inputs[i];
      const mismatch = other.shape.length !== rank || other.shape.some((dim, d) => d !== axis && dim !== first.shape[d]);
      if (other.dtype !== first.dtype || mismatch) {
        ctx.failEval(
          `input ${ctx.inputRef(i)} ${other.dtype}${formatShape(other.shape)} cannot be concatenated with ${first.dtype}${formatShape(first.shape)} on axis ${axis}`,
          ctx.node.inputs[i],
        );
      }
      shape[axis] += other.shape[axis];
    }
    const outer = productOf(shape, 0, axis);
    const data = allocData(first.dtype, productOf(shape));
    const blocks = inputs.map((input) => productOf(input.shape, axis));
    const rowSize = blocks.reduce((sum, block) => sum + block, 0);
    for (let o = 0; o < outer; o++) {
      let offset = o * rowSize;
      inputs.forEach((input, i) => {
        copyElements(data, offset, input.data, o * blocks[i], blocks[i]);
        offset += blocks[i];
      });
    }
    return [{ dtype: first.dtype, shape, data }];
  },
};
