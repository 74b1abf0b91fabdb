/**
 * Recognising constant scalars in patterns: a one-element constant tensor
 * (any rank: `[]`, `[1]`, `[1, 1]`) whose value is near an expected number.
 */
import { numericValues, type Tensor } from '@ladon/ir';

/** The default relative tolerance for matching exporter constants (`1.4142135` against √2). */
export const CONSTANT_TOLERANCE = 1e-4;

/** The value of a one-element numeric tensor, or undefined. */
export function scalarValue(value: Tensor): number | undefined {
  if (value.data.length !== 1 || value.dtype === 'bool') return undefined;
  return numericValues(value)[0];
}

/** True when `actual` is within `relative` tolerance of `expected`. */
export function isNear(actual: number, expected: number, relative = CONSTANT_TOLERANCE): boolean {
  return Math.abs(actual - expected) <= relative * Math.abs(expected);
}

/** A predicate for `constant(name, where)`: a one-element tensor whose value is near `expected`. */
export function scalarNear(expected: number, relative = CONSTANT_TOLERANCE): (value: Tensor) => boolean {
  return (value) => {
    const scalar = scalarValue(value);
    return scalar !== undefined && isNear(scalar, expected, relative);
  };
}

/** A predicate for `constant(name, where)`: any one-element float tensor. */
export function isFloatScalar(value: Tensor): boolean {
  return (value.dtype === 'f32' || value.dtype === 'f16') && value.data.length === 1;
}
