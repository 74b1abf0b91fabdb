/**
 * Emitting Gather, Range, Trilu and ConstantOfShape plans with the flat
 * kernels (one invocation per output element). Range takes start and
 * delta as uniforms of its element type (integers may be symbols the host
 * binds), or reads them from their tensors when the plan says so; the fill value goes in a
 * uniform as the bits of a 32-bit element (an f32 for f16).
 */
import { productOfDims, toNumbers, type Tensor } from '@ladon/ir';
import type { DropoutPlan } from '../../lower/plans/dropout.js';
import type { FillPlan, GatherPlan, OneHotPlan, RangePlan, TriluPlan } from '../../lower/plans/indexing.js';
import { copyElement, deviceElement } from '../elements.js';
import { dropoutKernel, fillKernel, rangeKernel, rangeOperandsKernel, triluKernel } from '../kernels/fill.js';
import { FLAT_WORKGROUP } from '../kernels/flat.js';
import { gatherKernel, oneHotKernel } from '../kernels/gather.js';
import { flatLaunch, unsupported, type WgslLowering } from '../lowering.js';

/** Emits Gather along its axis. */
export function emitGather(lowering: WgslLowering, plan: GatherPlan): void {
  const count = productOfDims(lowering.graph.typeOf(plan.output).shape);
  const buffers = { data: lowering.buffer(plan.data), indices: lowering.buffer(plan.indices), y: lowering.buffer(plan.output) };
  const uniforms = { count, inner: plan.inner, index_count: plan.count, axis_dim: plan.axisSize };
  lowering.call(gatherKernel(copyElement(lowering.graph.typeOf(plan.data).dtype)), plan.node, { buffers, uniforms }, flatLaunch(count, FLAT_WORKGROUP));
}

/** Emits OneHot. */
export function emitOneHot(lowering: WgslLowering, plan: OneHotPlan): void {
  const count = productOfDims([plan.outer, plan.depth, plan.inner]);
  const buffers = { indices: lowering.buffer(plan.indices), values: lowering.buffer(plan.values), y: lowering.buffer(plan.output) };
  const kernel = oneHotKernel(copyElement(lowering.graph.typeOf(plan.values).dtype), deviceElement(lowering.graph.typeOf(plan.indices).dtype));
  lowering.call(kernel, plan.node, { buffers, uniforms: { count, inner: plan.inner, depth: plan.depth } }, flatLaunch(count, FLAT_WORKGROUP));
}

/** Emits Range (f32 or a 32-bit integer element; f32 or f16 from tensors when start and delta arrive at run time). */
export function emitRange(lowering: WgslLowering, plan: RangePlan): void {
  if (plan.operands) {
    const element = deviceElement(plan.dtype);
    if (element !== 'f32' && element !== 'half_t') throw unsupported(plan.node, `Range of ${plan.dtype} from tensors`);
    const buffers = { start: lowering.buffer(plan.operands.start), delta: lowering.buffer(plan.operands.delta), y: lowering.buffer(plan.output) };
    lowering.call(rangeOperandsKernel(element), plan.node, { buffers, uniforms: { count: plan.count } }, flatLaunch(plan.count, FLAT_WORKGROUP));
    return;
  }
  const { start, delta } = plan;
  const element = deviceElement(plan.dtype);
  if (element !== 'f32' && element !== 'i32') throw unsupported(plan.node, `Range of ${plan.dtype}`);
  if (element === 'f32' && (typeof start !== 'number' || typeof delta !== 'number')) throw unsupported(plan.node, `f32 Range start and delta must be numbers, got ${start} and ${delta}`);
  const uniforms = { count: plan.count, start, delta };
  lowering.call(rangeKernel(element), plan.node, { buffers: { y: lowering.buffer(plan.output) }, uniforms }, flatLaunch(plan.count, FLAT_WORKGROUP));
}

/** Emits Trilu. */
export function emitTrilu(lowering: WgslLowering, plan: TriluPlan): void {
  const count = productOfDims([plan.matrices, plan.rows, plan.cols]);
  const buffers = { x: lowering.buffer(plan.input), y: lowering.buffer(plan.output) };
  const uniforms = { count, rows: plan.rows, cols: plan.cols, k: plan.k };
  const kernel = triluKernel(copyElement(lowering.graph.typeOf(plan.input).dtype), plan.upper);
  lowering.call(kernel, plan.node, { buffers, uniforms }, flatLaunch(count, FLAT_WORKGROUP));
}

/** The fill value's uniform: the bits of a 32-bit element, or the float for f16. */
function fillValue(value: Tensor): number {
  const [number] = toNumbers(value);
  if (value.dtype === 'f16') return number;
  if (value.dtype === 'f32') return new Uint32Array(new Float32Array([number]).buffer)[0];
  if (value.dtype === 'bool') return number ? 1 : 0;
  return Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, number)) >>> 0;
}

/** Emits ConstantOfShape. */
export function emitFill(lowering: WgslLowering, plan: FillPlan): void {
  const element = copyElement(lowering.graph.typeOf(plan.output).dtype) as 'u32' | 'half_t';
  const uniforms = { count: plan.count, value: fillValue(plan.value) };
  lowering.call(fillKernel(element), plan.node, { buffers: { y: lowering.buffer(plan.output) }, uniforms }, flatLaunch(plan.count, FLAT_WORKGROUP));
}

/** Emits training-mode Dropout. */
export function emitDropout(lowering: WgslLowering, plan: DropoutPlan): void {
  const buffers: Record<string, number> = { x: lowering.buffer(plan.input), y: lowering.buffer(plan.output) };
  if (plan.mask) buffers.mask = lowering.buffer(plan.mask);
  const uniforms = { count: plan.count, seed: plan.seed, threshold: plan.threshold, scale: plan.scale };
  lowering.call(dropoutKernel(plan.mask !== undefined), plan.node, { buffers, uniforms }, flatLaunch(plan.count, FLAT_WORKGROUP));
}
