/**
 * OneHot (ONNX OneHot-11): a new axis of size `depth` inserted at `axis`
 * (default -1, counted in the output's rank); along it, position j holds
 * values[1] where the index equals j and values[0] elsewhere. Indices and
 * depth may be any numeric dtype (truncated to integers); negative indices
 * in [-depth, -1] count from the end, and indices out of range give a row
 * of values[0]. The output has the dtype of `values` ([off, on]).
 */
import { UNKNOWN_DIM, type Dim } from '../dim.js';
import type { OpContext, OpDef } from '../op-def.js';
import { formatType, normalizeAxis } from '../shape.js';
import { staticScalar } from './range.js';
import { numericValues, NUMERIC_TYPES } from './kernel-utils.js';
import { opLocation, productOf, takeElements } from './shape-op-utils.js';

/** The output axis of a OneHot over indices of `rank`. */
export function oneHotAxis(ctx: OpContext, rank: number): number {
  return normalizeAxis(ctx.int('axis'), rank + 1, opLocation(ctx));
}

/** The position an index picks along an axis of `depth` (negative counts from the end), or -1 when out of range. */
export function oneHotPosition(index: number, depth: number): number {
  const whole = Math.trunc(index);
  const wrapped = whole < 0 ? whole + depth : whole;
  return wrapped >= 0 && wrapped < depth ? wrapped : -1;
}

/** OneHot: values[1] at each index's position along a new axis of size depth, values[0] elsewhere. */
export const OneHot: OpDef = {
  name: 'OneHot',
  summary: 'a one-hot axis of size depth: on at each index, off elsewhere',
  inputs: [{ name: 'indices' }, { name: 'depth', static: true }, { name: 'values' }],
  outputs: [{ name: 'output' }],
  attributes: { axis: { type: 'int', default: -1 } },
  infer(ctx) {
    const indices = ctx.type(0);
    ctx.expectDType(0, NUMERIC_TYPES);
    ctx.expectDType(1, NUMERIC_TYPES);
    const depthType = ctx.type(1);
    if (depthType.shape.length > 1 || (depthType.shape.length === 1 && depthType.shape[0] !== 1)) {
      return ctx.failShape(`depth ${ctx.inputRef(1)} must be a scalar, got ${formatType(depthType)}`, ctx.node.inputs[1]);
    }
    const values = ctx.type(2);
    if (values.shape.length !== 1 || (typeof values.shape[0] === 'number' && values.shape[0] !== 2)) {
      return ctx.failShape(`values ${ctx.inputRef(2)} must hold two values [off, on], got ${formatType(values)}`, ctx.node.inputs[2]);
    }
    const axis = oneHotAxis(ctx, indices.shape.length);
    const depth = staticScalar(ctx, 1);
    let size: Dim = UNKNOWN_DIM;
    if (typeof depth === 'number') {
      if (Math.trunc(depth) < 1) return ctx.failShape(`depth ${ctx.inputRef(1)} is ${depth}; it must be at least 1`, ctx.node.inputs[1]);
      size = Math.trunc(depth);
    } else if (depth !== undefined) {
      size = depth;
    }
    return [{ dtype: values.dtype, shape: [...indices.shape.slice(0, axis), size, ...indices.shape.slice(axis)] }];
  },
  evaluate(ctx) {
    const indices = ctx.input(0);
    const depth = Math.trunc(numericValues(ctx.input(1))[0]);
    const values = ctx.input(2);
    if (!(depth >= 1)) ctx.failEval(`depth ${ctx.inputRef(1)} is ${depth}; it must be at least 1`);
    if (values.data.length !== 2) ctx.failEval(`values ${ctx.inputRef(2)} must hold two values [off, on], got ${values.data.length}`);
    const axis = oneHotAxis(ctx, indices.shape.length);
    const inner = productOf(indices.shape, axis);
    const outer = productOf(indices.shape, 0, axis);
    const picks = numericValues(indices);
    const map = new Int32Array(outer * depth * inner);
    let flat = 0;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < depth; j++) {
        for (let i = 0; i < inner; i++) map[flat++] = oneHotPosition(picks[o * inner + i], depth) === j ? 1 : 0;
      }
    }
    return [takeElements(values, [...indices.shape.slice(0, axis), depth, ...indices.shape.slice(axis)], map)];
  },
};
