/**
 * NonZero (ONNX NonZero-13): the coordinates of the non-zero elements, as
 * an i64 [rank, count] tensor in row-major order (NumPy's `nonzero`). The
 * count depends on the contents, so compiled programs evaluate it on the
 * host (the `dataDependentShape` trait).
 */
import { UNKNOWN_DIM } from '../dim.js';
import type { OpDef } from '../op-def.js';
import { stridesOf } from '../shape.js';
import { numericValues } from './kernel-utils.js';

/** NonZero: the row-major coordinates of the non-zero elements, one column per element. */
export const NonZero: OpDef = {
  name: 'NonZero',
  summary: 'coordinates of the non-zero elements ([rank, count])',
  inputs: [{ name: 'X' }],
  outputs: [{ name: 'Y' }],
  attributes: {},
  dataDependentShape: true,
  infer(ctx) {
    return [{ dtype: 'i64', shape: [ctx.type(0).shape.length, UNKNOWN_DIM] }];
  },
  evaluate(ctx) {
    const input = ctx.input(0);
    const values = numericValues(input);
    const rank = input.shape.length;
    const strides = stridesOf(input.shape);
    const hits: number[] = [];
    for (let flat = 0; flat < values.length; flat++) if (values[flat] !== 0) hits.push(flat);
    const data = new BigInt64Array(rank * hits.length);
    hits.forEach((flat, column) => {
      for (let axis = 0; axis < rank; axis++) data[axis * hits.length + column] = BigInt(Math.floor(flat / strides[axis]) % input.shape[axis]);
    });
    return [{ dtype: 'i64', shape: [rank, hits.length], data }];
  },
};
