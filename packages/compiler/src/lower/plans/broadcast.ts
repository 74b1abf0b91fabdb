/**
 * The broadcast layout of an element-wise op: output axes of size 1 are
 * dropped; an input is broadcast along an axis where its (right-aligned)
 * dim is 1 or missing and the output's is not; neighbouring axes along
 * which every input behaves alike are merged. Same-shape operands become
 * one contiguous axis, a bias row [rows (broadcast), N], a scalar one
 * broadcast axis.
 */
import { mulDims, type Dim } from '@ladon/ir';

/** The collapsed output dims and, per input, which of them it is broadcast along. */
export interface BroadcastLayout {
  readonly dims: readonly Dim[];
  readonly broadcast: readonly (readonly boolean[])[];
}

/** The collapsed layout of inputs of `shapes` broadcast to `output`. */
export function broadcastLayout(shapes: readonly (readonly Dim[])[], output: readonly Dim[]): BroadcastLayout {
  const axes = output.map((dim, axis) => ({ dim, axis })).filter(({ dim }) => dim !== 1);
  const masks = shapes.map((shape) => {
    const offset = output.length - shape.length;
    return axes.map(({ axis }) => axis < offset || shape[axis - offset] === 1);
  });
  const dims: Dim[] = [];
  const merged: boolean[][] = shapes.map(() => []);
  axes.forEach(({ dim }, index) => {
    const sameAsPrevious = index > 0 && masks.every((mask) => mask[index] === mask[index - 1]);
    if (sameAsPrevious) {
      dims[dims.length - 1] = mulDims(dims[dims.length - 1], dim);
      return;
    }
    dims.push(dim);
    masks.forEach((mask, input) => merged[input].push(mask[index]));
  });
  if (dims.length === 0) {
    dims.push(1);
    merged.forEach((mask) => mask.push(false));
  }
  return { dims, broadcast: merged };
}

/** Element strides of input `index` over the collapsed dims: 0 where it is broadcast, else the product of its later dims. */
export function layoutStrides(layout: BroadcastLayout, index: number): Dim[] {
  const mask = layout.broadcast[index];
  const strides: Dim[] = new Array<Dim>(layout.dims.length);
  let stride: Dim = 1;
  for (let axis = layout.dims.length - 1; axis >= 0; axis--) {
    strides[axis] = mask[axis] ? 0 : stride;
    if (!mask[axis]) stride = mulDims(stride, layout.dims[axis]);
  }
  return strides;
}
