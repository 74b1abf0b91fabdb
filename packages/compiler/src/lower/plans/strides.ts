/**
 * Element strides of symbolic shapes: the one row-major helper every plan
 * uses, and the strides that read a tensor broadcast to a larger shape.
 */
import { dimsEqual, mulDims, type Dim } from '@ladon/ir';

/** Row-major element strides of a (possibly symbolic) shape. */
export function contiguousStrides(shape: readonly Dim[]): Dim[] {
  const strides: Dim[] = new Array<Dim>(shape.length);
  let stride: Dim = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride = mulDims(stride, shape[axis]);
  }
  return strides;
}

/**
 * The element strides that read `shape` broadcast (right-aligned, NumPy
 * rules) to `target`: the tensor's own strides, 0 on axes it lacks or where
 * it has size 1 and the target does not.
 */
export function broadcastStrides(shape: readonly Dim[], target: readonly Dim[]): Dim[] {
  const own = contiguousStrides(shape);
  const offset = target.length - shape.length;
  return target.map((dim, axis) => {
    if (axis < offset) return 0;
    return shape[axis - offset] === 1 && !dimsEqual(dim, 1) ? 0 : own[axis - offset];
  });
}
