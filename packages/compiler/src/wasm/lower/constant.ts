/**
 * Lowering Constant: its tensor becomes a weight (the program builder reads
 * `value` tensors as constants), so no kernel runs. The other value
 * attributes are folded into initializers by the default pipeline's
 * constant folding; without it they are rejected.
 */
import type { LoweringContext } from '../lowering-context.js';
import { unsupported } from './common.js';

/** Lowers a Constant node to a weight buffer. */
export function lowerConstant(ctx: LoweringContext): void {
  const output = ctx.node.outputs[0];
  if (!ctx.program.constant(output)) {
    throw unsupported(ctx, "only Constant nodes with a 'value' tensor are lowered; run the fold-constants pass for the others", output);
  }
  ctx.program.buffer(output);
}
