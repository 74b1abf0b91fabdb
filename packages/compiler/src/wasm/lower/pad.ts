/**
 * Emitting pad plans (Pad, Tile) with the pad kernel: the rank, element
 * size and mode are baked in; sizes and leading pads are step arguments.
 */
import { dtypeSize, type StepArg } from '@ladon/ir';
import type { PadPlan } from '../../lower/plans/pad.js';
import { padKernel } from '../kernels/pad.js';
import { bufferArg, unsupported, type WasmLowering } from '../lowering.js';

const MAX_PAD_RANK = 8;

/** Emits a pad plan. */
export function emitPad(lowering: WasmLowering, plan: PadPlan): void {
  const rank = plan.axes.length;
  if (rank > MAX_PAD_RANK) throw unsupported(plan.node, `the pad needs ${rank} independent axes (at most ${MAX_PAD_RANK})`);
  const { value } = plan;
  const args: Record<string, StepArg> = { in: bufferArg(lowering, plan.input), out: bufferArg(lowering, plan.output) };
  if (value !== undefined) args.value = { buffer: typeof value === 'string' ? lowering.buffer(value) : lowering.program.derivedWeight(`${plan.output}_pad_value`, value) };
  plan.axes.forEach((axis, index) => {
    args[`d${index}`] = { dim: axis.output };
    args[`n${index}`] = { dim: axis.input };
    args[`b${index}`] = { dim: axis.begin };
  });
  lowering.call(padKernel({ rank, elementBytes: dtypeSize(plan.dtype), mode: plan.mode, withValue: value !== undefined }), plan.node, args);
}
