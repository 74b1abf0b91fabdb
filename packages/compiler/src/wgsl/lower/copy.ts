/**
 * Emitting copy plans (Transpose, Slice, Split, Concat, Expand, the
 * KV-cache copies of Attention) with the strided copy kernel: one shader
 * per element size; dims, strides and offsets are uniforms (up to six axes
 * after the plan merged what it could).
 */
import { productOfDims, type DType, type Node } from '@ladon/ir';
import type { CopyLayout, CopyPlan } from '../../lower/plans/copy.js';
import { copyElement, padLeft } from '../elements.js';
import { FLAT_WORKGROUP, MAX_RANK, rankValues } from '../kernels/flat.js';
import { copyKernel } from '../kernels/strided-copy.js';
import { flatLaunch, type WgslLowering } from '../lowering.js';

/** One copy step: from buffer `source` into buffer `target` as `layout` says, moving elements of `dtype`. */
export function emitStridedCopy(lowering: WgslLowering, node: Node, dtype: DType, source: number, target: number, layout: CopyLayout): void {
  const what = `the copy for ${node.op} ${node.outputs[0]}`;
  const count = productOfDims(layout.dims);
  const uniforms = {
    count,
    ...rankValues('dim', padLeft(layout.dims, MAX_RANK, 1, what)),
    ...rankValues('src_stride', padLeft(layout.sourceStrides, MAX_RANK, 0, what)),
    ...rankValues('dst_stride', padLeft(layout.targetStrides, MAX_RANK, 0, what)),
    src_offset: layout.sourceOffset,
    dst_offset: layout.targetOffset,
  };
  lowering.call(copyKernel(copyElement(dtype)), node, { buffers: { src: source, dst: target }, uniforms }, flatLaunch(count, FLAT_WORKGROUP));
}

/** Emits a copy plan: one strided copy per piece. */
export function emitCopy(lowering: WgslLowering, plan: CopyPlan): void {
  for (const copy of plan.copies) emitStridedCopy(lowering, plan.node, plan.dtype, lowering.buffer(copy.source), lowering.buffer(copy.target), copy.layout);
}
