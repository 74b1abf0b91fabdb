/**
 * Pow on f32 lanes, the vector form of the scalar vocabulary's `pow`
 * (constant exponents with exact cheap forms are rewritten by the Pow
 * definition in @ladon/ir before it gets here): exp(y·ln|x|) with C `pow`'s
 * special cases: x < 0 needs an integer y (the sign follows y's parity,
 * else NaN), x = ±0 gives 0 or +inf, |x| = inf gives inf or 0, and
 * pow(1, y) = pow(x, 0) = 1 even for NaN. Relative error about
 * (|y·ln x| + 2) ulp.
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import { vexpExactInto, vlogInto } from './math.js';

/** Statements that set `out` to x^y lane-wise with C `pow`'s special cases (see above). */
export function powLanes(f: FunctionBuilder, out: Local, x: Expr, y: Expr): Expr[] {
  const v = f.f32x4;
  const [base, exponent, magnitude, logarithm, isInteger, isOdd] = Array.from({ length: 6 }, () => f.temp('v128'));
  const absolute = (): Expr => v.abs(base.get());
  const half = (): Expr => v.mul(exponent.get(), v.const(0.5));
  const select = (mask: Expr, ifTrue: Expr, ifFalse: Expr): Expr => v.select(mask, ifTrue, ifFalse);
  return [
    base.set(x),
    exponent.set(y),
    ...vlogInto(f, logarithm, absolute()),
    ...vexpExactInto(f, magnitude, v.mul(exponent.get(), logarithm.get())),
    // |x| = 0: 0 for y > 0, inf for y < 0; |x| = inf: the other way round; |x| = 1: 1
    magnitude.set(select(v.eq(absolute(), v.zero()), select(v.gt(exponent.get(), v.zero()), v.zero(), v.const(Infinity)), magnitude.get())),
    magnitude.set(select(v.eq(absolute(), v.const(Infinity)), select(v.gt(exponent.get(), v.zero()), v.const(Infinity), v.zero()), magnitude.get())),
    magnitude.set(select(v.eq(absolute(), v.const(1)), v.const(1), magnitude.get())),
    // negative bases: odd integer exponents flip the sign, non-integers give NaN
    isInteger.set(v.eq(f.lanes.f32Trunc(exponent.get()), exponent.get())),
    isOdd.set(v.and(isInteger.get(), f.lanes.f32Ne(f.lanes.f32Trunc(half()), half()))),
    out.set(select(v.and(v.lt(base.get(), v.zero()), isOdd.get()), v.neg(magnitude.get()), magnitude.get())),
    out.set(select(v.and(v.lt(base.get(), v.zero()), v.not(isInteger.get())), v.const(NaN), out.get())),
    // NaN in, NaN out, except pow(1, y) = pow(x, 0) = 1
    out.set(select(v.or(f.lanes.f32Ne(base.get(), base.get()), f.lanes.f32Ne(exponent.get(), exponent.get())), v.const(NaN), out.get())),
    out.set(select(v.or(v.eq(base.get(), v.const(1)), v.eq(exponent.get(), v.zero())), v.const(1), out.get())),
  ];
}
