/**
 * Emitting the CBAM plan: one call of the fused kernel (kernels/cbam.ts)
 * with the weights as buffers, the maps written when the node outputs
 * them, and one scratch per thread for the pooled vectors, gates and statistics
 * planes; split over images.
 */
import type { CbamPlan } from '../../lower/plans/cbam.js';
import { cbamKernel, cbamScratchFloats } from '../kernels/cbam.js';
import type { CbamKernelConfig } from '../kernels/cbam-config.js';
import { cbamSplit } from '../../lower/split.js';
import { bufferArg, type WasmLowering } from '../lowering.js';

/** Emits CBAM. */
export function emitCbam(lowering: WasmLowering, plan: CbamPlan): void {
  const { channel, spatial } = plan;
  const values = [plan.x, channel?.w1, channel?.b1, channel?.w2, channel?.b2, spatial?.weight, spatial?.bias];
  for (const value of values) if (value) lowering.expectDType(plan.node, value, ['f32']);
  const config: CbamKernelConfig = {
    channels: plan.channels,
    height: plan.height,
    width: plan.width,
    hidden: channel?.hidden ?? 0,
    kernel: spatial?.kernel ?? 0,
    hasB1: Boolean(channel?.b1),
    hasB2: Boolean(channel?.b2),
    hasSpatialBias: Boolean(spatial?.bias),
    writeChannelMap: Boolean(plan.channelMap),
    writeSpatialMap: Boolean(plan.spatialMap),
    gate: plan.gate,
  };
  const pointer = (value: string | undefined) => (value ? bufferArg(lowering, value) : { int: 0 });
  const scratch = lowering.program.scratch('cbam_scratch', 'f32', [Math.max(1, cbamScratchFloats(config))], true);
  lowering.call(cbamKernel(config), plan.node, {
    x: bufferArg(lowering, plan.x),
    w1: pointer(channel?.w1),
    b1: pointer(channel?.b1),
    w2: pointer(channel?.w2),
    b2: pointer(channel?.b2),
    ws: pointer(spatial?.weight),
    bs: pointer(spatial?.bias),
    y: bufferArg(lowering, plan.y),
    channelMap: pointer(plan.channelMap),
    spatialMap: pointer(plan.spatialMap),
    scratch: { buffer: scratch },
    batch: { dim: plan.batch },
  }, cbamSplit(plan));
}
