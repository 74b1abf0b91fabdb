/**
 * Comparing outputs (`ladon check`, backend tests, benchmarks): `|got - expected| <= atol + rtol *
 * |expected|` element-wise for floats (default tolerances by dtype), exact
 * equality for integers and bools. A non-finite expected value must be
 * matched exactly (+inf by +inf, -inf by -inf, NaN by NaN); NaN or inf where
 * a finite value is expected fails.
 */
import { isFloatDType, type DType } from './dtype.js';
import { formatShape } from './shape.js';
import { toFloat32, type Tensor } from './tensor.js';
import { shortestF32 } from './text/literals.js';

/** Relative and absolute tolerance. */
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/** Default tolerances by output dtype (those of the ONNX Attention conformance data). */
export const DEFAULT_TOLERANCES: Readonly<Record<DType, Tolerance>> = {
  f32: { rtol: 1e-3, atol: 1e-5 },
  f16: { rtol: 1e-2, atol: 2e-3 },
  i32: { rtol: 0, atol: 0 },
  i64: { rtol: 0, atol: 0 },
  i8: { rtol: 0, atol: 0 },
  u8: { rtol: 0, atol: 0 },
  bool: { rtol: 0, atol: 0 },
};

/** The tolerance for `dtype`: the default, with `--rtol`/`--atol` applied to float dtypes. */
export function toleranceFor(dtype: DType, overrides: Partial<Tolerance> = {}): Tolerance {
  const base = DEFAULT_TOLERANCES[dtype];
  if (!isFloatDType(dtype)) return base;
  return { rtol: overrides.rtol ?? base.rtol, atol: overrides.atol ?? base.atol };
}

/** The result of comparing one output. */
export interface Comparison {
  /** True when every element is within tolerance. */
  readonly ok: boolean;
  /** The largest |got - expected| over elements expected finite (Infinity when one came out non-finite). */
  readonly maxAbsErr: number;
  /** How many elements are out of tolerance. */
  readonly mismatches: number;
  /** What went wrong, for messages (undefined when ok). */
  readonly problem?: string;
}

/** Row-major index of flat position `flat` in `shape`, as `[i, j, ...]`. */
function indexOf(flat: number, shape: readonly number[]): string {
  const index: number[] = [];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index.unshift(flat % shape[axis]);
    flat = Math.floor(flat / shape[axis]);
  }
  return `[${index.join(', ')}]`;
}

function elementOk(got: number, expected: number, tolerance: Tolerance): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(got);
  if (!Number.isFinite(expected)) return got === expected;
  return Math.abs(got - expected) <= tolerance.atol + tolerance.rtol * Math.abs(expected);
}

function exactValues(value: Tensor): ArrayLike<number | bigint> {
  return value.data as ArrayLike<number | bigint>;
}

/** Compares `got` against `expected` with `tolerance` (exact for non-float dtypes). */
export function compareTensors(got: Tensor, expected: Tensor, tolerance: Tolerance): Comparison {
  if (got.dtype !== expected.dtype || formatShape(got.shape) !== formatShape(expected.shape)) {
    const problem = `got ${got.dtype}${formatShape(got.shape)}, expected ${expected.dtype}${formatShape(expected.shape)}`;
    return { ok: false, maxAbsErr: Infinity, mismatches: expected.data.length, problem };
  }
  const float = isFloatDType(expected.dtype);
  const a = float ? toFloat32(got) : exactValues(got);
  const b = float ? toFloat32(expected) : exactValues(expected);
  let maxAbsErr = 0;
  let mismatches = 0;
  let first = -1;
  for (let i = 0; i < b.length; i++) {
    const ok = float ? elementOk(a[i] as number, b[i] as number, tolerance) : a[i] === b[i];
    if (float && Number.isFinite(b[i])) {
      const error = Math.abs((a[i] as number) - (b[i] as number));
      maxAbsErr = Math.max(maxAbsErr, Number.isNaN(error) ? Infinity : error);
    } else if (!float && !ok) maxAbsErr = Math.max(maxAbsErr, Math.abs(Number(a[i]) - Number(b[i])));
    if (ok) continue;
    mismatches++;
    if (first < 0) first = i;
  }
  if (mismatches === 0) return { ok: true, maxAbsErr, mismatches };
  const show = (value: number | bigint): string => (float ? shortestF32(value as number) : String(value));
  const problem =
    `${mismatches} of ${b.length} elements differ; first at ${indexOf(first, expected.shape)}: got ${show(a[first])}, expected ${show(b[first])}` +
    (float ? ` (rtol ${tolerance.rtol}, atol ${tolerance.atol})` : '');
  return { ok: false, maxAbsErr, mismatches, problem };
}
