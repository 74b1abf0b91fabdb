/**
 * Unsqueeze (ONNX Unsqueeze-13): inserts size-1 axes at the positions `axes`
 * (given as the second input, i64 1-D; negative counts from the end of the
 * output). The older attribute form (`axes` ints, opset < 13) is accepted too.
 */
import { UNKNOWN_DIM, type Dim } from '../dim.js';
import type { OpContext, OpDef } from '../op-def.js';
import { evalAxesOperand, inferAxesOperand, normalizeAxes } from './shape-op-utils.js';

/** The shape of `shape` with size-1 axes inserted at `axes` (positions in the output). */
export function unsqueezeShape<D extends Dim>(ctx: OpContext, shape: readonly D[], axes: readonly number[]): (D | 1)[] {
  const rank = shape.length + axes.length;
  const inserted = normalizeAxes(ctx, axes, rank, 'axes');
  const out: (D | 1)[] = [];
  let next = 0;
  for (let axis = 0; axis < rank; axis++) out.push(inserted.includes(axis) ? 1 : shape[next++]);
  return out;
}

/** Unsqueeze: inserts size-1 axes at `axes` (second input, or the pre-13 attribute). */
export const Unsqueeze: OpDef = {
  name: 'Unsqueeze',
  summary: 'inserts size-1 axes at the given output positions',
  inputs: [{ name: 'data' }, { name: 'axes', optional: true, static: true }],
  outputs: [{ name: 'expanded' }],
  view: true,
  attributes: { axes: { type: 'ints' } },
  infer(ctx) {
    const data = ctx.type(0);
    const axes = inferAxesOperand(ctx);
    if (!axes) return ctx.failAttr(`Unsqueeze needs axes: give them as input 1 (i64 1-D) or, before opset 13, as the 'axes' attribute`);
    if (!Array.isArray(axes)) {
      // Axes from the feeds: only the output rank is known.
      if (typeof axes.count !== 'number') return ctx.failShape(`the number of axes ${ctx.inputRef(1)} is not known statically, so the output rank is unknown`);
      return [{ dtype: data.dtype, shape: new Array<Dim>(data.shape.length + axes.count).fill(UNKNOWN_DIM) }];
    }
    return [{ dtype: data.dtype, shape: unsqueezeShape(ctx, data.shape, axes) }];
  },
  inferValue(ctx) {
    // A scalar [x] becomes the 1-element list [x]: the contents are unchanged.
    return ctx.known(0);
  },
  evaluate(ctx) {
    const data = ctx.input(0);
    const axes = evalAxesOperand(ctx);
    if (!axes) return ctx.failAttr(`Unsqueeze needs axes: give them as input 1 or as the 'axes' attribute`);
    return [{ dtype: data.dtype, shape: unsqueezeShape(ctx, data.shape, axes), data: data.data }];
  },
};
