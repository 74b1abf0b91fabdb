/**
 * Equal (ONNX Equal-19): element-wise `A == B` with broadcasting, output
 * bool. Both operands must share a dtype (any IR dtype). NaN equals nothing.
 * Values are compared as JS numbers, so i64 values beyond 2^53 that round
 * to the same double compare equal.
 */
import type { OpDef } from '../op-def.js';
import { ALL_TYPES, inferBroadcast, mapBroadcast } from './kernel-utils.js';

/** Equal: `A == B` element-wise with broadcasting, producing bool. */
export const Equal: OpDef = {
  name: 'Equal',
  summary: 'A == B element-wise, broadcasting, producing bool',
  inputs: [{ name: 'A' }, { name: 'B' }],
  outputs: [{ name: 'C' }],
  attributes: {},
  commutative: true,
  infer: (ctx) => [inferBroadcast(ctx, 2, ALL_TYPES, 'bool')],
  evaluate(ctx) {
    return [mapBroadcast(ctx, [ctx.input(0), ctx.input(1)], 'bool', (a, b) => (a === b ? 1 : 0))];
  },
};
