/**
 * Dropout plans. In inference (no training flag, or false) and with a
 * ratio of 0 the output is a view of the input and the mask a fill of
 * `true`. In training mode with a ratio above 0, a dropout kernel keeps
 * element i when the hash of (seed, i) reaches the ratio's threshold and
 * scales it by 1 / (1 - ratio) — the reference interpreter's mask
 * (`dropoutHash`, `dropoutThreshold`), bit for bit. The flag and the ratio
 * decide which plans these are, so they must be constants: a session from
 * a graph specialises on them when they are fed.
 */
import { dropoutThreshold, numericValues, productOfDims, tensor, type Dim, type Node } from '@ladon/ir';
import type { FillPlan } from './indexing.js';
import type { PlanContext } from './plan-context.js';
import type { ViewPlan } from './view.js';

/** Training-mode Dropout: out[i] = keep(i) ? x[i] · scale : 0 with keep(i) = hash(seed, i) >= threshold (unsigned). */
export interface DropoutPlan {
  readonly kind: 'dropout';
  readonly node: Node;
  readonly input: string;
  readonly output: string;
  /** The bool mask output, when the node has one. */
  readonly mask?: string;
  readonly count: Dim;
  /** The seed as an unsigned 32-bit integer. */
  readonly seed: number;
  readonly threshold: number;
  readonly scale: number;
}

/** The ONNX default ratio. */
const DEFAULT_RATIO = 0.5;

/** Plans Dropout: a view (and a fill of the mask) unless it drops elements, else a dropout kernel. */
export function planDropout(ctx: PlanContext): (ViewPlan | FillPlan | DropoutPlan)[] {
  const [data, ratioInput, training] = ctx.node.inputs;
  const [output, mask] = ctx.node.outputs;
  const trainingMode = training ? numericValues(ctx.requireConstant(2, 'training_mode'))[0] !== 0 : false;
  const ratio = trainingMode ? (ratioInput ? numericValues(ctx.requireConstant(1, 'ratio'))[0] : DEFAULT_RATIO) : 0;
  if (ratio > 0) {
    if (ctx.dtype(data) !== 'f32') throw ctx.unsupported(`training-mode Dropout of ${ctx.dtype(data)} data (f32 only)`, data);
    const seed = (ctx.infer.optionalInt('seed') ?? 0) >>> 0;
    const count = productOfDims(ctx.shape(data));
    return [{ kind: 'dropout', node: ctx.node, input: data, output, ...(mask ? { mask } : {}), count, seed, threshold: dropoutThreshold(ratio), scale: 1 / (1 - ratio) }];
  }
  const plans: (ViewPlan | FillPlan)[] = [{ kind: 'view', node: ctx.node, input: data, output }];
  if (mask) plans.push({ kind: 'fill', node: ctx.node, output: mask, value: tensor('bool', [1], [true]), count: productOfDims(ctx.shape(mask)) });
  return plans;
}
