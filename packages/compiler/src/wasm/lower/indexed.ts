/**
 * Emitting GatherElements, GatherND, ScatterElements and ScatterND plans
 * (kernels/indexed.ts): the rank, the indexed axis or the tuple depth, the
 * element size, the index type and the reduction are baked in; sizes and
 * strides are step arguments. A scatter first copies data into the output
 * with the strided copy.
 */
import { dtypeSize, type DType, type Node, type StepArg } from '@ladon/ir';
import type { ElementsAddressing, GatherElementsPlan, GatherNdPlan, ScatterPlan, TupleAddressing } from '../../lower/plans/indexed.js';
import { gatherElementsKernel, gatherNdKernel, scatterElementsKernel, scatterNdKernel, type IndexedKernelConfig } from '../kernels/indexed.js';
import { bufferArg, unsupported, type WasmLowering } from '../lowering.js';
import { emitStridedCopy } from './copy.js';

function config(lowering: WasmLowering, node: Node, dtype: DType, indices: string): IndexedKernelConfig {
  const indexType = lowering.expectDType(node, indices, ['i32', 'i64'], 'indices') as 'i32' | 'i64';
  return { dtype, elementBytes: dtypeSize(dtype), indexType };
}

function elementArgs(addressing: ElementsAddressing): Record<string, StepArg> {
  const args: Record<string, StepArg> = { axisSize: { dim: addressing.axisSize } };
  addressing.dims.forEach((dim, axis) => {
    args[`d${axis}`] = { dim };
    args[`s${axis}`] = { dim: addressing.dataStrides[axis] };
  });
  return args;
}

function tupleArgs(addressing: TupleAddressing): Record<string, StepArg> {
  const args: Record<string, StepArg> = { batches: { dim: addressing.batches }, tuples: { dim: addressing.tuples }, batchStride: { dim: addressing.batchStride }, slice: { dim: addressing.slice } };
  addressing.coordinates.forEach((coordinate, k) => {
    args[`k${k}`] = { dim: coordinate.dim };
    args[`t${k}`] = { dim: coordinate.stride };
  });
  return args;
}

/** Emits GatherElements. */
export function emitGatherElements(lowering: WasmLowering, plan: GatherElementsPlan): void {
  const kernel = gatherElementsKernel(config(lowering, plan.node, plan.dtype, plan.indices), plan.dims.length, plan.axis);
  lowering.call(kernel, plan.node, { data: bufferArg(lowering, plan.data), indices: bufferArg(lowering, plan.indices), out: bufferArg(lowering, plan.output), ...elementArgs(plan) });
}

/** Emits GatherND. */
export function emitGatherNd(lowering: WasmLowering, plan: GatherNdPlan): void {
  const kernel = gatherNdKernel(config(lowering, plan.node, plan.dtype, plan.indices), plan.coordinates.length);
  lowering.call(kernel, plan.node, { data: bufferArg(lowering, plan.data), indices: bufferArg(lowering, plan.indices), out: bufferArg(lowering, plan.output), ...tupleArgs(plan) });
}

/** Emits a scatter: data copied into the output, then the updates written in order. */
export function emitScatter(lowering: WasmLowering, plan: ScatterPlan): void {
  const kernelConfig = config(lowering, plan.node, plan.dtype, plan.indices);
  if (plan.reduction !== 'none' && !['f32', 'i32', 'i64'].includes(plan.dtype)) throw unsupported(plan.node, `reduction '${plan.reduction}' on ${plan.dtype} data`);
  emitStridedCopy(lowering, plan.node, bufferArg(lowering, plan.copy.source), lowering.buffer(plan.output), plan.copy.layout, kernelConfig.elementBytes);
  const buffers = { out: bufferArg(lowering, plan.output), indices: bufferArg(lowering, plan.indices), updates: bufferArg(lowering, plan.updates) };
  const { addressing } = plan;
  if (addressing.kind === 'elements') {
    const { elements } = addressing;
    lowering.call(scatterElementsKernel(kernelConfig, plan.reduction, elements.dims.length, elements.axis), plan.node, { ...buffers, ...elementArgs(elements) });
  } else {
    lowering.call(scatterNdKernel(kernelConfig, plan.reduction, addressing.tuples.coordinates.length), plan.node, { ...buffers, ...tupleArgs(addressing.tuples) });
  }
}
