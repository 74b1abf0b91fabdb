/**
 * Element-wise plans: the op applied to every element of its inputs
 * broadcast together (see broadcast.ts for the layout).
 */
import type { DType, Node } from '@ladon/ir';
import { broadcastLayout, type BroadcastLayout } from './broadcast.js';
import type { PlanContext } from './plan-context.js';
import type { ViewPlan } from './view.js';

/** The plan of one element-wise node. */
export interface ElementwisePlan {
  readonly kind: 'elementwise';
  readonly node: Node;
  readonly inputs: readonly string[];
  readonly inputTypes: readonly DType[];
  readonly output: string;
  readonly outputType: DType;
  readonly layout: BroadcastLayout;
}

/** Plans an element-wise node on all its inputs (a Cast to the same dtype is a view). */
export function planElementwise(ctx: PlanContext): ElementwisePlan | ViewPlan {
  const inputs = ctx.node.inputs;
  const output = ctx.node.outputs[0];
  const inputTypes = inputs.map((value) => ctx.dtype(value));
  const outputType = ctx.dtype(output);
  if (ctx.node.op === 'Cast' && inputTypes[0] === outputType) return { kind: 'view', node: ctx.node, input: inputs[0], output };
  const layout = broadcastLayout(inputs.map((value) => ctx.shape(value)), ctx.shape(output));
  return { kind: 'elementwise', node: ctx.node, inputs, inputTypes, output, outputType, layout };
}
