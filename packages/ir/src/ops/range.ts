/**
 * Range (ONNX Range-11; Range-27 widened the types, f16 is read here):
 * start, start + delta, ... up to (not including) limit; the inputs are
 * scalars of one dtype and the output has max(ceil((limit - start) / delta),
 * 0) elements. `Range(0, seq, 1)` infers
 * a length of `seq`.
 */
import { divDimsExact, subDims, UNKNOWN_DIM, type Dim } from '../dim.js';
import type { InferContext, OpDef } from '../op-def.js';
import { formatType } from '../shape.js';
import { fromNumbers } from '../tensor.js';
import { intValues, numericValues } from './kernel-utils.js';
import { MAX_KNOWN_ELEMENTS } from './shape-op-utils.js';

const NAMES = ['start', 'limit', 'delta'];

/** The number of elements of Range(start, limit, delta) (`delta` must not be 0). */
export function rangeLength(start: number, limit: number, delta: number): number {
  return Math.max(Math.ceil((limit - start) / delta), 0);
}

/** The statically known value of scalar input `index`: a number or symbol for ints, a number for float constants. */
export function staticScalar(ctx: InferContext, index: number): Dim | undefined {
  const known = ctx.known(index);
  if (known && known.length === 1) return known[0];
  const constant = ctx.constant(index);
  return constant && constant.data.length === 1 ? numericValues(constant)[0] : undefined;
}

/** Range: the sequence start, start + delta, ... below limit (scalars of one dtype). */
export const Range: OpDef = {
  name: 'Range',
  summary: 'the sequence start, start + delta, ... up to limit (exclusive)',
  inputs: [{ name: 'start', static: true }, { name: 'limit', static: true }, { name: 'delta', static: true }],
  outputs: [{ name: 'output' }],
  attributes: {},
  infer(ctx) {
    const dtype = ctx.expectDType(0, ['f32', 'f16', 'i32', 'i64']);
    for (let i = 0; i < 3; i++) {
      if (i > 0) ctx.expectSameDType(0, i);
      const type = ctx.type(i);
      const isScalar = type.shape.length === 0 || (type.shape.length === 1 && type.shape[0] === 1);
      if (!isScalar) return ctx.failShape(`${NAMES[i]} ${ctx.inputRef(i)} must be a scalar, got ${formatType(type)}`, ctx.node.inputs[i]);
    }
    const [start, limit, delta] = [0, 1, 2].map((i) => staticScalar(ctx, i));
    if (delta === 0) return ctx.failShape(`delta ${ctx.inputRef(2)} is 0; the range would never reach its limit`, ctx.node.inputs[2]);
    let length: Dim = UNKNOWN_DIM;
    if (typeof start === 'number' && typeof limit === 'number' && typeof delta === 'number') {
      length = rangeLength(start, limit, delta);
    } else if (start !== undefined && limit !== undefined && typeof delta === 'number' && delta > 0 && Number.isInteger(delta)) {
      // Symbolic: (limit - start) / delta, assuming limit >= start.
      const span = subDims(limit, start);
      length = typeof span === 'number' ? rangeLength(0, span, delta) : delta === 1 ? span : (divDimsExact(span, delta) ?? UNKNOWN_DIM);
    }
    return [{ dtype, shape: [length] }];
  },
  inferValue(ctx) {
    if (ctx.type(0).dtype === 'f32' || ctx.type(0).dtype === 'f16') return undefined;
    const [start, limit, delta] = [0, 1, 2].map((i) => staticScalar(ctx, i));
    if (typeof start !== 'number' || typeof limit !== 'number' || typeof delta !== 'number' || delta === 0) return undefined;
    const length = rangeLength(start, limit, delta);
    return length <= MAX_KNOWN_ELEMENTS ? Array.from({ length }, (_, i) => start + i * delta) : undefined;
  },
  evaluate(ctx) {
    const inputs = [0, 1, 2].map((i) => ctx.input(i));
    const dtype = inputs[0].dtype;
    inputs.forEach((input, i) => {
      if (input.dtype !== dtype) ctx.failEval(`${NAMES[i]} ${ctx.inputRef(i)} is ${input.dtype} but start is ${dtype}`);
      if (input.data.length !== 1) ctx.failEval(`${NAMES[i]} ${ctx.inputRef(i)} must be a scalar, got shape [${input.shape}]`);
    });
    const [start, limit, delta] = inputs.map((input) => (dtype === 'f32' || dtype === 'f16' ? numericValues(input)[0] : intValues(input)[0]));
    if (delta === 0) return ctx.failEval(`delta ${ctx.inputRef(2)} is 0; the range would never reach its limit`);
    const length = rangeLength(start, limit, delta);
    const values = new Float64Array(length);
    for (let i = 0; i < length; i++) values[i] = start + i * delta;
    return [fromNumbers(dtype, [length], values)];
  },
};
