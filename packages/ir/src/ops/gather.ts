/**
 * Gather (ONNX Gather-13): picks entries of `data` along `axis` by
 * `indices` (i32/i64, negative indices count from the end). The output is
 * data.shape[:axis] + indices.shape + data.shape[axis+1:].
 */
import type { Dim } from '../dim.js';
import type { OpDef } from '../op-def.js';
import { formatShape, formatType, normalizeAxis } from '../shape.js';
import { intValues, INT_TYPES } from './kernel-utils.js';
import { knownNumbers, opLocation, productOf, takeElements, wrapIndex } from './shape-op-utils.js';

/** Gather: entries of `data` along `axis` at `indices` (negative indices wrap). */
export const Gather: OpDef = {
  name: 'Gather',
  summary: 'picks entries of data along an axis by index',
  inputs: [{ name: 'data' }, { name: 'indices' }],
  outputs: [{ name: 'output' }],
  attributes: { axis: { type: 'int', default: 0 } },
  infer(ctx) {
    const data = ctx.type(0);
    ctx.expectDType(1, INT_TYPES);
    const indices = ctx.type(1);
    if (data.shape.length === 0) return ctx.failShape(`data ${ctx.inputRef(0)} must have rank >= 1, got ${formatType(data)}`, ctx.node.inputs[0]);
    const axis = normalizeAxis(ctx.int('axis'), data.shape.length, opLocation(ctx));
    const dim = data.shape[axis];
    const known = knownNumbers(ctx, 1);
    if (known && typeof dim === 'number') {
      const bad = known.find((index) => wrapIndex(index, dim) === undefined);
      if (bad !== undefined) {
        return ctx.failShape(
          `index ${bad} in indices ${ctx.inputRef(1)} is out of range for axis ${axis} of size ${dim} (data ${ctx.inputRef(0)} is ${formatType(data)})`,
          ctx.node.inputs[1],
        );
      }
    }
    const shape: Dim[] = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
    return [{ dtype: data.dtype, shape }];
  },
  inferValue(ctx) {
    const data = ctx.known(0);
    const indices = knownNumbers(ctx, 1);
    if (!data || !indices || ctx.type(0).shape.length !== 1 || ctx.type(1).shape.length > 1) return undefined;
    const out: Dim[] = [];
    for (const index of indices) {
      const wrapped = wrapIndex(index, data.length);
      if (wrapped === undefined) return undefined;
      out.push(data[wrapped]);
    }
    return out;
  },
  evaluate(ctx) {
    const data = ctx.input(0);
    const indices = ctx.input(1);
    if (indices.dtype !== 'i32' && indices.dtype !== 'i64') ctx.failEval(`indices ${ctx.inputRef(1)} must be i32 or i64, got ${indices.dtype}`);
    const axis = normalizeAxis(ctx.int('axis'), data.shape.length, opLocation(ctx));
    const dim = data.shape[axis];
    const outer = productOf(data.shape, 0, axis);
    const inner = productOf(data.shape, axis + 1);
    const picks = intValues(indices).map((index) => {
      const wrapped = wrapIndex(index, dim);
      if (wrapped === undefined) {
        return ctx.failEval(
          `index ${index} in indices ${ctx.inputRef(1)} is out of range for axis ${axis} of size ${dim} (data ${formatShape(data.shape)}; expected ${-dim}..${dim - 1})`,
          ctx.node.inputs[1],
        );
      }
      return wrapped;
    });
    const shape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
    const map = new Int32Array(outer * picks.length * inner);
    let flat = 0;
    for (let o = 0; o < outer; o++) {
      for (const pick of picks) {
        const base = (o * dim + pick) * inner;
        for (let i = 0; i < inner; i++) map[flat++] = base + i;
      }
    }
    return [takeElements(data, shape, map)];
  },
};
