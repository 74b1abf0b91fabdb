/**
 * GatherElements (ONNX GatherElements-13): `indices` has the rank of
 * `data`; output element i is data at i with its `axis` coordinate
 * replaced by indices[i] (negative counts from the end). The output has
 * the shape of `indices`.
 */
import type { OpDef } from '../op-def.js';
import { formatType, normalizeAxis, stridesOf } from '../shape.js';
import { intValues, INT_TYPES } from './kernel-utils.js';
import { opLocation, takeElements, wrapIndex } from './shape-op-utils.js';

/** GatherElements: data picked element by element along an axis. */
export const GatherElements: OpDef = {
  name: 'GatherElements',
  summary: 'data picked element by element along an axis',
  inputs: [{ name: 'data' }, { name: 'indices' }],
  outputs: [{ name: 'output' }],
  attributes: { axis: { type: 'int', default: 0 } },
  infer(ctx) {
    const data = ctx.type(0);
    ctx.expectDType(1, INT_TYPES);
    const indices = ctx.type(1);
    if (data.shape.length === 0 || indices.shape.length !== data.shape.length) {
      return ctx.failShape(`indices ${ctx.inputRef(1)} ${formatType(indices)} must have the rank of data ${ctx.inputRef(0)} ${formatType(data)} (at least 1)`, ctx.node.inputs[1]);
    }
    normalizeAxis(ctx.int('axis'), data.shape.length, opLocation(ctx));
    return [{ dtype: data.dtype, shape: [...indices.shape] }];
  },
  evaluate(ctx) {
    const data = ctx.input(0);
    const indices = ctx.input(1);
    const rank = data.shape.length;
    const axis = normalizeAxis(ctx.int('axis'), rank, opLocation(ctx));
    if (indices.shape.length !== rank) ctx.failEval(`indices [${indices.shape}] must have the rank of data [${data.shape}]`);
    const dataStrides = stridesOf(data.shape);
    const indexStrides = stridesOf(indices.shape);
    const picks = intValues(indices);
    const map = new Int32Array(picks.length);
    for (let flat = 0; flat < picks.length; flat++) {
      const pick = wrapIndex(picks[flat], data.shape[axis]);
      if (pick === undefined) ctx.failEval(`index ${picks[flat]} is out of range for axis ${axis} of size ${data.shape[axis]}`, ctx.node.inputs[1]);
      let source = 0;
      for (let a = 0; a < rank; a++) {
        const coordinate = a === axis ? pick! : Math.floor(flat / indexStrides[a]) % indices.shape[a];
        if (coordinate >= data.shape[a]) ctx.failEval(`indices [${indices.shape}] reach past data [${data.shape}] on axis ${a}`);
        source += coordinate * dataStrides[a];
      }
      map[flat] = source;
    }
    return [takeElements(data, indices.shape, map)];
  },
};
