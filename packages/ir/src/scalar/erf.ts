/**
 * The error function erf(x), which JavaScript lacks: the reference value
 * of the scalar vocabulary's `erf` primitive (and of Gelu).
 */

// W. J. Cody, "Rational Chebyshev approximations for the error function",
// Math. Comp. 23 (1969); coefficients from SPECFUN CALERF (ACM TOMS 715),
// written as the shortest literals of the same binary64 values (the
// published 18-digit forms trip the no-loss-of-precision lint).
const A = [3.1611237438705655e0, 1.1386415415105016e2, 3.77485237685302e2, 3.2093775891384694e3, 1.8577770618460315e-1];
const B = [2.3601290952344122e1, 2.4402463793444417e2, 1.2826165260773723e3, 2.844236833439171e3];
const C = [
  5.641884969886701e-1, 8.883149794388377e0, 6.611919063714163e1, 2.986351381974001e2, 8.81952221241769e2,
  1.7120476126340707e3, 2.0510783778260716e3, 1.2303393547979972e3, 2.1531153547440383e-8,
];
const D = [
  1.5744926110709835e1, 1.176939508913125e2, 5.371811018620099e2, 1.6213895745666903e3, 3.2907992357334597e3,
  4.362619090143247e3, 3.4393676741437216e3, 1.2303393548037495e3,
];
const P = [
  3.0532663496123236e-1, 3.6034489994980445e-1, 1.2578172611122926e-1, 1.6083785148742275e-2, 6.587491615298378e-4,
  1.6315387137302097e-2,
];
const Q = [2.568520192289822e0, 1.8729528499234604e0, 5.279051029514285e-1, 6.051834131244132e-2, 2.3352049762686918e-3];
const SQRPI = 5.641895835477563e-1; // 1/sqrt(pi)
const XBIG = 26.543;

/** exp(-y²) computed as exp(-ysq²)·exp(-del) with ysq = y rounded down to 1/16 (Cody's trick against cancellation). */
function expNegSquare(y: number): number {
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq) * Math.exp(-del);
}

/** erfc(y) for y > 0.46875. */
function erfcPositive(y: number): number {
  if (y <= 4) {
    let xnum = C[8] * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + C[i]) * y;
      xden = (xden + D[i]) * y;
    }
    return expNegSquare(y) * ((xnum + C[7]) / (xden + D[7]));
  }
  if (y >= XBIG) return 0;
  const z = 1 / (y * y);
  let xnum = P[5] * z;
  let xden = z;
  for (let i = 0; i < 4; i++) {
    xnum = (xnum + P[i]) * z;
    xden = (xden + Q[i]) * z;
  }
  const ratio = (z * (xnum + P[4])) / (xden + Q[4]);
  return expNegSquare(y) * ((SQRPI - ratio) / y);
}

/** The error function erf(x), accurate to about 1e-16 relative (Cody's rational approximations). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= 0.46875) {
    const z = y * y;
    let xnum = A[4] * z;
    let xden = z;
    for (let i = 0; i < 3; i++) {
      xnum = (xnum + A[i]) * z;
      xden = (xden + B[i]) * z;
    }
    return (x * (xnum + A[3])) / (xden + B[3]);
  }
  const result = 0.5 - erfcPositive(y) + 0.5;
  return x < 0 ? -result : result;
}
