/**
 * Emitting Resize plans: one resampling kernel call per resized axis, the
 * tap tables as weights of the program, intermediate results in scratch.
 */
import { mulDims } from '@ladon/ir';
import { intermediateSizes, type ResizePlan } from '../../lower/plans/resize.js';
import { FLAT_WORKGROUP } from '../kernels/flat.js';
import { resampleKernel } from '../kernels/resample.js';
import { flatLaunch, unsupported, type WgslLowering } from '../lowering.js';

/** Emits Resize. */
export function emitResize(lowering: WgslLowering, plan: ResizePlan): void {
  if (lowering.graph.typeOf(plan.x).dtype !== 'f32') throw unsupported(plan.node, `Resize on ${lowering.graph.typeOf(plan.x).dtype} (f32 only)`, plan.x);
  const { program } = lowering;
  const scratch = intermediateSizes(plan).map((size, index) => program.scratch(`resize_step${index}`, 'f32', [size]));
  plan.steps.forEach((step, index) => {
    const table = (what: string, data: Int32Array | Float32Array) => program.derivedWeight(`${plan.y}:resize${index}-${what}`, { dtype: data instanceof Int32Array ? 'i32' : 'f32', shape: [data.length], data });
    const buffers = {
      x: index === 0 ? lowering.buffer(plan.x) : scratch[index - 1],
      indices: table('indices', step.indices),
      weights: table('weights', step.weights),
      constants: table('constants', step.constants),
      y: index === plan.steps.length - 1 ? lowering.buffer(plan.y) : scratch[index],
    };
    const count = mulDims(mulDims(step.outer, step.output), step.inner);
    const uniforms = { count, input: step.input, output: step.output, inner: step.inner, width: step.width };
    lowering.call(resampleKernel(), plan.node, { buffers, uniforms }, flatLaunch(count, FLAT_WORKGROUP));
  });
}
