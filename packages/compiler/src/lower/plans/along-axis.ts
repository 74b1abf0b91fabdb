/**
 * Plans of the ops that work along one axis of an [outer, length, inner]
 * view, each line independently:
 *
 * - `select` (TopK, ArgMax, ArgMin): the k best elements of each line, best
 *   first, and their indices. An element is better than another when it is
 *   larger (`largest`) or smaller; among equal elements the first index
 *   wins (`ties: 'first'`, TopK and ArgMax/ArgMin) or the last one
 *   (`ties: 'last'`, `select_last_index`). ArgMax/ArgMin are k = 1 with no
 *   values output.
 * - `scan` (CumSum): running sums, forwards or backwards, inclusive or
 *   exclusive.
 *
 * The axis comes from an attribute (TopK, ArgMax, ArgMin) or from CumSum's
 * `axis` input, which must be known when the program is compiled; TopK's k
 * is the output's size along the axis (a symbol the runtime binds when K
 * arrives with the feeds).
 */
import { cumSumAxis, normalizeAxis, productOfDims, readArgExtreme, readCumSumFlags, readTopK, type Dim, type DType, type Node } from '@ladon/ir';
import type { PlanContext } from './plan-context.js';

/** A line layout: `outer` lines of `length` elements `inner` apart, `inner` of them per outer index. */
export interface LineLayout {
  readonly outer: Dim;
  readonly length: Dim;
  readonly inner: Dim;
}

/** The k best elements of each line, and their indices (i64). */
export interface SelectPlan extends LineLayout {
  readonly kind: 'select';
  readonly node: Node;
  readonly input: string;
  readonly dtype: DType;
  /** The values output ('' when the op has none: ArgMax, ArgMin). */
  readonly values: string;
  readonly indices: string;
  readonly k: Dim;
  readonly largest: boolean;
  readonly ties: 'first' | 'last';
}

/** Running sums along each line. */
export interface ScanPlan extends LineLayout {
  readonly kind: 'scan';
  readonly node: Node;
  readonly input: string;
  readonly output: string;
  readonly dtype: DType;
  readonly exclusive: boolean;
  readonly reverse: boolean;
}

function lineLayout(shape: readonly Dim[], axis: number): LineLayout {
  return { outer: productOfDims(shape.slice(0, axis)), length: shape[axis], inner: productOfDims(shape.slice(axis + 1)) };
}

/** Plans TopK. */
export function planTopK(ctx: PlanContext): SelectPlan {
  const [input] = ctx.node.inputs;
  const [values, indices] = ctx.node.outputs;
  const shape = ctx.shape(input);
  const { axis, largest } = readTopK(ctx.infer, shape.length);
  const k = ctx.shape(values || indices)[axis];
  return { kind: 'select', node: ctx.node, input, dtype: ctx.dtype(input), values: values ?? '', indices: indices ?? '', k, largest, ties: 'first', ...lineLayout(shape, axis) };
}

/** Plans ArgMax / ArgMin: the best element's index, k = 1. */
export function planArgExtreme(ctx: PlanContext): SelectPlan {
  const [input] = ctx.node.inputs;
  const shape = ctx.shape(input);
  const { axis, lastIndex } = readArgExtreme(ctx.infer, shape.length);
  const layout = lineLayout(shape, axis);
  if (layout.length === 0) throw ctx.unsupported(`the axis ${axis} has size 0, so there is no element to pick`, input);
  return { kind: 'select', node: ctx.node, input, dtype: ctx.dtype(input), values: '', indices: ctx.node.outputs[0], k: 1, largest: ctx.node.op === 'ArgMax', ties: lastIndex ? 'last' : 'first', ...layout };
}

/** Plans CumSum along its (compile-time) axis. */
export function planCumSum(ctx: PlanContext): ScanPlan {
  const [input] = ctx.node.inputs;
  let axis = cumSumAxis(ctx.infer);
  if (axis === undefined) {
    const [raw] = ctx.requireStaticNumbers(1, 'axis');
    axis = normalizeAxis(raw, ctx.shape(input).length);
  }
  const { exclusive, reverse } = readCumSumFlags(ctx.infer);
  return { kind: 'scan', node: ctx.node, input, output: ctx.node.outputs[0], dtype: ctx.dtype(input), exclusive, reverse, ...lineLayout(ctx.shape(input), axis) };
}
