/**
 * Pow (ONNX Pow-15): `Z = X ^ Y` with broadcasting. The exponent may have a
 * different dtype from the base; the output has the base's dtype. Integer
 * results are truncated towards zero (like C's `(T)pow(x, y)`). Follows C
 * `pow` where it differs from `Math.pow`: `1^y = 1` and `(-1)^±inf = 1`.
 */
import type { OpDef } from '../op-def.js';
import { broadcastShapes } from '../shape.js';
import { mapBroadcast, NUMERIC_TYPES } from './kernel-utils.js';

/** `x ^ y` with C `pow` semantics for the NaN / infinity corner cases. */
export function powC(x: number, y: number): number {
  if (x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

/** Pow: element-wise power with broadcasting; output dtype is the base's. */
export const Pow: OpDef = {
  name: 'Pow',
  summary: 'X ^ Y, broadcasting; the exponent may have another numeric dtype',
  inputs: [{ name: 'X' }, { name: 'Y' }],
  outputs: [{ name: 'Z' }],
  attributes: {},
  infer(ctx) {
    const dtype = ctx.expectDType(0, NUMERIC_TYPES);
    ctx.expectDType(1, NUMERIC_TYPES);
    const shape = broadcastShapes([ctx.type(0).shape, ctx.type(1).shape], { node: ctx.label, op: ctx.node.op });
    return [{ dtype, shape }];
  },
  evaluate(ctx) {
    const base = ctx.input(0);
    const isInt = base.dtype === 'i32' || base.dtype === 'i64';
    const fn = isInt ? (x: number, y: number) => Math.trunc(powC(x, y)) : powC;
    return [mapBroadcast(ctx, [base, ctx.input(1)], base.dtype, fn)];
  },
};
