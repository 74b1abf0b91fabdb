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

/** Statements that set `out` to tanh(x) lane-wise: 1 - 2 / (exp(2x) + 1), exact ±1 at the extremes. */
export function vtanhInto(f: FunctionBuilder, out: Local, x: Expr): Expr[] {
  const v = f.f32x4;
  const e = f.temp('v128');
  const clamped = f.temp('v128');
  return [
    clamped.set(v.max(v.min(x, v.const(9)), v.const(-9))),
    ...vexpInto(f, e, v.mul(clamped.get(), v.const(2))),
    out.set(v.sub(v.const(1), v.div(v.const(2), v.add(e.get(), v.const(1))))),
  ];
}
