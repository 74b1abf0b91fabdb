/**
 * Vectorised special functions on four f32 lanes, as statement generators
 * in the style of vector-exp.ts: each `…Into(f, out, x)` returns
 * statements that set the v128 local `out`; `x` is evaluated exactly once.
 * Accuracy, measured against the reference interpreter's f64 functions
 * rounded to f32: erf ≤ 3.6e-7 relative, tanh ≤ 2e-7 relative (≤ 1 ulp near
 * 0), exp ≤ 2 ulp, log ≤ 2 ulp on normal inputs.
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import { vexpInto } from './vector-exp.js';

// erf: x·P(x²)/Q(x²) on x clamped to [-4, 4] (erf is ±1 in f32 beyond);
// the rational approximation of Eigen's / XLA's f32 erf.
const ERF_NUMERATOR = [-2.72614225801306e-10, 2.77068142495902e-8, -2.10102402082508e-6, -5.69250639462346e-5, -7.34990630326855e-4, -2.95459980854025e-3, -1.60960333262415e-2];
const ERF_DENOMINATOR = [-1.45660718464996e-5, -2.13374055278905e-4, -1.68282697438203e-3, -7.37332916720468e-3, -1.42647390514189e-2];

/** Horner's scheme over `coefficients` (highest degree first) in `x`. */
function horner(f: FunctionBuilder, coefficients: readonly number[], x: () => Expr): Expr {
  const v = f.f32x4;
  let result = v.const(coefficients[0]);
  for (const coefficient of coefficients.slice(1)) result = v.fma(result, x(), v.const(coefficient));
  return result;
}

/** Statements that set `out` to erf(x) lane-wise (|error| ≤ 3.6e-7 relative; erf(NaN) = NaN). */
export function verfInto(f: FunctionBuilder, out: Local, x: Expr): Expr[] {
  const v = f.f32x4;
  const clamped = f.temp('v128');
  const square = f.temp('v128');
  const numerator = f.temp('v128');
  return [
    clamped.set(v.max(v.min(x, v.const(4)), v.const(-4))),
    square.set(v.mul(clamped.get(), clamped.get())),
    numerator.set(v.mul(clamped.get(), horner(f, ERF_NUMERATOR, () => square.get()))),
    out.set(v.div(numerator.get(), horner(f, ERF_DENOMINATOR, () => square.get()))),
  ];
}

// tanh for |x| < 0.625: x + x³·P(x²) (Cephes tanhf); beyond: 1 - 2 / (exp(2|x|) + 1).
const TANH_SMALL = [-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1];
const SIGN_BIT = -0x80000000;

/** Statements that set `out` to tanh(x) lane-wise (≤ 2e-7 relative, exactly ±1 for |x| ≥ 9; NaN stays NaN). */
export function vtanhInto(f: FunctionBuilder, out: Local, x: Expr): Expr[] {
  const v = f.f32x4;
  const value = f.temp('v128');
  const magnitude = f.temp('v128');
  const square = f.temp('v128');
  const large = f.temp('v128');
  const e = f.temp('v128');
  const signMask = (): Expr => v.i32x4Const([SIGN_BIT, SIGN_BIT, SIGN_BIT, SIGN_BIT]);
  return [
    value.set(x),
    magnitude.set(v.abs(value.get())),
    square.set(v.mul(value.get(), value.get())),
    ...vexpInto(f, e, v.mul(v.min(magnitude.get(), v.const(9)), v.const(2))),
    // 1 - 2/(e+1), with the sign of x put back
    large.set(v.or(v.sub(v.const(1), v.div(v.const(2), v.add(e.get(), v.const(1)))), v.and(value.get(), signMask()))),
    out.set(v.select(v.lt(magnitude.get(), v.const(0.625)), v.fma(v.mul(horner(f, TANH_SMALL, () => square.get()), square.get()), value.get(), value.get()), large.get())),
  ];
}

/**
 * Statements that set `out` to exp(x) lane-wise with IEEE edges: +inf above
 * ln(FLT_MAX), 0 below the smallest normal's log (and for -inf), NaN for NaN.
 */
