/**
 * Reduce plans (every Reduce* op): what each output element computes — the
 * op's reduction trait for the input's compute type (map, combine, finish
 * as scalar expressions; see @ladon/ir op-def.ts) — the reduced axes by the
 * IR's own reader (normalised, checked, sorted; all axes when empty; the
 * identity with `noop_with_empty_axes`), then the layout a backend may use:
 * when the reduced axes of size > 1 form one block, [outer, length, inner]
 * (rows when inner is 1); always the general form of per-axis sizes and
 * the output's element stride along each input axis (0 on reduced axes).
 */
import { getOpDef, productOfDims, reducedAxes, scalar, type Dim, type DType, type Node, type ReductionDefinition } from '@ladon/ir';
import type { PlanContext } from './plan-context.js';
import type { ViewPlan } from './view.js';
import { contiguousStrides } from './strides.js';

/** The reduced block as [outer, length, inner] (rows when inner is 1). */
export interface ReduceBlock {
  readonly outer: Dim;
  readonly length: Dim;
  readonly inner: Dim;
}

/** The plan of one reduction. */
export interface ReducePlan {
  readonly kind: 'reduce';
  readonly node: Node;
  /** The kernel's name part: the op without `Reduce`, in lower case (`sum`, `logsumexp`). */
  readonly name: string;
  /** What each output element computes, for the input's compute type. */
  readonly definition: ReductionDefinition;
  /** The input's (and output's) dtype. */
  readonly dtype: DType;
  readonly input: string;
  readonly output: string;
  /** The input shape and, per axis, whether it is reduced. */
  readonly shape: readonly Dim[];
  readonly reduced: readonly boolean[];
  /** The input's row-major element strides. */
  readonly strides: readonly Dim[];
  /** The output's element stride along each input axis (0 on reduced axes). */
  readonly outputStrides: readonly Dim[];
  /** Elements summed per output element, and output elements. */
  readonly count: Dim;
  readonly outputSize: Dim;
  /** Present when the reduced axes of size > 1 are contiguous. */
  readonly block?: ReduceBlock;
}

/** Plans a Reduce* node. */
export function planReduce(ctx: PlanContext): ReducePlan | ViewPlan {
  const [x] = ctx.node.inputs;
  const y = ctx.node.outputs[0];
  const axes = reducedAxes(ctx.infer);
  if (axes === undefined) {
    ctx.requireStaticInts(1, 'axes');
    throw ctx.unsupported(`the axes %${ctx.node.inputs[1]} must be plain numbers at compile time`, ctx.node.inputs[1]);
  }
  if (axes === 'identity') return { kind: 'view', node: ctx.node, input: x, output: y };
  const shape = ctx.shape(x);
  const reduced = shape.map((_, axis) => axes.includes(axis));
  const block = reducedBlock(shape, reduced);
  return {
    kind: 'reduce',
    node: ctx.node,
    name: ctx.node.op.replace(/^Reduce/, '').toLowerCase(),
    definition: getOpDef(ctx.node.op).reduction!.define(scalar.scalarTypeOf(ctx.dtype(x))),
    dtype: ctx.dtype(x),
    input: x,
    output: y,
    shape,
    reduced,
    strides: contiguousStrides(shape),
    outputStrides: keptStrides(shape, reduced),
    count: productOfDims(shape.filter((_, axis) => reduced[axis])),
    outputSize: productOfDims(shape.filter((_, axis) => !reduced[axis])),
    ...(block ? { block } : {}),
  };
}

/** [outer, length, inner] when the reduced axes of size > 1 are contiguous (an empty reduction is a block of length 1). */
function reducedBlock(shape: readonly Dim[], reduced: readonly boolean[]): ReduceBlock | undefined {
  const significant = shape.map((_, axis) => axis).filter((axis) => reduced[axis] && shape[axis] !== 1);
  const [first, last] = significant.length === 0 ? [shape.length, shape.length - 1] : [significant[0], significant[significant.length - 1]];
  for (let axis = first; axis <= last; axis++) if (!reduced[axis] && shape[axis] !== 1) return undefined;
  return { outer: productOfDims(shape.slice(0, first)), length: productOfDims(shape.slice(first, last + 1)), inner: productOfDims(shape.slice(last + 1)) };
}

function keptStrides(shape: readonly Dim[], reduced: readonly boolean[]): Dim[] {
  const strides: Dim[] = new Array<Dim>(shape.length).fill(0);
  let stride: Dim = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    if (reduced[axis]) continue;
    strides[axis] = stride;
    stride = productOfDims([stride, shape[axis]]);
  }
  return strides;
}
