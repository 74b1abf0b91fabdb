/** Emitting RotaryEmbedding plans with the rotary kernel, one invocation per output element. */
import { productOfDims } from '@ladon/ir';
import type { RotaryPlan } from '../../lower/plans/rotary.js';
import { deviceElement } from '../elements.js';
import { FLAT_WORKGROUP } from '../kernels/flat.js';
import { rotaryKernel } from '../kernels/rotary.js';
import { flatLaunch, type WgslLowering } from '../lowering.js';

/** Emits one RotaryEmbedding. */
export function emitRotary(lowering: WgslLowering, plan: RotaryPlan): void {
  const count = productOfDims([plan.batch, plan.heads, plan.sequence, plan.headSize]);
  const buffers: Record<string, number> = { x: lowering.buffer(plan.input), cos_cache: lowering.buffer(plan.cos), sin_cache: lowering.buffer(plan.sin), y: lowering.buffer(plan.output) };
  if (plan.positions) buffers.positions = lowering.buffer(plan.positions);
  const [strideB, strideH, strideS] = plan.strides;
  const uniforms = { count, heads: plan.heads, sequence: plan.sequence, head_size: plan.headSize, stride_b: strideB, stride_h: strideH, stride_s: strideS, cache_rows: plan.cacheRows };
  const kernel = rotaryKernel({ element: deviceElement(lowering.graph.typeOf(plan.input).dtype), rotaryDim: plan.rotaryDim, interleaved: plan.interleaved, positionIds: plan.positionIds });
  lowering.call(kernel, plan.node, { buffers, uniforms }, flatLaunch(count, FLAT_WORKGROUP));
}
