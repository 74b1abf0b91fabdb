/**
 * Emitting copy plans (Transpose, Slice, Split, Concat, Expand, the
 * KV-cache copies of Attention) with the strided copy kernel, which bakes
 * in the rank, the element size and whether rows are contiguous on both
 * sides; sizes, strides and offsets are step arguments.
 */
import { dtypeSize, type Node, type StepArg } from '@ladon/ir';
import type { CopyLayout, CopyPlan } from '../../lower/plans/copy.js';
import { stridedCopyKernel } from '../kernels/strided-copy.js';
import { bufferArg, unsupported, type WasmLowering } from '../lowering.js';

const MAX_COPY_RANK = 8;

/** One copy step: `source` (a buffer, possibly at a byte offset) into the buffer `target`, as `layout` says. */
export function emitStridedCopy(lowering: WasmLowering, node: Node, source: StepArg, target: number, layout: CopyLayout, elementBytes: number): void {
  const rank = layout.dims.length;
  if (rank > MAX_COPY_RANK) throw unsupported(node, `the copy needs ${rank} independent axes (at most ${MAX_COPY_RANK})`);
  const last = rank - 1;
  const contiguousRows = layout.sourceStrides[last] === 1 && layout.targetStrides[last] === 1;
  const args: Record<string, StepArg> = { src: source, dst: { buffer: target }, srcOffset: { dim: layout.sourceOffset }, dstOffset: { dim: layout.targetOffset } };
  layout.dims.forEach((dim, axis) => {
    args[`d${axis}`] = { dim };
    args[`s${axis}`] = { dim: layout.sourceStrides[axis] };
    args[`t${axis}`] = { dim: layout.targetStrides[axis] };
  });
  lowering.call(stridedCopyKernel({ rank, elementBytes, contiguousRows }), node, args);
}

/** Emits a copy plan: one strided copy per piece. */
export function emitCopy(lowering: WasmLowering, plan: CopyPlan): void {
  for (const copy of plan.copies) {
    emitStridedCopy(lowering, plan.node, bufferArg(lowering, copy.source), lowering.buffer(copy.target), copy.layout, dtypeSize(plan.dtype));
  }
}
