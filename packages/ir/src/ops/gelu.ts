/**
 * Gelu (ONNX Gelu-20): `0.5·x·(1 + erf(x/√2))`, or with `approximate =
 * 'tanh'` the tanh form `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
 */
import type { OpContext, OpDef } from '../op-def.js';
import { FLOAT_TYPES, mapUnary } from './kernel-utils.js';
import { erf } from './unary-float.js';

const SQRT_HALF = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

function approximation(ctx: OpContext): 'none' | 'tanh' {
  const value = ctx.string('approximate');
  if (value !== 'none' && value !== 'tanh') return ctx.failAttr(`attribute 'approximate' must be 'none' or 'tanh', got '${value}'`);
  return value;
}

/** Gelu: Gaussian error linear unit, exact (erf) or tanh-approximated. */
export const Gelu: OpDef = {
  name: 'Gelu',
  summary: 'x·Φ(x), the Gaussian error linear unit (exact or tanh approximation)',
  inputs: [{ name: 'X' }],
  outputs: [{ name: 'Y' }],
  attributes: { approximate: { type: 'string', default: 'none' } },
  infer(ctx) {
    approximation(ctx);
    const dtype = ctx.expectDType(0, FLOAT_TYPES);
    return [{ dtype, shape: ctx.type(0).shape }];
  },
  evaluate(ctx) {
    const fn =
      approximation(ctx) === 'tanh'
        ? (x: number) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)))
        : (x: number) => 0.5 * x * (1 + erf(x * SQRT_HALF));
    return [mapUnary(ctx.input(0), fn)];
  },
};
