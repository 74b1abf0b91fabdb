/**
 * Vectorised exp and tanh on four f32 lanes, as expression generators.
 *
 * exp(x) = 2^n · p(r): n = round(x·log2 e), r = x - n·ln 2 (ln 2 split in a
 * high and a low part so r keeps its precision), p a degree-6 polynomial
 * (Cephes expf coefficients); 2^n is built in the exponent bits. Inputs are
 * clamped to [-87.3, 88.7] (so exp(-inf) gives ~1e-38, never NaN: callers
 * that need an exact 0 for masked lanes select it). Max relative error about
 * 2 ulp.
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';

const LOG2E = 1.4426950408889634;
const LN2_HIGH = 0.693359375;
const LN2_LOW = -2.12194440e-4;
const COEFFICIENTS = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];

/** Statements that set `out` to exp(x) lane-wise (`x` is evaluated once). */
export function vexpInto(f: FunctionBuilder, out: Local, x: Expr): Expr[] {
  const v = f.f32x4;
  const clamped = f.temp('v128');
  const n = f.temp('v128');
  const r = f.temp('v128');
  let poly = v.const(COEFFICIENTS[0]);
  for (const coefficient of COEFFICIENTS.slice(1)) poly = v.fma(poly, r.get(), v.const(coefficient));
  const twoToN = v.i32x4Shl(v.i32x4Add(v.i32x4TruncSat(n.get()), v.i32x4Splat(f.i32.const(127))), 23);
  return [
    clamped.set(v.max(v.min(x, v.const(88.3762626647949)), v.const(-87.3365478515625))),
    n.set(v.nearest(v.mul(clamped.get(), v.const(LOG2E)))),
    r.set(v.sub(v.sub(clamped.get(), v.mul(n.get(), v.const(LN2_HIGH))), v.mul(n.get(), v.const(LN2_LOW)))),
    // p(r) = ((c0 r + c1) r + ... + c5) r² + r + 1
    out.set(v.mul(v.add(v.fma(v.mul(poly, r.get()), r.get(), r.get()), v.const(1)), twoToN)),
  ];
}

const SOFTMAX_FLOOR = -87.0;
const ROUNDING_MAGIC = 12582912 + 127; // 1.5·2^23 rounds to an integer; +127 leaves n + 127 in the low bits
const TAYLOR = [1 / 120, 1 / 24, 1 / 6, 0.5, 1, 1];

/**
 * Statements that set `out` to exp(x) for x <= 0 (softmax exponents,
 * x = score - running max): cheaper than {@link vexpInto}. n = round(x·log2 e)
 * comes from adding a magic constant, whose low bits are then shifted into
 * the exponent field to build 2^n; exp(r) on |r| <= ln2/2 is a degree-5
 * polynomial (relative error <= 2.5e-6). x < -87 gives ~1.6e-38, not 0:
 * callers select 0 for masked (-inf) lanes.
 */
export function vexpNonPositiveInto(f: FunctionBuilder, out: Local, x: Expr): Expr[] {
  const v = f.f32x4;
  const clamped = f.temp('v128');
  const shifted = f.temp('v128');
  const n = f.temp('v128');
  const r = f.temp('v128');
  let poly = v.const(TAYLOR[0]);
  for (const coefficient of TAYLOR.slice(1)) poly = v.fma(poly, r.get(), v.const(coefficient));
  return [
    clamped.set(v.max(x, v.const(SOFTMAX_FLOOR))),
    shifted.set(v.fma(clamped.get(), v.const(LOG2E), v.const(ROUNDING_MAGIC))),
    n.set(v.sub(shifted.get(), v.const(ROUNDING_MAGIC))),
    r.set(v.fma(n.get(), v.const(-LN2_LOW), v.fma(n.get(), v.const(-LN2_HIGH), clamped.get()))),
    out.set(v.mul(poly, v.i32x4Shl(shifted.get(), 23))),
  ];
}
