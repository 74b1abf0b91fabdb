/**
 * Emitting Gather, Range, Trilu and ConstantOfShape plans: Gather copies
 * one `inner` row per index (clamping out-of-range indices, see
 * kernels/gather.ts); f32 Range bakes start and delta in, integer Range
 * takes them (possibly symbolic) at run time; Trilu and the fill bake in
 * the element size and (for the fill) the value's bytes.
 */
import { dtypeSize } from '@ladon/ir';
import type { FillPlan, GatherPlan, RangePlan, TriluPlan } from '../../lower/plans/indexing.js';
import { constantFillKernel, rangeFloatKernel, rangeIntKernel, triluKernel } from '../kernels/fill.js';
import { gatherKernel } from '../kernels/gather.js';
import { bufferArg, unsupported, type WasmLowering } from '../lowering.js';

/** Emits Gather along any axis. */
export function emitGather(lowering: WasmLowering, plan: GatherPlan): void {
  const indexType = lowering.expectDType(plan.node, plan.indices, ['i32', 'i64'], 'indices') as 'i32' | 'i64';
  lowering.call(gatherKernel(dtypeSize(lowering.graph.typeOf(plan.data).dtype), indexType), plan.node, {
    data: bufferArg(lowering, plan.data),
    indices: bufferArg(lowering, plan.indices),
    out: bufferArg(lowering, plan.output),
    outer: { dim: plan.outer },
    axisSize: { dim: plan.axisSize },
    count: { dim: plan.count },
    inner: { dim: plan.inner },
  });
}

/** Emits Range (f32, i32, i64). */
export function emitRange(lowering: WasmLowering, plan: RangePlan): void {
  const dtype = lowering.expectDType(plan.node, plan.output, ['f32', 'i32', 'i64'], 'output');
  const [out, count] = [bufferArg(lowering, plan.output), { dim: plan.count }];
  if (dtype === 'f32') {
    if (typeof plan.start !== 'number' || typeof plan.delta !== 'number') throw unsupported(plan.node, 'f32 ranges need numeric start and delta', plan.output);
    lowering.call(rangeFloatKernel(plan.start, plan.delta), plan.node, { out, count });
    return;
  }
  lowering.call(rangeIntKernel(dtype as 'i32' | 'i64'), plan.node, { out, count, start: { dim: plan.start }, delta: { dim: plan.delta } });
}

/** Emits Trilu. */
export function emitTrilu(lowering: WasmLowering, plan: TriluPlan): void {
  lowering.call(triluKernel(plan.upper, dtypeSize(lowering.graph.typeOf(plan.input).dtype)), plan.node, {
    in: bufferArg(lowering, plan.input),
    out: bufferArg(lowering, plan.output),
    matrices: { dim: plan.matrices },
    rows: { dim: plan.rows },
    cols: { dim: plan.cols },
    k: { dim: plan.k },
  });
}

/** Emits ConstantOfShape: the value's bytes baked in as 32-bit words. */
export function emitFill(lowering: WasmLowering, plan: FillPlan): void {
  const { value } = plan;
  const bytes = new Uint8Array(8);
  bytes.set(new Uint8Array(value.data.buffer, value.data.byteOffset, dtypeSize(value.dtype)));
  const words = Array.from(new Uint32Array(bytes.buffer));
  const kernel = constantFillKernel(value.dtype, dtypeSize(value.dtype) === 8 ? words : [words[0]]);
  lowering.call(kernel, plan.node, { out: bufferArg(lowering, plan.output), count: { dim: plan.count } });
}
