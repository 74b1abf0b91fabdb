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
    // pmin/pmax (one instruction each; wasm's min/max take eight on x64) keep a NaN input: it is their first operand.
    clamped.set(v.pmax(v.pmin(x, v.const(88.3762626647949)), v.const(-87.3365478515625))),
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
 * Statements that set `out` to exp(x) for x <= 88 (softmax exponents,
 * x = score - reference max, at most a small positive threshold): cheaper
 * than {@link vexpInto}. n = round(x·log2 e)
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
    clamped.set(v.pmax(x, v.const(SOFTMAX_FLOOR))),
    shifted.set(v.fma(clamped.get(), v.const(LOG2E), v.const(ROUNDING_MAGIC))),
    n.set(v.sub(shifted.get(), v.const(ROUNDING_MAGIC))),
    r.set(v.fma(n.get(), v.const(-LN2_LOW), v.fma(n.get(), v.const(-LN2_HIGH), clamped.get()))),
    out.set(v.mul(poly, v.i32x4Shl(shifted.get(), 23))),
  ];
}

const EXP2_FLOOR = -126;
const EXP2_MAGIC = 12582912 + 127; // 1.5·2^23 rounds to an integer; +127 leaves n + 127 in the low bits
// 2^r on |r| <= 1/2: a degree-4 fit (Chebyshev nodes), relative error <= 3.6e-6; c0 + c1 r + ... + c4 r^4.
const EXP2_POLYNOMIAL = [1.00000008, 0.69312103, 0.24022107, 5.592204e-2, 9.67604e-3];

/**
 * Statements that set `out` to 2^x (x <= 126): the flash kernel's softmax
 * exponent, its scores already in base 2 (log2 e folded into the scale).
 * n = round(x) comes from the magic-constant addition, r = x - n is exact,
 * 2^r is a degree-4 polynomial in Estrin's form (three dependent steps
 * instead of four: this sits on the kernel's critical path) and 2^n goes
 * into the exponent field; relative error <= 3.6e-6. x < -126 gives ~1e-38
 * (clamped), not 0: callers select 0 for masked (-inf) lanes. NaN stays NaN.
 */
export function vexp2Into(f: FunctionBuilder, out: Local, x: Expr): Expr[] {
  const v = f.f32x4;
  const [c0, c1, c2, c3, c4] = EXP2_POLYNOMIAL.map((coefficient) => () => v.const(coefficient));
  const clamped = f.temp('v128');
  const shifted = f.temp('v128');
  const r = f.temp('v128');
  const square = f.temp('v128');
  // p = (c0 + c1 r) + r²·((c2 + c3 r) + c4 r²)
  const high = v.fma(c4(), square.get(), v.fma(c3(), r.get(), c2()));
  const poly = v.fma(high, square.get(), v.fma(c1(), r.get(), c0()));
  return [
    clamped.set(v.pmax(x, v.const(EXP2_FLOOR))),
    shifted.set(v.add(clamped.get(), v.const(EXP2_MAGIC))),
    r.set(v.sub(clamped.get(), v.sub(shifted.get(), v.const(EXP2_MAGIC)))),
    square.set(v.mul(r.get(), r.get())),
    out.set(v.mul(poly, v.i32x4Shl(shifted.get(), 23))),
  ];
}
