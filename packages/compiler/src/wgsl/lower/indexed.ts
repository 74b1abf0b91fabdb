/**
 * Emitting GatherElements, GatherND, ScatterElements and ScatterND plans
 * with the index kernels (kernels/indexed.ts): one shader per element type
 * (and reduction); shapes, strides and tuple sizes are uniforms, padded to
 * six axes. A scatter first copies data into the output with the strided
 * copy. Reductions run on f32 and 32-bit integers.
 */
import { productOfDims, type Dim, type DType, type Node } from '@ladon/ir';
import type { GatherElementsPlan, GatherNdPlan, ScatterPlan, TupleAddressing } from '../../lower/plans/indexed.js';
import { contiguousStrides } from '../../lower/plans/strides.js';
import { copyElement, deviceElement, padLeft } from '../elements.js';
import { FLAT_WORKGROUP, MAX_RANK, rankValues } from '../kernels/flat.js';
import { gatherElementsKernel, gatherNdKernel, MAX_TUPLE_DEPTH, scatterElementsKernel, scatterNdKernel } from '../kernels/indexed.js';
import type { WgslElement } from '../kernel.js';
import { flatLaunch, unsupported, type WgslLowering } from '../lowering.js';
import { emitStridedCopy } from './copy.js';

function what(node: Node): string {
  return `${node.op} ${node.outputs[0]}`;
}

function tupleUniforms(node: Node, addressing: TupleAddressing): Record<string, Dim> {
  const depth = addressing.coordinates.length;
  if (depth > MAX_TUPLE_DEPTH) throw unsupported(node, `tuples of ${depth} indices (at most ${MAX_TUPLE_DEPTH})`);
  const fill = (values: readonly Dim[]): Dim[] => [...values, ...new Array<Dim>(MAX_RANK - values.length).fill(1)];
  return {
    tuples: addressing.tuples,
    batch_stride: addressing.batchStride,
    slice: addressing.slice,
    depth,
    ...rankValues('k', fill(addressing.coordinates.map((coordinate) => coordinate.dim))),
    ...rankValues('t', fill(addressing.coordinates.map((coordinate) => coordinate.stride))),
  };
}

/** Emits GatherElements. */
export function emitGatherElements(lowering: WgslLowering, plan: GatherElementsPlan): void {
  const count = productOfDims(plan.dims);
  const rank = plan.dims.length;
  const uniforms = {
    count,
    ...rankValues('dim', padLeft(plan.dims, MAX_RANK, 1, what(plan.node))),
    ...rankValues('data_stride', padLeft(plan.dataStrides, MAX_RANK, 0, what(plan.node))),
    axis: MAX_RANK - rank + plan.axis,
    axis_size: plan.axisSize,
  };
  const buffers = { data: lowering.buffer(plan.data), indices: lowering.buffer(plan.indices), y: lowering.buffer(plan.output) };
  lowering.call(gatherElementsKernel(copyElement(plan.dtype)), plan.node, { buffers, uniforms }, flatLaunch(count, FLAT_WORKGROUP));
}

/** Emits GatherND. */
export function emitGatherNd(lowering: WgslLowering, plan: GatherNdPlan): void {
  const count = productOfDims([plan.batches, plan.tuples, plan.slice]);
  const buffers = { data: lowering.buffer(plan.data), indices: lowering.buffer(plan.indices), y: lowering.buffer(plan.output) };
  lowering.call(gatherNdKernel(copyElement(plan.dtype)), plan.node, { buffers, uniforms: { count, ...tupleUniforms(plan.node, plan) } }, flatLaunch(count, FLAT_WORKGROUP));
}

function scatterElement(plan: ScatterPlan): WgslElement {
  if (plan.reduction === 'none') return copyElement(plan.dtype);
  const element = deviceElement(plan.dtype as DType);
  if (element !== 'f32' && element !== 'i32') throw unsupported(plan.node, `reduction '${plan.reduction}' on ${plan.dtype} data`);
  return element;
}

/** Emits a scatter: data copied into the output, then the updates written in order. */
export function emitScatter(lowering: WgslLowering, plan: ScatterPlan): void {
  const element = scatterElement(plan);
  emitStridedCopy(lowering, plan.node, plan.dtype, lowering.buffer(plan.copy.source), lowering.buffer(plan.output), plan.copy.layout);
  const buffers = { indices: lowering.buffer(plan.indices), updates: lowering.buffer(plan.updates), y: lowering.buffer(plan.output) };
  const { addressing } = plan;
  if (addressing.kind === 'tuples') {
    const count = addressing.tuples.slice;
    lowering.call(scatterNdKernel(element, plan.reduction), plan.node, { buffers, uniforms: { count, ...tupleUniforms(plan.node, addressing.tuples) } }, flatLaunch(count, FLAT_WORKGROUP));
    return;
  }
  const { dims, dataStrides, axis, axisSize } = addressing.elements;
  const indexStrides = contiguousStrides(dims);
  const offAxis = (values: readonly Dim[], fill: Dim): Dim[] => values.map((value, index) => (index === axis ? fill : value));
  const count = productOfDims(offAxis(dims, 1));
  const uniforms = {
    count,
    ...rankValues('dim', padLeft(offAxis(dims, 1), MAX_RANK, 1, what(plan.node))),
    ...rankValues('data_stride', padLeft(offAxis(dataStrides, 0), MAX_RANK, 0, what(plan.node))),
    ...rankValues('index_stride', padLeft(offAxis(indexStrides, 0), MAX_RANK, 0, what(plan.node))),
    axis_count: dims[axis],
    axis_size: axisSize,
    axis_data_stride: dataStrides[axis],
    axis_index_stride: indexStrides[axis],
  };
  lowering.call(scatterElementsKernel(element, plan.reduction), plan.node, { buffers, uniforms }, flatLaunch(count, FLAT_WORKGROUP));
}
