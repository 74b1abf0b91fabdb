/** Emitting RotaryEmbedding plans on f32 with the rotary kernel. */
import type { RotaryPlan } from '../../lower/plans/rotary.js';
import { rotaryKernel } from '../kernels/rotary.js';
import { bufferArg, type WasmLowering } from '../lowering.js';

/** Emits one RotaryEmbedding. */
export function emitRotary(lowering: WasmLowering, plan: RotaryPlan): void {
  for (const value of [plan.input, plan.cos, plan.sin]) lowering.expectDType(plan.node, value, ['f32']);
  const kernel = rotaryKernel({ rotaryDim: plan.rotaryDim, interleaved: plan.interleaved, positionIds: plan.positionIds });
  const [strideB, strideH, strideS] = plan.strides;
  lowering.call(kernel, plan.node, {
    x: bufferArg(lowering, plan.input),
    cos: bufferArg(lowering, plan.cos),
    sin: bufferArg(lowering, plan.sin),
    positions: plan.positions ? bufferArg(lowering, plan.positions) : { int: 0 },
    y: bufferArg(lowering, plan.output),
    batch: { dim: plan.batch },
    heads: { dim: plan.heads },
    sequence: { dim: plan.sequence },
    headSize: { dim: plan.headSize },
    strideB: { dim: strideB },
    strideH: { dim: strideH },
    strideS: { dim: strideS },
    cacheRows: { dim: plan.cacheRows },
  });
}
