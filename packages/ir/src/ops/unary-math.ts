/**
 * The element-wise math ops, one scalar expression each (ONNX Abs-13,
 * Neg-13, Reciprocal-13, Sqrt-13, Exp-13, Log-13, Erf-13, Tanh-13,
 * Sigmoid-13, Sin-22, Cos-22, Floor-13, Ceil-13, Round-22, Sign-13,
 * Relu-14, Gelu-20): float dtypes (Abs and Sign any numeric dtype, Neg and
 * Relu also signed integers); f16 computes in f32 and rounds once. Adding
 * one is one entry here (plus its tests): the interpreter and both
 * backends work from the expression. The parametrised activations are in
 * activations.ts.
 */
import type { DType } from '../dtype.js';
import type { OpContext, OpDef } from '../op-def.js';
import { abs, add, call, constant, constantLike, div, erf, exp, floor, gt, log, lt, max, mul, muladd, neg, round, select, sqrt, tanh, type ScalarExpr } from '../scalar/expr.js';
import { COS_FUNCTION, SIN_FUNCTION } from '../scalar/trigonometry.js';
import { defineElementwise } from './elementwise.js';
import { ELEMENTWISE_NUMERIC_TYPES, FLOAT_TYPES, SIGNED_INT_TYPES } from './kernel-utils.js';

function unary(name: string, summary: string, expression: (x: ScalarExpr) => ScalarExpr, types: readonly DType[] = FLOAT_TYPES): OpDef {
  return defineElementwise({ name, summary, kind: 'unary', inputs: [{ name: 'X', types }], outputName: 'Y', expression: ({ inputs: [x] }) => expression(x) });
}

/** Sqrt: `sqrt(X)`; negative inputs give NaN. */
export const Sqrt = unary('Sqrt', 'sqrt(X), element-wise', sqrt);
/** Exp: `e^X`. */
export const Exp = unary('Exp', 'exp(X), element-wise', exp);
/** Erf: the Gauss error function. */
export const Erf = unary('Erf', 'erf(X), the Gauss error function, element-wise', erf);
/** Tanh: `tanh(X)`. */
export const Tanh = unary('Tanh', 'tanh(X), element-wise', tanh);
/** Log: the natural logarithm (NaN below 0, -inf at 0). */
export const Log = unary('Log', 'ln(X), element-wise', log);
/** Neg: `-X`, float and signed integer dtypes (integers wrap). */
export const Neg = unary('Neg', '-X, element-wise', neg, [...FLOAT_TYPES, ...SIGNED_INT_TYPES]);
/** Abs: `|X|`, any numeric dtype (the most negative integer stays itself). */
export const Abs = unary('Abs', '|X|, element-wise', abs, ELEMENTWISE_NUMERIC_TYPES);
/** Reciprocal: `1 / X`. */
export const Reciprocal = unary('Reciprocal', '1 / X, element-wise', (x) => div(constant(1), x));
/** Floor: the largest integer not above X. */
export const Floor = unary('Floor', 'floor(X), element-wise', floor);
/** Ceil: the smallest integer not below X (as `-floor(-X)`, exact). */
export const Ceil = unary('Ceil', 'ceil(X), element-wise', (x) => neg(floor(neg(x))));
/** Round: to the nearest integer, ties to even. */
export const Round = unary('Round', 'X rounded to the nearest integer, ties to even', round);
/** Sign: -1, 0 or 1 by the sign of X, any numeric dtype (NaN stays NaN). */
export const Sign = unary(
  'Sign',
  'sign(X): -1, 0 or 1, element-wise',
  (x) => select(gt(x, constantLike(x, 0)), constantLike(x, 1), select(lt(x, constantLike(x, 0)), constantLike(x, -1), x)),
  ELEMENTWISE_NUMERIC_TYPES,
);
/** Sigmoid: `1 / (1 + e^-X)`. */
export const Sigmoid = unary('Sigmoid', '1 / (1 + exp(-X)), element-wise', (x) => div(constant(1), add(constant(1), exp(neg(x)))));
/** Sin: `sin(X)`. */
export const Sin = unary('Sin', 'sin(X), element-wise', (x) => call(SIN_FUNCTION, x));
/** Cos: `cos(X)`. */
export const Cos = unary('Cos', 'cos(X), element-wise', (x) => call(COS_FUNCTION, x));
/** Relu: `max(0, X)`, float and signed integer dtypes; NaN stays NaN. */
export const Relu = unary('Relu', 'max(0, X), element-wise', (x) => max(x, constantLike(x, 0)), [...FLOAT_TYPES, ...SIGNED_INT_TYPES]);

const SQRT_HALF = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

function approximation(ctx: OpContext): 'none' | 'tanh' {
  const value = ctx.string('approximate');
  if (value !== 'none' && value !== 'tanh') return ctx.failAttr(`attribute 'approximate' must be 'none' or 'tanh', got '${value}'`);
  return value;
}

/**
 * Gelu: `0.5·x·(1 + erf(x/√2))`, or with `approximate = 'tanh'`
 * `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
 */
export const Gelu = defineElementwise({
  name: 'Gelu',
  summary: 'x·Φ(x), the Gaussian error linear unit (exact or tanh approximation)',
  kind: 'unary',
  inputs: [{ name: 'X', types: FLOAT_TYPES }],
  outputName: 'Y',
  attributes: { approximate: { type: 'string', default: 'none' } },
  check: approximation,
  expression(ctx) {
    const [x] = ctx.inputs;
    const half = mul(x, constant(0.5));
    if (approximation(ctx.attrs) === 'none') return mul(half, add(erf(mul(x, constant(SQRT_HALF))), constant(1)));
    const inner = mul(muladd(mul(mul(x, x), constant(0.044715)), x, x), constant(SQRT_2_OVER_PI));
    return mul(half, add(tanh(inner), constant(1)));
  },
  variant: (ctx) => (approximation(ctx.attrs) === 'tanh' ? 'tanh' : ''),
});

/** Every op of this file, for the op set. */
export const UNARY_MATH_OPS: readonly OpDef[] = [Abs, Neg, Reciprocal, Sqrt, Exp, Log, Erf, Tanh, Sigmoid, Sin, Cos, Floor, Ceil, Round, Sign, Relu, Gelu];