export function vexpExactInto(f: FunctionBuilder, out: Local, x: Expr): Expr[] {
  const v = f.f32x4;
  const value = f.temp('v128');
  const e = f.temp('v128');
  return [
    value.set(x),
    ...vexpInto(f, e, value.get()),
    out.set(v.select(v.gt(value.get(), v.const(88.72283935546875)), v.const(Infinity), v.select(v.lt(value.get(), v.const(-87.33654022216797)), v.zero(), e.get()))),
  ];
}

// log(m·2^e) with m in [√½, √2): Cephes logf.
const LOG_POLYNOMIAL = [7.0376836292e-2, -1.151461031e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1];

/**
 * Statements that set `out` to ln(x) lane-wise for normal positive x (≤ 2
 * ulp). Zero, negative, infinite and subnormal lanes give unspecified
 * values: callers select their own results for those.
 */
export function vlogInto(f: FunctionBuilder, out: Local, x: Expr): Expr[] {
  const v = f.f32x4;
  const bits = f.temp('v128');
  const exponent = f.temp('v128');
  const mantissa = f.temp('v128');
  const small = f.temp('v128');
  const square = f.temp('v128');
  const splat = (value: number): Expr => v.i32x4Const([value, value, value, value]);
  return [
    bits.set(x),
    // x = mantissa · 2^exponent, mantissa in [0.5, 1)
    exponent.set(v.fromI32x4(f.lanes.i32Sub(f.lanes.i32ShrS(bits.get(), 23), splat(126)))),
    mantissa.set(v.or(v.and(bits.get(), splat(0x807fffff)), splat(0x3f000000))),
    // below √½: use 2·mantissa - 1 and one less in the exponent; else mantissa - 1
    small.set(v.lt(mantissa.get(), v.const(Math.SQRT1_2))),
    exponent.set(v.sub(exponent.get(), v.and(small.get(), v.const(1)))),
    mantissa.set(v.sub(v.add(mantissa.get(), v.and(small.get(), mantissa.get())), v.const(1))),
    square.set(v.mul(mantissa.get(), mantissa.get())),
    out.set(v.mul(v.mul(horner(f, LOG_POLYNOMIAL, () => mantissa.get()), mantissa.get()), square.get())),
    out.set(v.fma(exponent.get(), v.const(-2.12194440e-4), out.get())),
    out.set(v.fma(square.get(), v.const(-0.5), out.get())),
    out.set(v.add(v.add(mantissa.get(), out.get()), v.mul(exponent.get(), v.const(0.693359375)))),
  ];
}

/** The smallest normal f32 (2^-126): below it the bits-based log needs rescaling. */
const SMALLEST_NORMAL = 2 ** -126;

/**
 * Statements that set `out` to ln(x) lane-wise with IEEE edges: subnormal
 * x are scaled by 2^23 first (and 23·ln 2 taken off), ln(±0) = -inf,
 * ln(+inf) = +inf, and NaN below 0 or for NaN.
 */
export function vlogExactInto(f: FunctionBuilder, out: Local, x: Expr): Expr[] {
  const v = f.f32x4;
  const value = f.temp('v128');
  const subnormal = f.temp('v128');
  return [
    value.set(x),
    subnormal.set(v.lt(v.abs(value.get()), v.const(SMALLEST_NORMAL))),
    ...vlogInto(f, out, v.select(subnormal.get(), v.mul(value.get(), v.const(2 ** 23)), value.get())),
    out.set(v.sub(out.get(), v.and(subnormal.get(), v.const(23 * Math.LN2)))),
    out.set(v.select(v.eq(value.get(), v.zero()), v.const(-Infinity), out.get())),
    out.set(v.select(v.eq(value.get(), v.const(Infinity)), v.const(Infinity), out.get())),
    out.set(v.select(v.or(v.lt(value.get(), v.zero()), f.lanes.f32Ne(value.get(), value.get())), v.const(NaN), out.get())),
  ];
}
