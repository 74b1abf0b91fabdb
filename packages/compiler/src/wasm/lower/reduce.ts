/**
 * Emitting reduce plans: an f32 reduction combined lane-wise over a
 * contiguous reduced block runs the vectorised row kernel ([rows, length])
 * or column kernel ([outer, length, inner]); everything else (integers,
 * bools, scattered axes, the max-shifted log-sum-exp) runs the general
 * kernel, one output element at a time (f16 in f32 stand-ins).
 */
import type { StepArg } from '@ladon/ir';
import type { ReducePlan } from '../../lower/plans/reduce.js';
import { reduceColumnsKernel, reduceGeneralKernel, reduceRowsKernel, rendersGeneral, vectorizes, type ReduceKernelOp } from '../kernels/reduce.js';
import { bufferArg, unsupported, type WasmLowering } from '../lowering.js';

/** Emits one Reduce* node. */
export function emitReduce(lowering: WasmLowering, plan: ReducePlan): void {
  const { node, block, definition } = plan;
  const dtype = lowering.expectDType(node, plan.input, ['f32', 'i32', 'i64', 'bool']);
  const op: ReduceKernelOp = { name: `${plan.name}_${dtype}`, definition };
  const [x, y] = [bufferArg(lowering, plan.input), bufferArg(lowering, plan.output)];
  if (block && vectorizes(definition)) {
    if (block.inner === 1) lowering.call(reduceRowsKernel(op), node, { x, y, rows: { dim: block.outer }, length: { dim: block.length } });
    else lowering.call(reduceColumnsKernel(op), node, { x, y, outer: { dim: block.outer }, length: { dim: block.length }, inner: { dim: block.inner } });
    return;
  }
  if (!rendersGeneral(definition)) throw unsupported(node, `no wasm kernel reduces ${dtype} with ${node.op}`, plan.input);
  const axes = plan.shape.map((_, axis) => axis);
  const kept = axes.filter((axis) => !plan.reduced[axis]);
  const reduced = axes.filter((axis) => plan.reduced[axis]);
  const args: Record<string, StepArg> = { x, y, count: { dim: plan.count } };
  kept.forEach((axis, index) => Object.assign(args, { [`k${index}`]: { dim: plan.shape[axis] }, [`ks${index}`]: { dim: plan.strides[axis] } }));
  reduced.forEach((axis, index) => Object.assign(args, { [`r${index}`]: { dim: plan.shape[axis] }, [`rs${index}`]: { dim: plan.strides[axis] } }));
  lowering.call(reduceGeneralKernel(op, kept.length, reduced.length), node, args);
}
