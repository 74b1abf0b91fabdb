/**
 * Softmax (ONNX Softmax-13): `exp(x - max) / sum(exp(x - max))` along one
 * axis (`axis`, default -1), computed in f64 and rounded once.
 *
 * A slice that is entirely -inf gives NaN (max is -inf, and -inf - -inf is
 * NaN), exactly as ONNX Runtime and NumPy do; masked attention that can
 * produce fully masked rows must guard against this itself. NaN inputs
 * propagate to the whole slice.
 */
import type { OpDef } from '../op-def.js';
import { normalizeAxis, shapeSize } from '../shape.js';
import { fromNumbers } from '../tensor.js';
import { FLOAT_TYPES, numericValues } from './kernel-utils.js';

/** Softmax: normalised exponentials along one axis. */
export const Softmax: OpDef = {
  name: 'Softmax',
  summary: 'exp(x) / sum(exp(x)) along one axis (numerically stable)',
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
    const shape = input.shape;
    const axis = normalizeAxis(ctx.int('axis'), shape.length, { node: ctx.label, op: ctx.node.op });
    const length = shape[axis];
    const inner = shapeSize(shape.slice(axis + 1));
    const outer = shapeSize(shape.slice(0, axis));
    const x = numericValues(input);
    const out = new Float64Array(x.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * length * inner + i;
        let max = -Infinity;
        for (let j = 0; j < length; j++) {
          const v = x[base + j * inner];
          if (Number.isNaN(v)) {
            max = NaN;
            break;
          }
          if (v > max) max = v;
        }
        let sum = 0;
        for (let j = 0; j < length; j++) {
          const e = Math.exp(x[base + j * inner] - max);
          out[base + j * inner] = e;
          sum += e;
        }
        for (let j = 0; j < length; j++) out[base + j * inner] /= sum;
      }
    }
    return [fromNumbers(input.dtype, shape, out)];
  },
};
