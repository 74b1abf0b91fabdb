/**
 * Copy plans: Transpose, Slice, Split, Concat, Expand, DepthToSpace and
 * SpaceToDepth (and the KV-cache
 * concatenation inside Attention) all move elements from one strided
 * layout to another. A plan gives the index space (dims) and, per side,
 * element strides and a start offset — symbolic where the shapes are —
 * with axes of size 1 dropped and neighbours merged where both sides step
 * contiguously across them (so a Split of rows is one row copy, not one
 * per element). Backends only decide how to run a copy.
 */
import { addDims, depthSpaceLayout, mulDims, normalizeAxis, normalizeDim, sliceStart, type Dim, type DType, type Node } from '@ladon/ir';
import type { PlanContext } from './plan-context.js';
import { broadcastStrides, contiguousStrides } from './strides.js';

/** One strided copy: dims and per-side element strides and offsets. */
export interface CopyLayout {
  readonly dims: readonly Dim[];
  readonly sourceStrides: readonly Dim[];
  readonly targetStrides: readonly Dim[];
  readonly sourceOffset: Dim;
  readonly targetOffset: Dim;
}

/** One copy of a node: from the value `source` into the value `target`. */
export interface CopyStep {
  readonly source: string;
  readonly target: string;
  readonly layout: CopyLayout;
}

/** The plan of a copy op: its element dtype and its copies, in order. */
export interface CopyPlan {
  readonly kind: 'copy';
  readonly node: Node;
  readonly dtype: DType;
  readonly copies: readonly CopyStep[];
}

const sameDim = (a: Dim, b: Dim): boolean => String(normalizeDim(a)) === String(normalizeDim(b));

/** Drops size-1 axes and merges neighbours that are contiguous on both sides (at least one axis remains). */
export function mergeCopyAxes(layout: CopyLayout): CopyLayout {
  const axes = layout.dims.map((dim, axis) => axis).filter((axis) => layout.dims[axis] !== 1);
  const dims: Dim[] = [];
  const sourceStrides: Dim[] = [];
  const targetStrides: Dim[] = [];
  for (const axis of axes.reverse()) {
    const [dim, source, target] = [layout.dims[axis], layout.sourceStrides[axis], layout.targetStrides[axis]];
    const inner = dims.length - 1;
    if (inner >= 0 && sameDim(source, mulDims(sourceStrides[inner], dims[inner])) && sameDim(target, mulDims(targetStrides[inner], dims[inner]))) {
      dims[inner] = mulDims(dims[inner], dim);
      continue;
    }
    dims.push(dim);
    sourceStrides.push(source);
    targetStrides.push(target);
  }
  if (dims.length === 0) return { ...layout, dims: [1], sourceStrides: [1], targetStrides: [1] };
  return { ...layout, dims: dims.reverse(), sourceStrides: sourceStrides.reverse(), targetStrides: targetStrides.reverse() };
}

function copyPlan(ctx: PlanContext, dtype: DType, copies: readonly CopyStep[]): CopyPlan {
  return { kind: 'copy', node: ctx.node, dtype, copies: copies.map((copy) => ({ ...copy, layout: mergeCopyAxes(copy.layout) })) };
}

/** A whole-tensor copy of `dims` read through `sourceStrides` from `sourceOffset` into a contiguous target. */
function gatherInto(dims: readonly Dim[], sourceStrides: readonly Dim[], sourceOffset: Dim = 0): CopyLayout {
  return { dims, sourceStrides, targetStrides: contiguousStrides(dims), sourceOffset, targetOffset: 0 };
}

/** Transpose: output axis i reads input axis perm[i] (default: reversed axes). */
export function planTranspose(ctx: PlanContext): CopyPlan {
  const [x] = ctx.node.inputs;
  const shape = ctx.shape(x);
  const perm = ctx.infer.ints('perm') ?? shape.map((_, axis) => shape.length - 1 - axis);
  const strides = contiguousStrides(shape);
  const layout = gatherInto(perm.map((axis) => shape[axis]), perm.map((axis) => strides[axis]));
  return copyPlan(ctx, ctx.dtype(x), [{ source: x, target: ctx.node.outputs[0], layout }]);
}

