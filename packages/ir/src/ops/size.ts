/**
 * Size (ONNX Size-21): the input's element count as an i64 scalar. Its
 * value is known from the shape (`batch*seq*64`), so the host writes it.
 */
import { productOfDims } from '../dim.js';
import type { OpDef } from '../op-def.js';
import { scalar } from '../tensor.js';

/** Size: the number of elements of the input (i64, rank 0). */
export const Size: OpDef = {
  name: 'Size',
  summary: "the input's element count as an i64 scalar",
  inputs: [{ name: 'data' }],
  outputs: [{ name: 'size' }],
  attributes: {},
  infer() {
    return [{ dtype: 'i64', shape: [] }];
  },
  inferValue(ctx) {
    return [productOfDims(ctx.type(0).shape)];
  },
  evaluate(ctx) {
    return [scalar('i64', ctx.input(0).data.length)];
  },
};
