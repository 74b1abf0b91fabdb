/**
 * sin and cos as vocabulary functions: the reference is JavaScript's exact
 * Math.sin / Math.cos; the body every backend renders is the Cephes sinf /
 * cosf scheme in f32. x is reduced by k = round(x·2/π) quarter turns,
 * r = x - k·π/2 with π/2 split in three parts (Cody–Waite, exact products
 * for |k| < 2^15), then a degree-7 (sin) or degree-8 (cos) polynomial on
 * |r| <= π/4 is picked and signed by the quadrant k mod 4. Error ≤ 2 ulp
 * of 1 for |x| < 8192; beyond, the reduction loses precision (as Cephes
 * documents). NaN and ±inf give NaN.
 */
import { add, constant, eq, floor, mul, muladd, neg, round, select, sub, type ScalarExpr, type ScalarFunction } from './expr.js';

const TWO_OVER_PI = 2 / Math.PI;
// π/2 = DP1 + DP2 + DP3, DP1 and DP2 with few significant bits (Cephes sinf.c, doubled).
const DP1 = 1.5703125;
const DP2 = 4.837512969970703125e-4;
const DP3 = 7.549789954891882e-8;
const SIN = [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1];
const COS = [2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2];

/** Horner's scheme in `z` over `coefficients` (highest degree first). */
function horner(coefficients: readonly number[], z: ScalarExpr): ScalarExpr {
  return coefficients.slice(1).reduce((sum, coefficient) => muladd(sum, z, constant(coefficient)), constant(coefficients[0]));
}

/** sin(x) (with `shift` = 0) or cos(x) = sin(x + π/2) (with `shift` = 1) by quadrant reduction. */
function sineFamily(x: ScalarExpr, shift: 0 | 1): ScalarExpr {
  const k = round(mul(x, constant(TWO_OVER_PI)));
  const r = sub(sub(sub(x, mul(k, constant(DP1))), mul(k, constant(DP2))), mul(k, constant(DP3)));
  const z = mul(r, r);
  const sine = muladd(mul(horner(SIN, z), z), r, r);
  const cosine = sub(add(mul(mul(horner(COS, z), z), z), constant(1)), mul(z, constant(0.5)));
  const turn = add(k, constant(shift));
  const quadrant = sub(turn, mul(floor(mul(turn, constant(0.25))), constant(4)));
  const is = (value: number): ScalarExpr => eq(quadrant, constant(value));
  return select(is(0), sine, select(is(1), cosine, select(is(2), neg(sine), neg(cosine))));
}

/** sin(x). */
export const SIN_FUNCTION: ScalarFunction = { name: 'sin', reference: Math.sin, body: (x) => sineFamily(x, 0) };

/** cos(x). */
export const COS_FUNCTION: ScalarFunction = { name: 'cos', reference: Math.cos, body: (x) => sineFamily(x, 1) };
