/**
 * Squeeze (ONNX Squeeze-13): removes size-1 axes. `axes` is the optional
 * second input (i64 1-D); without it every axis of size 1 is removed. The
 * older attribute form (`axes` ints, opset < 13) is accepted too.
 */
import { UNKNOWN_DIM, type Dim } from '../dim.js';
import type { OpDef } from '../op-def.js';
import { formatShape, formatType } from '../shape.js';
import { evalAxesOperand, inferAxesOperand, normalizeAxes } from './shape-op-utils.js';

/** Squeeze: removes the size-1 axes `axes` (second input or pre-13 attribute; absent: all size-1 axes). */
export const Squeeze: OpDef = {
  name: 'Squeeze',
  summary: 'removes size-1 axes (the given ones, or all of them)',
  inputs: [{ name: 'data' }, { name: 'axes', optional: true, static: true }],
  outputs: [{ name: 'squeezed' }],
  view: true,
  attributes: { axes: { type: 'ints' } },
  infer(ctx) {
    const data = ctx.type(0);
    const shape = data.shape;
    const axes = inferAxesOperand(ctx);
    if (axes && !Array.isArray(axes)) {
      // Axes from the feeds: the rank is known; a dim is known only when the size-1 candidates are exactly that many.
      if (typeof axes.count !== 'number') return ctx.failShape(`the number of axes ${ctx.inputRef(1)} is not known statically, so the output rank is unknown`);
      const candidates = shape.flatMap((dim, axis) => (dim === 1 || typeof dim !== 'number' ? [axis] : []));
      const certain = candidates.length === axes.count && candidates.every((axis) => shape[axis] === 1);
      const rank = shape.length - axes.count;
      if (rank < 0) return ctx.failShape(`cannot squeeze ${axes.count} axes of data ${ctx.inputRef(0)} ${formatType(data)}`, ctx.node.inputs[0]);
      return [{ dtype: data.dtype, shape: certain ? shape.filter((dim) => dim !== 1) : new Array<Dim>(rank).fill(UNKNOWN_DIM) }];
    }
    if (!axes) {
      const unsure = shape.findIndex((dim) => typeof dim !== 'number');
      if (unsure >= 0) {
        return ctx.failShape(
          `Squeeze without axes needs a static shape to know which axes are 1, but axis ${unsure} of data ${ctx.inputRef(0)} ${formatType(data)} is ${shape[unsure]}; give axes explicitly`,
          ctx.node.inputs[0],
        );
      }
      return [{ dtype: data.dtype, shape: shape.filter((dim) => dim !== 1) }];
    }
    const removed = normalizeAxes(ctx, axes, shape.length, 'axes');
    for (const axis of removed) {
      const dim = shape[axis];
      // A symbolic dim may be 1 at run time; only a number other than 1 is a clear error.
      if (typeof dim === 'number' && dim !== 1) {
        return ctx.failShape(
          `cannot squeeze axis ${axis} of data ${ctx.inputRef(0)} ${formatType(data)}: its size is ${dim}, expected 1`,
          ctx.node.inputs[0],
        );
      }
    }
    const out: Dim[] = shape.filter((_, axis) => !removed.includes(axis));
    return [{ dtype: data.dtype, shape: out }];
  },
  inferValue(ctx) {
    // Squeezing a [1] list to a scalar keeps its single entry.
    return ctx.known(0);
  },
  evaluate(ctx) {
    const data = ctx.input(0);
    const axes = evalAxesOperand(ctx);
    const removed = axes ? normalizeAxes(ctx, axes, data.shape.length, 'axes') : data.shape.flatMap((dim, axis) => (dim === 1 ? [axis] : []));
    for (const axis of removed) {
      if (data.shape[axis] !== 1) {
        ctx.failEval(`cannot squeeze axis ${axis} of data ${formatShape(data.shape)}: its size is ${data.shape[axis]}, expected 1`, ctx.node.inputs[0]);
      }
    }
    return [{ dtype: data.dtype, shape: data.shape.filter((_, axis) => !removed.includes(axis)), data: data.data }];
  },
};
