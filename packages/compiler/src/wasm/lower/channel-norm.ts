/**
 * Emitting channel-normalisation plans (BatchNormalization with computed
 * statistics or in training mode, InstanceNormalization,
 * GroupNormalization) with the one wasm kernel of kernels/channel-norm.ts.
 */
import type { ChannelNormPlan } from '../../lower/plans/channel-norm.js';
import { channelNormKernel } from '../kernels/channel-norm.js';
import { bufferArg, type WasmLowering } from '../lowering.js';

/** Emits BatchNormalization (computed statistics or training mode), InstanceNormalization and GroupNormalization. */
export function emitChannelNorm(lowering: WasmLowering, plan: ChannelNormPlan): void {
  for (const value of [plan.x, plan.scale, plan.bias, plan.mean, plan.variance]) if (value) lowering.expectDType(plan.node, value, ['f32']);
  const pointer = (value: string) => (value ? bufferArg(lowering, value) : { int: 0 });
  const kernel = channelNormKernel({
    statistics: plan.statistics,
    channels: plan.channels,
    groups: plan.groups,
    epsilon: plan.epsilon,
    momentum: plan.momentum,
    perGroupParameters: plan.perGroupParameters,
    runningMean: Boolean(plan.runningMean),
    runningVariance: Boolean(plan.runningVariance),
  });
  lowering.call(kernel, plan.node, {
    x: bufferArg(lowering, plan.x),
    scale: bufferArg(lowering, plan.scale),
    bias: bufferArg(lowering, plan.bias),
    mean: pointer(plan.mean),
    variance: pointer(plan.variance),
    y: bufferArg(lowering, plan.y),
    runningMean: pointer(plan.runningMean),
    runningVariance: pointer(plan.runningVariance),
    batch: { dim: plan.batch },
    plane: { dim: plan.plane },
  });
}
