/**
 * View plans: an output that is its input's bytes under another shape
 * (ops with the `view` trait: Reshape, Squeeze, Unsqueeze, Identity; a
 * reduction over no axes; a Cast to the same dtype). No kernel runs.
 */
import type { Node } from '@ladon/ir';
import type { PlanContext } from './plan-context.js';

/** `output` aliases `input`'s buffer. */
export interface ViewPlan {
  readonly kind: 'view';
  readonly node: Node;
  readonly input: string;
  readonly output: string;
}

/** Plans a view op: output 0 is input 0. */
export function planView(ctx: PlanContext): ViewPlan {
  return { kind: 'view', node: ctx.node, input: ctx.node.inputs[0], output: ctx.node.outputs[0] };
}
