/**
 * Softmax and LogSoftmax (ONNX Softmax-13 / LogSoftmax-13) along one axis
 * (`axis`, default -1): `exp(x - max) / sum(exp(x - max))` and its log,
 * `x - max - log(sum(exp(x - max)))`, computed in f64 and rounded once.
 *
 * A slice that is entirely -inf gives NaN (max is -inf, and -inf - -inf is
 * NaN), exactly as ONNX Runtime and NumPy do; masked attention that can
 * produce fully masked rows must guard against this itself. NaN inputs
 * propagate to the whole slice.
 */
import type { OpDef } from '../op-def.js';
import { normalizeAxis } from '../shape.js';
import { fromNumbers } from '../tensor.js';
import { axisLayout, FLOAT_TYPES, numericValues } from './kernel-utils.js';

/** Softmax (or its log) of one strided line, written to `out`. */
function softmaxLine(x: ArrayLike<number>, out: Float64Array, base: number, length: number, stride: number, log: boolean): void {
  let max = -Infinity;
  for (let j = 0; j < length; j++) {
    const v = x[base + j * stride];
    if (Number.isNaN(v)) {
      max = NaN;
      break;
    }
    if (v > max) max = v;
  }
  let sum = 0;
  for (let j = 0; j < length; j++) sum += Math.exp(x[base + j * stride] - max);
  const logSum = Math.log(sum);
  for (let j = 0; j < length; j++) {
    const shifted = x[base + j * stride] - max;
    out[base + j * stride] = log ? shifted - logSum : Math.exp(shifted) / sum;
  }
}

function defineSoftmax(name: string, summary: string, log: boolean): OpDef {
  return {
    name,
    summary,
    inputs: [{ name: 'input' }],
    outputs: [{ name: 'output' }],
    attributes: { axis: { type: 'int', default: -1 } },
    infer(ctx) {
      const dtype = ctx.expectDType(0, FLOAT_TYPES);
      const shape = ctx.type(0).shape;
      normalizeAxis(ctx.int('axis'), shape.length, { node: ctx.label, op: ctx.node.op });
      return [{ dtype, shape }];
    },
    evaluate(ctx) {
      const input = ctx.input(0);
      const axis = normalizeAxis(ctx.int('axis'), input.shape.length, { node: ctx.label, op: ctx.node.op });
      const { outer, length, inner } = axisLayout(input.shape, axis);
      const x = numericValues(input);
      const out = new Float64Array(x.length);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) softmaxLine(x, out, o * length * inner + i, length, inner, log);
      }
      return [fromNumbers(input.dtype, input.shape, out)];
    },
  };
}

/** Softmax: normalised exponentials along one axis. */
export const Softmax = defineSoftmax('Softmax', 'exp(x) / sum(exp(x)) along one axis (numerically stable)', false);
/** LogSoftmax: the log of Softmax along one axis, x - max - log(sum(exp(x - max))). */
export const LogSoftmax = defineSoftmax('LogSoftmax', 'log of the softmax along one axis (numerically stable)', true);
