/** Test support: element-wise closeness of two tensors. */
import { toFloat32, type Tensor } from '@ladon/ir';

/** The largest |got - expected| and the number of elements outside atol + rtol * |expected| (non-finite values must match). */
export function compareClose(got: Tensor, expected: Tensor, rtol: number, atol: number): { maxAbsErr: number; mismatches: number } {
  if (got.dtype !== expected.dtype || got.shape.join() !== expected.shape.join()) return { maxAbsErr: Infinity, mismatches: Math.max(1, expected.data.length) };
  const a = toFloat32(got);
  const b = toFloat32(expected);
  let maxAbsErr = 0;
  let mismatches = 0;
  for (let i = 0; i < b.length; i++) {
    if (a[i] === b[i] || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) continue;
    const error = Math.abs(a[i] - b[i]);
    if (!(error <= atol + rtol * Math.abs(b[i]))) mismatches++;
    if (!(error <= maxAbsErr)) maxAbsErr = error;
  }
  return { maxAbsErr, mismatches };
}
