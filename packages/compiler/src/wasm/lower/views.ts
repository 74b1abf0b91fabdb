/**
 * Ops that only reinterpret bytes (Reshape, Squeeze, Unsqueeze, Identity)
 * become views: the output buffer aliases the input's, no kernel runs.
 */
import type { LoweringContext } from '../lowering-context.js';

/** Lowers a view op: output 0 aliases input 0. */
export function lowerView(ctx: LoweringContext): void {
  ctx.program.alias(ctx.node.outputs[0], ctx.node.inputs[0]);
}
