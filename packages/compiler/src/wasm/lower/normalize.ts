/**
 * Emitting LayerNormalization / RMSNormalization and Softmax / LogSoftmax
 * plans on f32. The LayerNorm kernel bakes in epsilon, the centring and how
 * Scale and B cover a row (whole rows, one value, or a trailing part
 * repeated, whose length is an argument); Softmax runs row-wise when inner
 * is 1, else on [outer, length, inner]. LayerNorm splits over blocks of
 * rows (lower/split.ts).
 */
import type { StepArg } from '@ladon/ir';
import type { LayerNormPlan, SoftmaxPlan } from '../../lower/plans/normalize.js';
import { normalizationSplit } from '../../lower/split.js';
import { layerNormKernel } from '../kernels/layer-norm.js';
import { softmaxColumnsKernel, softmaxRowsKernel } from '../kernels/softmax.js';
import { bufferArg, type WasmLowering } from '../lowering.js';

/** Emits LayerNormalization or RMSNormalization (and LayerNorm's optional Mean / InvStdDev outputs). */
export function emitLayerNorm(lowering: WasmLowering, plan: LayerNormPlan): void {
  for (const value of [plan.input, plan.scale.value, plan.bias?.value ?? '']) if (value) lowering.expectDType(plan.node, value, ['f32']);
  const kernel = layerNormKernel({
    center: plan.center,
    epsilon: plan.epsilon,
    scale: plan.scale.coverage,
    bias: plan.bias ? plan.bias.coverage : 'none',
    writeMean: Boolean(plan.mean),
    writeInvStd: Boolean(plan.invStdDev),
  });
  const pointer = (value: string) => (value ? bufferArg(lowering, value) : { int: 0 });
  const counts: Record<string, StepArg> = {};
  if (plan.scale.coverage === 'trailing') counts.scaleCount = { dim: plan.scale.count };
  if (plan.bias?.coverage === 'trailing') counts.biasCount = { dim: plan.bias.count };
  lowering.call(kernel, plan.node, {
    ...counts,
    x: bufferArg(lowering, plan.input),
    scale: bufferArg(lowering, plan.scale.value),
    bias: pointer(plan.bias?.value ?? ''),
    y: bufferArg(lowering, plan.output),
    mean: pointer(plan.mean),
    invStd: pointer(plan.invStdDev),
    rows: { dim: plan.rows },
    size: { dim: plan.size },
  }, normalizationSplit(plan));
}

/** Emits Softmax or LogSoftmax along any axis. */
export function emitSoftmax(lowering: WasmLowering, plan: SoftmaxPlan): void {
  lowering.expectDType(plan.node, plan.input, ['f32']);
  const [x, y] = [bufferArg(lowering, plan.input), bufferArg(lowering, plan.output)];
  if (plan.inner === 1) {
    lowering.call(softmaxRowsKernel(plan.log), plan.node, { x, y, rows: { dim: plan.outer }, length: { dim: plan.length } });
    return;
  }
  lowering.call(softmaxColumnsKernel(plan.log), plan.node, { x, y, outer: { dim: plan.outer }, length: { dim: plan.length }, inner: { dim: plan.inner } });
}
