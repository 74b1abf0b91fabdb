/**
 * Emitting reduce plans with the general reduction kernel: one invocation
 * per output element; the kept coordinates give a base offset, a loop over
 * the reduced sub-space adds the rest (both split over six axes whose sizes
 * and strides are uniforms).
 */
import type { Dim } from '@ladon/ir';
import type { ReducePlan } from '../../lower/plans/reduce.js';
import { deviceElement, padLeft } from '../elements.js';
import { FLAT_WORKGROUP, MAX_RANK, rankValues } from '../kernels/flat.js';
import { reduceKernel } from '../kernels/reduce.js';
import { flatLaunch, type WgslLowering } from '../lowering.js';

/** Emits one Reduce* node. */
export function emitReduce(lowering: WgslLowering, plan: ReducePlan): void {
  const what = `${plan.node.op} ${plan.output}`;
  const kept = plan.shape.map((dim, axis) => (plan.reduced[axis] ? 1 : dim));
  const reducedDims = plan.shape.map((dim, axis) => (plan.reduced[axis] ? dim : 1));
  const uniforms: Record<string, Dim> = {
    count: plan.outputSize,
    reduced_count: plan.count,
    ...rankValues('dim', padLeft(kept, MAX_RANK, 1, what)),
    ...rankValues('kept_stride', padLeft(plan.strides, MAX_RANK, 0, what)),
    ...rankValues('reduced_dim', padLeft(reducedDims, MAX_RANK, 1, what)),
    ...rankValues('reduced_stride', padLeft(plan.strides, MAX_RANK, 0, what)),
  };
  const kernel = reduceKernel({ name: plan.name, definition: plan.definition, element: deviceElement(plan.dtype) });
  const buffers = { x: lowering.buffer(plan.input), y: lowering.buffer(plan.output) };
  lowering.call(kernel, plan.node, { buffers, uniforms }, flatLaunch(plan.outputSize, FLAT_WORKGROUP));
}
