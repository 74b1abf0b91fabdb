/**
 * Flatten (ONNX Flatten-13/21/24): the input as a matrix, the dims before
 * `axis` (default 1; negative counts from the end, 0..rank allowed) folded
 * into the rows and the rest into the columns. A view: same elements.
 */
import { productOfDims } from '../dim.js';
import type { OpContext, OpDef } from '../op-def.js';

/** The [rows, cols] split point of a Flatten over an input of `rank`, validated. */
function flattenAxis(ctx: OpContext, rank: number): number {
  const axis = ctx.int('axis');
  if (axis < -rank || axis > rank) ctx.failAttr(`axis ${axis} is out of range for rank ${rank} (expected ${-rank}..${rank})`);
  return axis < 0 ? axis + rank : axis;
}

/** Flatten: the input reshaped to [prod(dims[:axis]), prod(dims[axis:])]. */
export const Flatten: OpDef = {
  name: 'Flatten',
  summary: 'the input as a matrix split at an axis',
  inputs: [{ name: 'input' }],
  outputs: [{ name: 'output' }],
  view: true,
  attributes: { axis: { type: 'int', default: 1 } },
  infer(ctx) {
    const input = ctx.type(0);
    const axis = flattenAxis(ctx, input.shape.length);
    return [{ dtype: input.dtype, shape: [productOfDims(input.shape.slice(0, axis)), productOfDims(input.shape.slice(axis))] }];
  },
  evaluate(ctx) {
    const input = ctx.input(0);
    const axis = flattenAxis(ctx, input.shape.length);
    const size = (dims: readonly number[]) => dims.reduce((product, dim) => product * dim, 1);
    return [{ dtype: input.dtype, shape: [size(input.shape.slice(0, axis)), size(input.shape.slice(axis))], data: input.data }];
  },
};
