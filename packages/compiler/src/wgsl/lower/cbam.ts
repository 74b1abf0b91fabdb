/**
 * Emitting the CBAM plan with the five CBAM kernels (kernels/cbam.ts): the
 * pooled vectors, channel gates, statistics and spatial gates go to
 * scratch, or to the node's map outputs when it has them.
 */
import { mulDims, type Dim } from '@ladon/ir';
import type { CbamPlan } from '../../lower/plans/cbam.js';
import { cbamApplyKernel, cbamChannelGatesKernel, cbamPoolKernel, cbamSpatialGatesKernel, cbamSpatialStatsKernel, type CbamVariant } from '../kernels/cbam.js';
import { FLAT_WORKGROUP } from '../kernels/flat.js';
import { flatLaunch, unsupported, type WgslLowering } from '../lowering.js';

/** Emits CBAM. */
export function emitCbam(lowering: WgslLowering, plan: CbamPlan): void {
  if (lowering.graph.typeOf(plan.x).dtype !== 'f32') throw unsupported(plan.node, 'CBAM on a non-f32 feature map', plan.x);
  const { channel, spatial } = plan;
  const { program } = lowering;
  const variant: CbamVariant = { channel: Boolean(channel), spatial: Boolean(spatial), b1: Boolean(channel?.b1), b2: Boolean(channel?.b2), spatialBias: Boolean(spatial?.bias) };
  const plane = plan.height * plan.width;
  const perChannel: Dim = mulDims(plan.batch, plan.channels);
  const perPixel: Dim = mulDims(plan.batch, plane);
  const uniforms = (count: Dim) => ({ count, channels: plan.channels, hidden: channel?.hidden ?? 0, height: plan.height, width: plan.width, kernel: spatial?.kernel ?? 0 });
  const call = (kernel: Parameters<WgslLowering['call']>[0], buffers: Record<string, number>, count: Dim) => lowering.call(kernel, plan.node, { buffers, uniforms: uniforms(count) }, flatLaunch(count, FLAT_WORKGROUP));
  const x = lowering.buffer(plan.x);
  const buffers: Record<string, number> = { x };
  if (channel) {
    const pooled = program.scratch('cbam_pooled', 'f32', [mulDims(perChannel, 2)]);
    call(cbamPoolKernel(), { x, pooled }, perChannel);
    buffers.ca = plan.channelMap ? lowering.buffer(plan.channelMap) : program.scratch('cbam_channel_gates', 'f32', [perChannel]);
    const mlp: Record<string, number> = { pooled, w1: lowering.buffer(channel.w1), w2: lowering.buffer(channel.w2), ca: buffers.ca };
    if (channel.b1) mlp.b1 = lowering.buffer(channel.b1);
    if (channel.b2) mlp.b2 = lowering.buffer(channel.b2);
    call(cbamChannelGatesKernel(variant, plan.gate), mlp, perChannel);
  }
  if (spatial) {
    const stats = program.scratch('cbam_stats', 'f32', [mulDims(perPixel, 2)]);
    call(cbamSpatialStatsKernel(variant), { x, ...(channel ? { ca: buffers.ca } : {}), stats }, perPixel);
    buffers.sa = plan.spatialMap ? lowering.buffer(plan.spatialMap) : program.scratch('cbam_spatial_gates', 'f32', [perPixel]);
    const conv: Record<string, number> = { stats, ws: lowering.buffer(spatial.weight), sa: buffers.sa };
    if (spatial.bias) conv.bs = lowering.buffer(spatial.bias);
    call(cbamSpatialGatesKernel(variant, plan.gate), conv, perPixel);
  }
  call(cbamApplyKernel(variant), { ...buffers, y: lowering.buffer(plan.y) }, mulDims(perChannel, plane));
}
