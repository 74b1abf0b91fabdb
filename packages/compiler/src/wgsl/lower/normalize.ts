/**
 * Emitting LayerNormalization / RMSNormalization and Softmax / LogSoftmax
 * plans with the row kernels: one workgroup per row. Scale and B are read
 * at `k % count`, so a trailing part of a row repeated along the leading
 * normalised dims works too; the Mean and InvStdDev outputs are written
 * when the node has them.
 */
import { mulDims, type Dim } from '@ladon/ir';
import type { ChannelNormPlan } from '../../lower/plans/channel-norm.js';
import type { LayerNormPlan, SoftmaxPlan } from '../../lower/plans/normalize.js';
import { deviceElement } from '../elements.js';
import { channelApplyKernel, channelStatsKernel } from '../kernels/channel-norm.js';
import { FLAT_WORKGROUP } from '../kernels/flat.js';
import { layerNormKernel } from '../kernels/layer-norm.js';
import { softmaxKernel } from '../kernels/softmax.js';
import { flatLaunch, type WgslLowering } from '../lowering.js';

/** Emits LayerNormalization (with its optional Mean / InvStdDev) or RMSNormalization. */
export function emitLayerNorm(lowering: WgslLowering, plan: LayerNormPlan): void {
  const buffers: Record<string, number> = { x: lowering.buffer(plan.input), scale: lowering.buffer(plan.scale.value), y: lowering.buffer(plan.output) };
  if (plan.mean) buffers.mean_out = lowering.buffer(plan.mean);
  if (plan.invStdDev) buffers.inv_std_out = lowering.buffer(plan.invStdDev);
  const uniforms: Record<string, string | number> = { rows: plan.rows, size: plan.size, scale_count: plan.scale.count, epsilon: plan.epsilon };
  if (plan.bias) {
    buffers.bias = lowering.buffer(plan.bias.value);
    uniforms.bias_count = plan.bias.count;
  }
  const element = deviceElement(lowering.graph.typeOf(plan.input).dtype);
  const spec = { element, center: plan.center, bias: Boolean(plan.bias), writeMean: Boolean(plan.mean), writeInvStd: Boolean(plan.invStdDev) };
  lowering.call(layerNormKernel(spec), plan.node, { buffers, uniforms }, flatLaunch(plan.rows, 1));
}

/** Emits Softmax or LogSoftmax along any axis (rows = outer · inner). */
export function emitSoftmax(lowering: WgslLowering, plan: SoftmaxPlan): void {
  const rows = mulDims(plan.outer, plan.inner);
  const buffers = { x: lowering.buffer(plan.input), y: lowering.buffer(plan.output) };
  const uniforms = { rows, axis_length: plan.length, inner: plan.inner };
  lowering.call(softmaxKernel(deviceElement(lowering.graph.typeOf(plan.input).dtype), plan.log), plan.node, { buffers, uniforms }, flatLaunch(rows, 1));
}

/** Emits BatchNormalization (computed statistics or training mode), InstanceNormalization and GroupNormalization. */
export function emitChannelNorm(lowering: WgslLowering, plan: ChannelNormPlan): void {
  for (const value of [plan.x, plan.scale, plan.bias]) {
    if (lowering.graph.typeOf(value).dtype !== 'f32') throw unsupported(plan.node, `${plan.node.op} on ${lowering.graph.typeOf(value).dtype} (f32 only)`, value);
  }
  const groupsTotal: Dim = plan.statistics === 'groups' ? mulDims(plan.batch, plan.groups) : plan.channels;
  const stats = lowering.program.scratch('channel_norm_stats', 'f32', [mulDims(groupsTotal, 2)]);
  const running = Boolean(plan.runningMean || plan.runningVariance);
  const statsBuffers: Record<string, number> = { x: lowering.buffer(plan.x), stats };
  if (plan.statistics !== 'groups') Object.assign(statsBuffers, { given_mean: lowering.buffer(plan.mean), given_variance: lowering.buffer(plan.variance) });
  if (running) {
    const scratch = (name: string) => lowering.program.scratch(name, 'f32', [plan.channels]);
    Object.assign(statsBuffers, { running_mean: plan.runningMean ? lowering.buffer(plan.runningMean) : scratch('unused_running_mean'), running_variance: plan.runningVariance ? lowering.buffer(plan.runningVariance) : scratch('unused_running_variance') });
  }
  const perGroup = plan.channels / plan.groups;
  const statsUniforms = { count: groupsTotal, batch: plan.batch, channels: plan.channels, per_group: perGroup, plane: plan.plane, epsilon: plan.epsilon };
  lowering.call(channelStatsKernel(plan.statistics, running, plan.momentum), plan.node, { buffers: statsBuffers, uniforms: statsUniforms }, flatLaunch(groupsTotal, FLAT_WORKGROUP));
  const count = mulDims(mulDims(plan.batch, plan.channels), plan.plane);
  const buffers = { x: lowering.buffer(plan.x), stats, scale: lowering.buffer(plan.scale), bias: lowering.buffer(plan.bias), y: lowering.buffer(plan.y) };
  const uniforms = { count, channels: plan.channels, per_group: perGroup, plane: plan.plane };
  lowering.call(channelApplyKernel(plan.statistics, plan.perGroupParameters), plan.node, { buffers, uniforms }, flatLaunch(count, FLAT_WORKGROUP));
}
