/**
 * The broadcasting arithmetic ops (ONNX Add-14, Sub-14, Mul-14, Div-14,
 * Pow-15, Mod-13), each one scalar expression. One dtype for both operands (Pow's
 * exponent may have another numeric dtype; its output has the base's);
 * integer division truncates towards zero (0 for a zero divisor); integer
 * Pow is computed in floating point and truncated; float Pow follows C
 * `pow` (`1^y = 1`, `(-1)^±inf = 1`). Mod's remainder takes the divisor's
 * sign (Python's `%`), or with `fmod = 1` the dividend's (C `fmod`, the
 * only form ONNX allows for floats); an integer remainder by 0 is the
 * dividend. For shape tensors whose contents are known symbolically,
 * Add/Sub/Mul/Div compute them symbolically too.
 */
import { addDims, divDimsExact, mulDims, subDims, type Dim } from '../dim.js';
import { isFloatDType } from '../dtype.js';
import type { ElementwiseContext, InferContext, OpDef } from '../op-def.js';
import { add, and, constant, constantLike, convert, div, lt, mul, ne, pow, select, sqrt, sub, trunc, type ScalarExpr } from '../scalar/expr.js';
import { defineElementwise, numberTag } from './elementwise.js';
import { knownElementwise } from './known-values.js';
import { ELEMENTWISE_NUMERIC_TYPES, integerDivide, NUMERIC_TYPES } from './kernel-utils.js';

type DimArithmetic = (a: Dim, b: Dim) => Dim | undefined;

/** The symbolic contents of `a op b` for known shape values (element-wise, a length-1 side broadcast). */
function symbolicValue(symbolic: DimArithmetic): (ctx: InferContext) => readonly Dim[] | undefined {
  return (ctx) => knownElementwise(ctx, 2, ([a, b]) => symbolic(a, b));
}

function binaryArithmetic(name: string, summary: string, expression: (a: ScalarExpr, b: ScalarExpr) => ScalarExpr, symbolic: DimArithmetic, commutative = false): OpDef {
  return defineElementwise({
    name,
    summary,
    kind: 'binary',
    inputs: [
      { name: 'A', types: ELEMENTWISE_NUMERIC_TYPES },
      { name: 'B', types: ELEMENTWISE_NUMERIC_TYPES, sameAs: 0 },
    ],
    outputName: 'C',
    commutative,
    expression: ({ inputs: [a, b] }) => expression(a, b),
    inferValue: symbolicValue(symbolic),
  });
}

/** Add: `A + B`, broadcasting. */
export const Add = binaryArithmetic('Add', 'A + B, broadcasting', add, addDims, true);
/** Sub: `A - B`, broadcasting. */
export const Sub = binaryArithmetic('Sub', 'A - B, broadcasting', sub, subDims);
/** Mul: `A * B`, broadcasting. */
export const Mul = binaryArithmetic('Mul', 'A * B, broadcasting', mul, mulDims, true);
/** Div: `A / B`, broadcasting; integers truncate towards zero. */
export const Div = binaryArithmetic('Div', 'A / B, broadcasting; integers truncate towards zero', div, (a, b) => {
  if (typeof a === 'number' && typeof b === 'number') return b === 0 ? undefined : integerDivide(a, b);
  return divDimsExact(a, b);
});

/** Exact cheap forms of `x ^ c` for constant exponents (multiplies, square roots, a division). */
function exactPower(x: ScalarExpr, exponent: number): ScalarExpr | undefined {
  const one = constant(1);
  const square = (): ScalarExpr => mul(x, x);
  const forms: Record<string, () => ScalarExpr> = {
    '1': () => x,
    '2': square,
    '3': () => mul(square(), x),
    '4': () => mul(square(), square()),
    '0.5': () => sqrt(x),
    '-0.5': () => div(one, sqrt(x)),
    '-1': () => div(one, x),
    '-2': () => div(one, square()),
  };
  return forms[String(exponent)]?.();
}

/** The exponent a float Pow bakes in as an exact form, if it has one. */
function bakedExponent(ctx: ElementwiseContext): number | undefined {
  const exponent = ctx.constantScalar(1);
  return ctx.inputs[0].type === 'f32' && exponent !== undefined && exactPower(ctx.inputs[0], exponent) !== undefined ? exponent : undefined;
}

/** Pow: `X ^ Y`, broadcasting; the exponent may have another numeric dtype; the output has the base's. */
export const Pow = defineElementwise({
  name: 'Pow',
  summary: 'X ^ Y, broadcasting; the exponent may have another numeric dtype',
  kind: 'binary',
  inputs: [
    { name: 'X', types: NUMERIC_TYPES },
    { name: 'Y', types: ELEMENTWISE_NUMERIC_TYPES },
  ],
  outputName: 'Z',
  expression(ctx) {
    const [x, y] = ctx.inputs;
    const exponent = bakedExponent(ctx);
    if (exponent !== undefined) return exactPower(x, exponent)!;
    if (x.type === 'f32') return pow(x, convert(y, 'f32'));
    return convert(pow(convert(x, 'f32'), convert(y, 'f32')), x.type);
  },
  variant(ctx) {
    const exponent = bakedExponent(ctx);
    return exponent === undefined ? '' : `_c${numberTag(exponent)}`;
  },
});

/** The remainder of a / b with the dividend's sign: a - b·trunc(a/b) (integer division truncates already). */
function truncatedRemainder(a: ScalarExpr, b: ScalarExpr): ScalarExpr {
  const quotient = div(a, b);
  return sub(a, mul(b, a.type === 'f32' ? trunc(quotient) : quotient));
}

/** The remainder with the divisor's sign: the truncated one, plus b when it is non-zero and its sign differs from b's. */
function flooredRemainder(a: ScalarExpr, b: ScalarExpr): ScalarExpr {
  const remainder = truncatedRemainder(a, b);
  const zero = constantLike(a, 0);
  return select(and(ne(remainder, zero), ne(lt(remainder, zero), lt(b, zero))), add(remainder, b), remainder);
}

/** Mod: the remainder of A / B, broadcasting: the divisor's sign, or the dividend's with `fmod = 1` (required for floats). */
export const Mod = defineElementwise({
  name: 'Mod',
  summary: 'remainder of A / B, broadcasting (the sign of B, or of A when fmod = 1)',
  kind: 'binary',
  inputs: [
    { name: 'A', types: ELEMENTWISE_NUMERIC_TYPES },
    { name: 'B', types: ELEMENTWISE_NUMERIC_TYPES, sameAs: 0 },
  ],
  outputName: 'C',
  attributes: { fmod: { type: 'int', default: 0 } },
  check(ctx) {
    const fmod = ctx.int('fmod');
    if (fmod !== 0 && fmod !== 1) ctx.failAttr(`attribute 'fmod' must be 0 or 1, got ${fmod}`);
    if (fmod === 0 && isFloatDType(ctx.type(0).dtype)) ctx.failAttr(`Mod of floats needs fmod = 1 (ONNX defines only the C fmod for floats), got fmod = 0 for ${ctx.inputRef(0)}`);
  },
  expression: ({ inputs: [a, b], attrs }) => (attrs.int('fmod') === 1 ? truncatedRemainder(a, b) : flooredRemainder(a, b)),
  variant: ({ attrs }) => (attrs.int('fmod') === 1 ? '_fmod' : ''),
});

/** Every op of this file, for the op set. */
export const BINARY_ARITHMETIC_OPS: readonly OpDef[] = [Add, Sub, Mul, Div, Pow, Mod];
