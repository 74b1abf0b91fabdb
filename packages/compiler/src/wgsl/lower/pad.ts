/**
 * Emitting pad plans (Pad, Tile) with the pad kernel: one shader per
 * element type, mode and value source; sizes, leading pads and input
 * strides are uniforms (up to six axes after the plan merged the rest).
 */
import { mulDims, productOfDims, type Dim } from '@ladon/ir';
import type { PadPlan } from '../../lower/plans/pad.js';
import { copyElement, padLeft } from '../elements.js';
import { FLAT_WORKGROUP, MAX_RANK, rankValues } from '../kernels/flat.js';
import { padKernel } from '../kernels/pad.js';
import { flatLaunch, type WgslLowering } from '../lowering.js';

/** Emits a pad plan. */
export function emitPad(lowering: WgslLowering, plan: PadPlan): void {
  const what = `the pad for ${plan.node.op} ${plan.output}`;
  const inputs = plan.axes.map((axis) => axis.input);
  const strides: Dim[] = [];
  let stride: Dim = 1;
  for (let axis = inputs.length - 1; axis >= 0; axis--) {
    strides.unshift(stride);
    stride = mulDims(stride, inputs[axis]);
  }
  const outputs = plan.axes.map((axis) => axis.output);
  const count = productOfDims(outputs);
  const uniforms = {
    count,
    ...rankValues('dim', padLeft(outputs, MAX_RANK, 1, what)),
    ...rankValues('in_dim', padLeft(inputs, MAX_RANK, 1, what)),
    ...rankValues('begin', padLeft(plan.axes.map((axis) => axis.begin), MAX_RANK, 0, what)),
    ...rankValues('in_stride', padLeft(strides, MAX_RANK, 0, what)),
  };
  const { value } = plan;
  const buffers: Record<string, number> = { x: lowering.buffer(plan.input) };
  if (value !== undefined) buffers.value = typeof value === 'string' ? lowering.buffer(value) : lowering.program.derivedWeight(`${plan.output}_pad_value`, value);
  buffers.y = lowering.buffer(plan.output);
  const kernel = padKernel(copyElement(plan.dtype), plan.mode, value !== undefined);
  lowering.call(kernel, plan.node, { buffers, uniforms }, flatLaunch(count, FLAT_WORKGROUP));
}
