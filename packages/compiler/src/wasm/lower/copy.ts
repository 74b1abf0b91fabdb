/**
 * Lowering the data-movement ops that are strided copies: Transpose,
 * Slice, Split, Concat and Expand. Each describes its copy as dims plus
 * source and destination element strides (symbolic), merged where the
 * layouts allow (axes of size 1 dropped; neighbours merged when both sides
 * step contiguously across them), then calls the strided copy kernel.
 */
import { addDims, dtypeSize, mulDims, normalizeDim, type Dim } from '@ladon/ir';
import { stridedCopyKernel } from '../kernels/strided-copy.js';
import { addStep, bufferArg, dimArg, symbolicStrides, type LoweringContext } from '../lowering-context.js';
import { shapeOf, unsupported } from './common.js';

/** One strided copy: dims and per-side element strides and offsets. */
export interface CopyPlan {
  readonly dims: readonly Dim[];
  readonly sourceStrides: readonly Dim[];
  readonly targetStrides: readonly Dim[];
  readonly sourceOffset: Dim;
  readonly targetOffset: Dim;
}

const MAX_COPY_RANK = 8;

const sameDim = (a: Dim, b: Dim): boolean => String(normalizeDim(a)) === String(normalizeDim(b));

/** Drops size-1 axes and merges neighbours that are contiguous on both sides. */
export function mergeCopyAxes(plan: CopyPlan): CopyPlan {
  const axes = plan.dims.map((dim, axis) => axis).filter((axis) => plan.dims[axis] !== 1);
  const dims: Dim[] = [];
  const sourceStrides: Dim[] = [];
  const targetStrides: Dim[] = [];
  for (const axis of axes.reverse()) {
    const [dim, source, target] = [plan.dims[axis], plan.sourceStrides[axis], plan.targetStrides[axis]];
    const inner = dims.length - 1;
    if (inner >= 0 && sameDim(source, mulDims(sourceStrides[inner], dims[inner])) && sameDim(target, mulDims(targetStrides[inner], dims[inner]))) {
      dims[inner] = mulDims(dims[inner], dim);
      continue;
    }
    dims.push(dim);
    sourceStrides.push(source);
    targetStrides.push(target);
  }
  if (dims.length === 0) return { ...plan, dims: [1], sourceStrides: [1], targetStrides: [1] };
  return { ...plan, dims: dims.reverse(), sourceStrides: sourceStrides.reverse(), targetStrides: targetStrides.reverse() };
}

/** Adds the step copying `source` into `target` as `plan` says. */
export function emitCopy(ctx: LoweringContext, source: string, target: string, plan: CopyPlan): void {
  const merged = mergeCopyAxes(plan);
  const rank = merged.dims.length;
  if (rank > MAX_COPY_RANK) throw unsupported(ctx, `the copy needs ${rank} independent axes (at most ${MAX_COPY_RANK})`);
  const last = rank - 1;
  const contiguousRows = merged.sourceStrides[last] === 1 && merged.targetStrides[last] === 1;
  const elementBytes = dtypeSize(ctx.graph.typeOf(source).dtype);
  const kernel = ctx.kernels.request(stridedCopyKernel({ rank, elementBytes, contiguousRows }));
  addStep(ctx, kernel, [
    bufferArg(ctx, source),
    bufferArg(ctx, target),
    dimArg(merged.sourceOffset),
    dimArg(merged.targetOffset),
    ...merged.dims.map(dimArg),
    ...merged.sourceStrides.map(dimArg),
    ...merged.targetStrides.map(dimArg),
  ]);
}

/** Row-major element strides of a symbolic shape. */
export function stridesOf(shape: readonly Dim[]): Dim[] {
  return symbolicStrides(shape, mulDims);
}

/** Lowers Transpose (any permutation). */
export function lowerTranspose(ctx: LoweringContext): void {
  const x = ctx.node.inputs[0];
  const y = ctx.node.outputs[0];
  const shape = shapeOf(ctx, x);
  const perm = (ctx.node.attrs.perm as readonly number[] | undefined) ?? shape.map((_, axis) => shape.length - 1 - axis);
  const inputStrides = stridesOf(shape);
  const dims = perm.map((axis) => shape[axis]);
  emitCopy(ctx, x, y, { dims, sourceStrides: perm.map((axis) => inputStrides[axis]), targetStrides: stridesOf(dims), sourceOffset: 0, targetOffset: 0 });
}

/** Lowers Expand: axes where the input is 1 (or missing) and the output is not are read with stride 0. */
export function lowerExpand(ctx: LoweringContext): void {
  const x = ctx.node.inputs[0];
  const y = ctx.node.outputs[0];
  const shape = shapeOf(ctx, x);
  const output = shapeOf(ctx, y);
  const offset = output.length - shape.length;
  const inputStrides = stridesOf(shape);
  const sourceStrides = output.map((dim, axis) => (axis < offset || (shape[axis - offset] === 1 && dim !== 1) ? 0 : inputStrides[axis - offset]));
  emitCopy(ctx, x, y, { dims: output, sourceStrides, targetStrides: stridesOf(output), sourceOffset: 0, targetOffset: 0 });
}

/** Lowers Concat: one copy per input into its block of the output. */
export function lowerConcat(ctx: LoweringContext): void {
  const y = ctx.node.outputs[0];
  const output = shapeOf(ctx, y);
  const axis = ((ctx.node.attrs.axis as number) + output.length) % output.length;
  const outputStrides = stridesOf(output);
  let start: Dim = 0;
  for (const input of ctx.node.inputs) {
    if (!input) continue;
    const shape = shapeOf(ctx, input);
    emitCopy(ctx, input, y, { dims: shape, sourceStrides: stridesOf(shape), targetStrides: outputStrides, sourceOffset: 0, targetOffset: mulDims(start, outputStrides[axis]) });
    start = addDims(start, shape[axis]);
  }
}

/** Lowers Split: one copy per output, cut from consecutive blocks along the axis (sizes from the outputs' types). */
export function lowerSplit(ctx: LoweringContext): void {
  const x = ctx.node.inputs[0];
  const shape = shapeOf(ctx, x);
  const axis = (((ctx.node.attrs.axis as number | undefined) ?? 0) + shape.length) % shape.length;
  const inputStrides = stridesOf(shape);
  let start: Dim = 0;
  for (const output of ctx.node.outputs) {
    if (!output) throw unsupported(ctx, 'omitted Split outputs are not supported (their sizes are unknown)');
    const dims = shapeOf(ctx, output);
    emitCopy(ctx, x, output, { dims, sourceStrides: inputStrides, targetStrides: stridesOf(dims), sourceOffset: mulDims(start, inputStrides[axis]), targetOffset: 0 });
    start = addDims(start, dims[axis]);
  }
}
