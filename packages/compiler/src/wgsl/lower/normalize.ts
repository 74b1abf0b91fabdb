/**
 * Emitting LayerNormalization / RMSNormalization and Softmax / LogSoftmax
 * plans with the row kernels: one workgroup per row. Scale and B are read
 * at `k % count`, so a trailing part of a row repeated along the leading
 * normalised dims works too; the Mean and InvStdDev outputs are written
 * when the node has them.
 */
import { mulDims } from '@ladon/ir';
import type { LayerNormPlan, SoftmaxPlan } from '../../lower/plans/normalize.js';
import { deviceElement } from '../elements.js';
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
