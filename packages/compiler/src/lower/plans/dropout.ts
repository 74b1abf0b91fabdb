/**
 * Dropout plans: in inference (no training flag, or false) and with a ratio
 * of 0 the output is a view of the input and the mask a fill of `true`.
 * Training mode with a ratio above 0 draws a random mask, which compiled
 * programs do not (the reference interpreter does, seeded). The flag and
 * the ratio decide which plans these are, so they must be constants: a
 * session from a graph specialises on them when they are fed.
 */
import { numericValues, productOfDims, tensor } from '@ladon/ir';
import type { FillPlan } from './indexing.js';
import type { PlanContext } from './plan-context.js';
import type { ViewPlan } from './view.js';

/** Plans Dropout as a view (and a fill of the mask, when the node has one). */
export function planDropout(ctx: PlanContext): (ViewPlan | FillPlan)[] {
  const [data, ratio, training] = ctx.node.inputs;
  const [output, mask] = ctx.node.outputs;
  const trainingMode = training ? numericValues(ctx.requireConstant(2, 'training_mode'))[0] !== 0 : false;
  if (trainingMode && ratio && numericValues(ctx.requireConstant(1, 'ratio'))[0] > 0) {
    throw ctx.unsupported('training-mode Dropout with a ratio above 0 draws a random mask; compiled programs run Dropout in inference mode or with ratio 0');
  }
  if (trainingMode && !ratio) throw ctx.unsupported('training-mode Dropout with the default ratio 0.5 draws a random mask; compiled programs run Dropout in inference mode or with ratio 0');
  const plans: (ViewPlan | FillPlan)[] = [{ kind: 'view', node: ctx.node, input: data, output }];
  if (mask) plans.push({ kind: 'fill', node: ctx.node, output: mask, value: tensor('bool', [1], [true]), count: productOfDims(ctx.shape(mask)) });
  return plans;
}
