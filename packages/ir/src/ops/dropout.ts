/**
 * Dropout (ONNX Dropout-7/10/12/13/22). In inference (no `training_mode`,
 * or false) and whenever the ratio is 0, the output is the input and the
 * optional mask is all true. In training mode with a ratio r > 0, each
 * element is kept with probability 1 - r and scaled by 1 / (1 - r); the
 * mask comes from a counter-based hash of (seed attribute, default 0;
 * element index), the same on every backend, so it is reproducible but not
 * numpy's (no runtime can reproduce that).
 * Before opset 12 the ratio is an attribute.
 */
import type { EvalContext, InferContext, OpDef } from '../op-def.js';
import { formatType } from '../shape.js';
import { fromNumbers, tensor, type Tensor } from '../tensor.js';
import { FLOAT_TYPES, numericValues } from './kernel-utils.js';

/** The default ratio (ONNX). */
const DEFAULT_RATIO = 0.5;

function checkScalar(ctx: InferContext, index: number, what: string): void {
  if (!ctx.has(index)) return;
  const type = ctx.type(index);
  if (type.shape.length > 1 || (type.shape.length === 1 && type.shape[0] !== 1)) {
    ctx.failShape(`${what} ${ctx.inputRef(index)} must be a scalar, got ${formatType(type)}`, ctx.node.inputs[index]);
  }
}

/** The ratio and training flag of a Dropout node on concrete inputs. */
export function dropoutMode(ctx: EvalContext): { ratio: number; training: boolean } {
  const ratioInput = ctx.optionalInput(1);
  const ratio = ratioInput ? numericValues(ratioInput)[0] : (ctx.optionalFloat('ratio') ?? DEFAULT_RATIO);
  const trainingInput = ctx.optionalInput(2);
  const training = trainingInput ? numericValues(trainingInput)[0] !== 0 : false;
  if (!(ratio >= 0 && ratio < 1)) ctx.failEval(`ratio ${ratio} must be in [0, 1)`);
  return { ratio, training };
}

/**
 * The 32-bit hash of element `index` under `seed` that decides a training
 * mask: the index times the golden ratio, xored with the seed, then the
 * lowbias32 finaliser (xor-shift 16, times 0x7feb352d, xor-shift 15, times
 * 0x846ca68b, xor-shift 16), all modulo 2^32. Kernels compute the same.
 */
export function dropoutHash(seed: number, index: number): number {
  let x = (Math.imul(index, 0x9e3779b9) ^ seed) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Elements whose hash is at least this are kept (hash / 2^32 >= ratio, decided in integers). */
export function dropoutThreshold(ratio: number): number {
  return Math.ceil(ratio * 2 ** 32);
}

function dropped(ctx: EvalContext, input: Tensor, ratio: number): [Tensor, Tensor] {
  const seed = ctx.optionalInt('seed') ?? 0;
  const threshold = dropoutThreshold(ratio);
  const values = numericValues(input);
  const keep = new Uint8Array(values.length);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    keep[i] = dropoutHash(seed, i) >= threshold ? 1 : 0;
    out[i] = keep[i] ? values[i] / (1 - ratio) : 0;
  }
  return [fromNumbers(input.dtype, input.shape, out), tensor('bool', input.shape, keep)];
}

/** Dropout: identity in inference (mask all true); a seeded random mask in training mode. */
export const Dropout: OpDef = {
  name: 'Dropout',
  summary: 'identity in inference; random zeroing (scaled) in training mode',
  inputs: [{ name: 'data' }, { name: 'ratio', optional: true, static: true }, { name: 'training_mode', optional: true, static: true }],
  outputs: [{ name: 'output' }, { name: 'mask', optional: true }],
  attributes: { seed: { type: 'int' }, ratio: { type: 'float' } },
  infer(ctx) {
    const data = ctx.type(0);
    ctx.expectDType(0, FLOAT_TYPES);
    if (ctx.has(1)) ctx.expectDType(1, FLOAT_TYPES);
    if (ctx.has(2)) ctx.expectDType(2, ['bool']);
    checkScalar(ctx, 1, 'ratio');
    checkScalar(ctx, 2, 'training_mode');
    return [{ dtype: data.dtype, shape: data.shape }, { dtype: 'bool', shape: data.shape }];
  },
  evaluate(ctx) {
    const input = ctx.input(0);
    const { ratio, training } = dropoutMode(ctx);
    if (training && ratio > 0) return dropped(ctx, input, ratio);
    return [input, tensor('bool', input.shape, new Uint8Array(input.data.length).fill(1))];
  },
};
