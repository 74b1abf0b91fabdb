/** Identity (ONNX Identity-21): the input, unchanged. */
import type { OpDef } from '../op-def.js';

/** Identity: returns its input unchanged (any dtype). */
export const Identity: OpDef = {
  name: 'Identity',
  summary: 'the input, unchanged',
  inputs: [{ name: 'input' }],
  outputs: [{ name: 'output' }],
  view: true,
  attributes: {},
  infer(ctx) {
    const input = ctx.type(0);
    return [{ dtype: input.dtype, shape: [...input.shape] }];
  },
  inferValue(ctx) {
    return ctx.known(0);
  },
  evaluate(ctx) {
    return [ctx.input(0)];
  },
};
