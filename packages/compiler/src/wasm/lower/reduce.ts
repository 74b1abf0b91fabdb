/**
 * Emitting reduce plans on f32: a contiguous reduced block runs the row
 * kernel ([rows, length]) or the column kernel ([outer, length, inner]);
 * scattered axes run the general kernel (rank <= 6).
 */
import type { StepArg } from '@ladon/ir';
import type { ReducePlan } from '../../lower/plans/reduce.js';
import { reduceColumnsKernel, reduceGeneralKernel, reduceRowsKernel } from '../kernels/reduce.js';
import { bufferArg, unsupported, type WasmLowering } from '../lowering.js';

/** Emits ReduceSum / ReduceMean. */
export function emitReduce(lowering: WasmLowering, plan: ReducePlan): void {
  const { node, block } = plan;
  lowering.expectDType(node, plan.input, ['f32']);
  const [x, y] = [bufferArg(lowering, plan.input), bufferArg(lowering, plan.output)];
  if (block && block.inner === 1) {
    lowering.call(reduceRowsKernel(plan.reduce), node, { x, y, rows: { dim: block.outer }, length: { dim: block.length } });
    return;
  }
  if (block) {
    lowering.call(reduceColumnsKernel(plan.reduce), node, { x, y, outer: { dim: block.outer }, length: { dim: block.length }, inner: { dim: block.inner } });
    return;
  }
  const rank = plan.shape.length;
  if (rank > 6) throw unsupported(node, `reducing a rank-${rank} tensor over scattered axes (at most rank 6)`);
  const args: Record<string, StepArg> = { x, y, count: { dim: plan.count }, outSize: { dim: plan.outputSize } };
  plan.shape.forEach((dim, axis) => {
    args[`d${axis}`] = { dim };
    args[`o${axis}`] = { dim: plan.outputStrides[axis] };
  });
  lowering.call(reduceGeneralKernel(plan.reduce, rank), node, args);
}
