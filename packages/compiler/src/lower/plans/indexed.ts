/**
 * Plans of the ops that address elements through an index tensor:
 * GatherElements and GatherND read, ScatterElements and ScatterND write
 * (into a copy of `data`, in the order of the updates, combined by the
 * reduction). Indices count from the end when negative; kernels clamp
 * out-of-range ones into the axis (the reference interpreter rejects them,
 * a kernel cannot raise a readable error and never reads or writes outside
 * a tensor).
 */
import { indexDepth, normalizeAxis, productOfDims, scatterReduction, type Dim, type DType, type Node, type ScatterReduction } from '@ladon/ir';
import type { CopyStep } from './copy.js';
import type { PlanContext } from './plan-context.js';
import { contiguousStrides } from './strides.js';

/** Element by element along an axis: output element i reads data at i with its `axis` coordinate from indices[i]. */
export interface ElementsAddressing {
  /** The shape of indices (and updates or output), outermost first. */
  readonly dims: readonly Dim[];
  /** data's element strides, one per axis. */
  readonly dataStrides: readonly Dim[];
  readonly axis: number;
  /** data's size along the axis (indices wrap and clamp into it). */
  readonly axisSize: Dim;
}

/** Slices at coordinate tuples: tuple t (of `depth` indices) addresses a slice of `slice` elements. */
export interface TupleAddressing {
  /** Tuples per batch and batches (batch_dims of GatherND; 1 batch otherwise). */
  readonly tuples: Dim;
  readonly batches: Dim;
  /** data's element stride between batches. */
  readonly batchStride: Dim;
  readonly slice: Dim;
  /** Per tuple entry: the data axis size it indexes and that axis' element stride. */
  readonly coordinates: readonly { readonly dim: Dim; readonly stride: Dim }[];
}

/** GatherElements. */
export interface GatherElementsPlan extends ElementsAddressing {
  readonly kind: 'gather-elements';
  readonly node: Node;
  readonly data: string;
  readonly indices: string;
  readonly output: string;
  readonly dtype: DType;
}

/** GatherND. */
export interface GatherNdPlan extends TupleAddressing {
  readonly kind: 'gather-nd';
  readonly node: Node;
  readonly data: string;
  readonly indices: string;
  readonly output: string;
  readonly dtype: DType;
}

/** ScatterElements or ScatterND: copy data into the output, then write the updates in order. */
export interface ScatterPlan {
  readonly kind: 'scatter';
  readonly node: Node;
  readonly indices: string;
  readonly updates: string;
  readonly output: string;
  readonly dtype: DType;
  readonly reduction: ScatterReduction;
  /** data into the output, whole. */
  readonly copy: CopyStep;
  readonly addressing: { readonly kind: 'elements'; readonly elements: ElementsAddressing } | { readonly kind: 'tuples'; readonly tuples: TupleAddressing };
}

function elementsAddressing(ctx: PlanContext, data: string, indices: string): ElementsAddressing {
  const shape = ctx.shape(data);
  const axis = normalizeAxis(ctx.infer.int('axis'), shape.length);
  return { dims: ctx.shape(indices), dataStrides: contiguousStrides(shape), axis, axisSize: shape[axis] };
}

function tupleAddressing(ctx: PlanContext, data: string, indices: string, batchDims: number): TupleAddressing {
  const shape = ctx.shape(data);
  const indexShape = ctx.shape(indices);
  const depth = indexDepth(ctx.infer, shape.length, indexShape, batchDims);
  if (typeof depth === 'string') throw ctx.unsupported(depth, indices);
  const strides = contiguousStrides(shape);
  return {
    batches: productOfDims(shape.slice(0, batchDims)),
    tuples: productOfDims(indexShape.slice(batchDims, -1)),
    batchStride: batchDims > 0 ? strides[batchDims - 1] : 0,
    slice: productOfDims(shape.slice(batchDims + depth)),
    coordinates: Array.from({ length: depth }, (_, k) => ({ dim: shape[batchDims + k], stride: strides[batchDims + k] })),
  };
}

/** Plans GatherElements. */
export function planGatherElements(ctx: PlanContext): GatherElementsPlan {
  const [data, indices] = ctx.node.inputs;
  return { kind: 'gather-elements', node: ctx.node, data, indices, output: ctx.node.outputs[0], dtype: ctx.dtype(data), ...elementsAddressing(ctx, data, indices) };
}

/** Plans GatherND. */
export function planGatherNd(ctx: PlanContext): GatherNdPlan {
  const [data, indices] = ctx.node.inputs;
  const addressing = tupleAddressing(ctx, data, indices, ctx.infer.int('batch_dims'));
  return { kind: 'gather-nd', node: ctx.node, data, indices, output: ctx.node.outputs[0], dtype: ctx.dtype(data), ...addressing };
}

/** Plans ScatterElements and ScatterND. */
export function planScatter(ctx: PlanContext): ScatterPlan {
  const [data, indices, updates] = ctx.node.inputs;
  const output = ctx.node.outputs[0];
  const count = productOfDims(ctx.shape(data));
  const copy: CopyStep = { source: data, target: output, layout: { dims: [count], sourceStrides: [1], targetStrides: [1], sourceOffset: 0, targetOffset: 0 } };
  const addressing =
    ctx.node.op === 'ScatterElements'
      ? { kind: 'elements' as const, elements: elementsAddressing(ctx, data, indices) }
      : { kind: 'tuples' as const, tuples: tupleAddressing(ctx, data, indices, 0) };
  const dtype = ctx.dtype(data);
  return { kind: 'scatter', node: ctx.node, indices, updates, output, dtype, reduction: scatterReduction(ctx.infer, dtype), copy, addressing };
}