/** Expand: the input read with stride 0 along the axes it is broadcast on. */
export function planExpand(ctx: PlanContext): CopyPlan {
  const [x] = ctx.node.inputs;
  const output = ctx.shape(ctx.node.outputs[0]);
  const layout = gatherInto(output, broadcastStrides(ctx.shape(x), output));
  return copyPlan(ctx, ctx.dtype(x), [{ source: x, target: ctx.node.outputs[0], layout }]);
}

/** Concat: one copy per input into its block of the output along the axis. */
export function planConcat(ctx: PlanContext): CopyPlan {
  const y = ctx.node.outputs[0];
  const output = ctx.shape(y);
  const axis = normalizeAxis(ctx.infer.int('axis'), output.length);
  const outputStrides = contiguousStrides(output);
  const copies: CopyStep[] = [];
  let start: Dim = 0;
  for (const input of ctx.node.inputs) {
    if (!input) continue;
    const shape = ctx.shape(input);
    const layout = { dims: shape, sourceStrides: contiguousStrides(shape), targetStrides: outputStrides, sourceOffset: 0, targetOffset: mulDims(start, outputStrides[axis]) };
    copies.push({ source: input, target: y, layout });
    start = addDims(start, shape[axis]);
  }
  return copyPlan(ctx, ctx.dtype(y), copies);
}

/** Split: one copy per output, cut from consecutive blocks along the axis (the sizes come from the outputs' types). */
export function planSplit(ctx: PlanContext): CopyPlan {
  const [x] = ctx.node.inputs;
  const shape = ctx.shape(x);
  const axis = normalizeAxis(ctx.infer.int('axis'), shape.length);
  const strides = contiguousStrides(shape);
  const copies: CopyStep[] = [];
  let start: Dim = 0;
  for (const output of ctx.node.outputs) {
    if (!output) throw ctx.unsupported('every Split output must be named (the piece sizes come from the output types)');
    const dims = ctx.shape(output);
    copies.push({ source: x, target: output, layout: gatherInto(dims, strides, mulDims(start, strides[axis])) });
    start = addDims(start, dims[axis]);
  }
  return copyPlan(ctx, ctx.dtype(x), copies);
}

/** Slice: a copy whose source starts at the slice origin and steps by `steps` (starts static, possibly symbolic; steps and axes numbers). */
export function planSlice(ctx: PlanContext): CopyPlan {
  const [data] = ctx.node.inputs;
  const y = ctx.node.outputs[0];
  const shape = ctx.shape(data);
  const output = ctx.shape(y);
  if (output.includes('?')) throw ctx.unsupported(`the output size [${output.join(', ')}] is not known from the shapes`, y);
  const starts = ctx.requireStaticInts(1, 'starts');
  const axes = ctx.node.inputs[3] ? ctx.requireStaticNumbers(3, 'axes') : starts.map((_, index) => index);
  const steps = ctx.node.inputs[4] ? ctx.requireStaticNumbers(4, 'steps') : starts.map(() => 1);
  const strides = contiguousStrides(shape);
  const sourceStrides = [...strides];
  let sourceOffset: Dim = 0;
  axes.forEach((rawAxis, index) => {
    const axis = normalizeAxis(rawAxis, shape.length);
    sourceOffset = addDims(sourceOffset, mulDims(sliceStart(shape[axis], starts[index], steps[index]), strides[axis]));
    sourceStrides[axis] = mulDims(strides[axis], steps[index]);
  });
  return copyPlan(ctx, ctx.dtype(data), [{ source: data, target: y, layout: gatherInto(output, sourceStrides, sourceOffset) }]);
}

/** DepthToSpace / SpaceToDepth: the input as six axes (the IR's layout), read in the permuted order. */
export function planDepthSpace(ctx: PlanContext): CopyPlan {
  const [x] = ctx.node.inputs;
  const layout = depthSpaceLayout(ctx.infer, ctx.shape(x));
  const strides = contiguousStrides(layout.split);
  const copy = gatherInto(layout.perm.map((axis) => layout.split[axis]), layout.perm.map((axis) => strides[axis]));
  return copyPlan(ctx, ctx.dtype(x), [{ source: x, target: ctx.node.outputs[0], layout: copy }]);
}
