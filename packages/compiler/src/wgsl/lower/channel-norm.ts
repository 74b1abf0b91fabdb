/**
 * Emitting channel-normalisation plans with the WGSL statistics and apply
 * kernels of kernels/channel-norm.ts (statistics in a scratch buffer).
 */
import { mulDims, type Dim } from '@ladon/ir';
import type { ChannelNormPlan } from '../../lower/plans/channel-norm.js';
import { channelApplyKernel, channelStatsKernel } from '../kernels/channel-norm.js';
import { FLAT_WORKGROUP } from '../kernels/flat.js';
import { flatLaunch, unsupported, type WgslLowering } from '../lowering.js';

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
