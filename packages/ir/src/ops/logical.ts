/**
 * Logic and float classification, one scalar expression each (ONNX Not-1,
 * And-7, Or-7, Xor-7, IsNaN-20, IsInf-20): Not/And/Or/Xor on bools
 * (broadcasting), IsNaN and IsInf on floats, all producing bool. IsInf
 * tests +inf and -inf as `detect_positive` and `detect_negative` say.
 */
import type { OpDef } from '../op-def.js';
import { and, constant, eq, isNaN, ne, not, or, type ScalarExpr } from '../scalar/expr.js';
import { defineElementwise } from './elementwise.js';
import { FLOAT_TYPES } from './kernel-utils.js';

function logical(name: string, summary: string, expression: (a: ScalarExpr, b: ScalarExpr) => ScalarExpr, commutative = true): OpDef {
  return defineElementwise({
    name,
    summary,
    kind: 'logical',
    inputs: [
      { name: 'A', types: ['bool'] },
      { name: 'B', types: ['bool'] },
    ],
    outputName: 'C',
    output: 'bool',
    commutative,
    expression: ({ inputs: [a, b] }) => expression(a, b),
  });
}

/** And: logical and of two bool tensors, broadcasting. */
export const And = logical('And', 'A and B element-wise, broadcasting', and);
/** Or: logical or of two bool tensors, broadcasting. */
export const Or = logical('Or', 'A or B element-wise, broadcasting', or);
/** Xor: exclusive or of two bool tensors, broadcasting. */
export const Xor = logical('Xor', 'A xor B element-wise, broadcasting', ne);

/** Not: logical negation of a bool tensor. */
export const Not = defineElementwise({
  name: 'Not',
  summary: 'not X, element-wise',
  kind: 'logical',
  inputs: [{ name: 'X', types: ['bool'] }],
  outputName: 'Y',
  expression: ({ inputs: [x] }) => not(x),
});

/** IsNaN: true where X is NaN. */
export const IsNaN = defineElementwise({
  name: 'IsNaN',
  summary: 'X is NaN, element-wise',
  kind: 'logical',
  inputs: [{ name: 'X', types: FLOAT_TYPES }],
  outputName: 'Y',
  output: 'bool',
  expression: ({ inputs: [x] }) => isNaN(x),
});

/** IsInf: true where X is +inf (when `detect_positive`) or -inf (when `detect_negative`). */
export const IsInf = defineElementwise({
  name: 'IsInf',
  summary: 'X is +inf or -inf (as detect_positive / detect_negative say), element-wise',
  kind: 'logical',
  inputs: [{ name: 'X', types: FLOAT_TYPES }],
  outputName: 'Y',
  output: 'bool',
  attributes: { detect_positive: { type: 'int', default: 1 }, detect_negative: { type: 'int', default: 1 } },
  expression(ctx) {
    const [x] = ctx.inputs;
    const positive = eq(x, constant(Infinity));
    const negative = eq(x, constant(-Infinity));
    const detectPositive = ctx.attrs.int('detect_positive') !== 0;
    const detectNegative = ctx.attrs.int('detect_negative') !== 0;
    if (detectPositive && detectNegative) return or(positive, negative);
    if (detectPositive) return positive;
    return detectNegative ? negative : and(positive, negative);
  },
  variant: (ctx) => `_${ctx.attrs.int('detect_positive') !== 0 ? 'p' : ''}${ctx.attrs.int('detect_negative') !== 0 ? 'n' : ''}`,
});

/** Every op of this file, for the op set. */
export const LOGICAL_OPS: readonly OpDef[] = [Not, And, Or, Xor, IsNaN, IsInf];
