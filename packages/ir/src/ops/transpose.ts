/**
 * Transpose (ONNX Transpose-13): permutes the axes; output axis `i` is input
 * axis `perm[i]`. Without `perm` the axes are reversed.
 */
import type { Dim } from '../dim.js';
import type { OpContext, OpDef } from '../op-def.js';
import { formatType, stridesOf } from '../shape.js';
import { productOf, takeElements } from './shape-op-utils.js';

/**
 * The permutation of a Transpose node for an input of `rank`, validated
 * (AttributeError when invalid; `detail` is appended to the message).
 */
export function transposePerm(ctx: OpContext, rank: number, detail = ''): number[] {
  const perm = ctx.ints('perm');
  if (!perm) return Array.from({ length: rank }, (_, axis) => rank - 1 - axis);
  const seen = new Set<number>();
  for (const axis of perm) {
    if (axis < 0 || axis >= rank || seen.has(axis)) {
      return ctx.failAttr(`perm [${perm.join(', ')}] is not a permutation of the ${rank} input axes (expected each of 0..${rank - 1} once)${detail}`);
    }
    seen.add(axis);
  }
  if (perm.length !== rank) {
    return ctx.failAttr(`perm [${perm.join(', ')}] has ${perm.length} entries but the input has rank ${rank}${detail}`);
  }
  return [...perm];
}

/** Transpose: permutes the axes of `data` by the `perm` attribute (default: reversed). */
export const Transpose: OpDef = {
  name: 'Transpose',
  summary: 'permutes the axes (output axis i is input axis perm[i]; default: reversed)',
  inputs: [{ name: 'data' }],
  outputs: [{ name: 'transposed' }],
  attributes: { perm: { type: 'ints' } },
  infer(ctx) {
    const data = ctx.type(0);
    const perm = transposePerm(ctx, data.shape.length, ` (data ${ctx.inputRef(0)} is ${formatType(data)})`);
    const shape: Dim[] = perm.map((axis) => data.shape[axis]);
    return [{ dtype: data.dtype, shape }];
  },
  inferValue(ctx) {
    // Transposing a 0-d or 1-d tensor leaves its contents unchanged.
    return ctx.type(0).shape.length <= 1 ? ctx.known(0) : undefined;
  },
  evaluate(ctx) {
    const data = ctx.input(0);
    const rank = data.shape.length;
    const perm = transposePerm(ctx, rank);
    const shape = perm.map((axis) => data.shape[axis]);
    const inStrides = stridesOf(data.shape);
    const strides = perm.map((axis) => inStrides[axis]);
    const size = productOf(shape);
    const map = new Int32Array(size);
    const index = new Array<number>(rank).fill(0);
    let position = 0;
    for (let flat = 0; flat < size; flat++) {
      map[flat] = position;
      for (let axis = rank - 1; axis >= 0; axis--) {
        index[axis]++;
        position += strides[axis];
        if (index[axis] < shape[axis]) break;
        position -= strides[axis] * index[axis];
        index[axis] = 0;
      }
    }
    return [takeElements(data, shape, map)];
  },
};
