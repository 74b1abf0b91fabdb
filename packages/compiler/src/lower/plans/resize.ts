/**
 * Resize plans: the IR's separable taps (ops/resize-taps.ts) as one
 * resampling step per resized axis, each
 * `y[outer, o, inner] = Σ_j weights[o, j] · x[outer, indices[o, j], inner] + constants[o]`
 * (constants[o] is the extrapolation value where tf_crop_and_resize leaves
 * the input, whose weights are then 0). The tables are compile-time data;
 * roi, scales and sizes must therefore be known when compiling: fed ones
 * raise a RuntimeValueError, so a session compiles per value. A Resize that changes
 * nothing is a view.
 */
import { mulDims, productOfDims, resizeInputs, resizeTaps, type Dim, type Node } from '@ladon/ir';
import type { PlanContext } from './plan-context.js';
import type { ViewPlan } from './view.js';

/** One resampling step along one axis. */
export interface ResampleStep {
  readonly outer: Dim;
  readonly input: number;
  readonly output: number;
  readonly inner: Dim;
  /** Taps per output index. */
  readonly width: number;
  readonly indices: Int32Array;
  readonly weights: Float32Array;
  readonly constants: Float32Array;
}

/** The plan of one Resize: its steps in order (intermediate results go to scratch). */
export interface ResizePlan {
  readonly kind: 'resize';
  readonly node: Node;
  readonly x: string;
  readonly y: string;
  readonly steps: readonly ResampleStep[];
}

/** Plans Resize. */
export function planResize(ctx: PlanContext): ResizePlan | ViewPlan {
  const x = ctx.node.inputs[0];
  const y = ctx.node.outputs[0];
  // fed roi/scales/sizes: a RuntimeValueError, so a session compiles per value
  const constant = (slot: number, role: string) => (ctx.node.inputs[slot] ? ctx.requireConstant(slot, role) : undefined);
  const shape = ctx.shape(x);
  const numbers = shape.map((dim) => ctx.staticDim(dim, 'every input dim of Resize'));
  const taps = resizeTaps(ctx.infer, numbers, resizeInputs(constant(1, 'roi'), constant(2, 'scales'), constant(3, 'sizes')));
  if (taps.axes.length === 0) return { kind: 'view', node: ctx.node, input: x, output: y };
  const current: Dim[] = [...shape];
  const steps = taps.axes.map((axis): ResampleStep => {
    const constants = Float32Array.from(axis.extrapolate, (flag) => (flag ? taps.extrapolationValue : 0));
    const weights = Float32Array.from(axis.weights, (weight, index) => (axis.extrapolate[Math.floor(index / axis.width)] ? 0 : weight));
    const step = { outer: productOfDims(current.slice(0, axis.axis)), input: axis.input, output: axis.output, inner: productOfDims(current.slice(axis.axis + 1)), width: axis.width, indices: axis.indices, weights, constants };
    current[axis.axis] = axis.output;
    return step;
  });
  return { kind: 'resize', node: ctx.node, x, y, steps };
}

/** Elements of the result of every step but the last (the scratch the emitters allocate). */
export function intermediateSizes(plan: ResizePlan): Dim[] {
  return plan.steps.slice(0, -1).map((step) => mulDims(mulDims(step.outer, step.output), step.inner));
}
