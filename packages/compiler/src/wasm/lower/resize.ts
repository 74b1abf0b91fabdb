/**
 * Emitting Resize plans: one resampling kernel call per resized axis, the
 * tap tables as weights of the program, intermediate results in scratch.
 */
import type { ResizePlan } from '../../lower/plans/resize.js';
import { intermediateSizes } from '../../lower/plans/resize.js';
import { resampleKernel } from '../kernels/resample.js';
import { bufferArg, type WasmLowering } from '../lowering.js';

/** Emits Resize. */
export function emitResize(lowering: WasmLowering, plan: ResizePlan): void {
  lowering.expectDType(plan.node, plan.x, ['f32']);
  const { program } = lowering;
  const scratch = intermediateSizes(plan).map((size, index) => program.scratch(`resize_step${index}`, 'f32', [size]));
  plan.steps.forEach((step, index) => {
    const table = (what: string, data: Int32Array | Float32Array) =>
      ({ buffer: program.derivedWeight(`${plan.y}:resize${index}-${what}`, { dtype: data instanceof Int32Array ? 'i32' : 'f32', shape: [data.length], data }) });
    lowering.call(resampleKernel(step.input, step.output, step.width), plan.node, {
      x: index === 0 ? bufferArg(lowering, plan.x) : { buffer: scratch[index - 1] },
      y: index === plan.steps.length - 1 ? bufferArg(lowering, plan.y) : { buffer: scratch[index] },
      indices: table('indices', step.indices),
      weights: table('weights', step.weights),
      constants: table('constants', step.constants),
      outer: { dim: step.outer },
      inner: { dim: step.inner },
    });
  });
}
