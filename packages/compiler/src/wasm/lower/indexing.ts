/**
 * Emitting Gather, Range, Trilu and ConstantOfShape plans: Gather copies
 * one `inner` row per index (clamping out-of-range indices, see
 * kernels/gather.ts); float Range bakes start and delta in, or reads them
 * from their tensors when they arrive at run time (f16 through f32 copies),
 * integer Range takes them (possibly symbols the host binds) at run time; Trilu and the fill bake in
 * the element size and (for the fill) the value's bytes.
 */
import { dtypeSize, type Node, type StepArg } from '@ladon/ir';
import type { DropoutPlan } from '../../lower/plans/dropout.js';
import type { FillPlan, GatherPlan, OneHotPlan, RangePlan, TriluPlan } from '../../lower/plans/indexing.js';
import { f16ToF32, f32ToF16 } from '../kernels/convert-f16.js';
import { dropoutKernel } from '../kernels/dropout.js';
import { constantFillKernel, rangeFloatKernel, rangeFloatOperandsKernel, rangeIntKernel, triluKernel } from '../kernels/fill.js';
import { gatherKernel, oneHotKernel } from '../kernels/gather.js';
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

/** Emits OneHot (i32, i64 or f32 indices). */
export function emitOneHot(lowering: WasmLowering, plan: OneHotPlan): void {
  const indexType = lowering.expectDType(plan.node, plan.indices, ['i32', 'i64', 'f32'], 'indices') as 'i32' | 'i64' | 'f32';
  lowering.call(oneHotKernel(dtypeSize(lowering.graph.typeOf(plan.values).dtype), indexType), plan.node, {
    indices: bufferArg(lowering, plan.indices),
    values: bufferArg(lowering, plan.values),
    out: bufferArg(lowering, plan.output),
    outer: { dim: plan.outer },
    depth: { dim: plan.depth },
    inner: { dim: plan.inner },
  });
}

/** Emits Range (f32, f16 through an f32 copy, i32, i64). */
export function emitRange(lowering: WasmLowering, plan: RangePlan): void {
  const dtype = lowering.expectDType(plan.node, plan.output, ['f32', 'f16', 'i32', 'i64'], 'output');
  const count = { dim: plan.count };
  if (dtype === 'i32' || dtype === 'i64') {
    lowering.call(rangeIntKernel(dtype), plan.node, { out: bufferArg(lowering, plan.output), count, start: { dim: plan.start }, delta: { dim: plan.delta } });
    return;
  }
  const half = dtype === 'f16';
  const out = half ? { buffer: lowering.program.scratch(`${plan.output}_f32`, 'f32', [plan.count]) } : bufferArg(lowering, plan.output);
  if (plan.operands) {
    const operand = (value: string) => (half ? { buffer: halfToF32(lowering, plan.node, value) } : bufferArg(lowering, value));
    lowering.call(rangeFloatOperandsKernel, plan.node, { out, count, start: operand(plan.operands.start), delta: operand(plan.operands.delta) });
  } else {
    if (typeof plan.start !== 'number' || typeof plan.delta !== 'number') throw unsupported(plan.node, 'float ranges need numeric start and delta', plan.output);
    lowering.call(rangeFloatKernel(plan.start, plan.delta), plan.node, { out, count });
  }
  if (half) lowering.call(f32ToF16, plan.node, { src: out, dst: bufferArg(lowering, plan.output), count });
}

/** An f32 scratch copy of a one-element f16 tensor. */
function halfToF32(lowering: WasmLowering, node: Node, value: string): number {
  const copy = lowering.program.scratch(`${value}_f32`, 'f32', [1]);
  lowering.call(f16ToF32, node, { src: bufferArg(lowering, value), dst: { buffer: copy }, count: { dim: 1 } });
  return copy;
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

/** Emits training-mode Dropout (seed and threshold as arguments, the scale baked in). */
export function emitDropout(lowering: WasmLowering, plan: DropoutPlan): void {
  const args: Record<string, StepArg> = { in: bufferArg(lowering, plan.input), out: bufferArg(lowering, plan.output) };
  if (plan.mask) args.mask = bufferArg(lowering, plan.mask);
  Object.assign(args, { count: { dim: plan.count }, seed: { int: plan.seed }, threshold: { int: plan.threshold } });
  lowering.call(dropoutKernel(plan.scale, plan.mask !== undefined), plan.node, args);
}
