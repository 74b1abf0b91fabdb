/**
 * Plans of the ops that compute positions or constant values: Gather
 * (entries along an axis picked by run-time indices), OneHot, Range, Trilu
 * and ConstantOfShape. Their control inputs (Range's scalars, Trilu's k, the
 * target shape) are read at compile time, so sizes may stay symbolic
 * (`seq`) but never depend on tensor data.
 */
import { normalizeAxis, oneHotAxis, productOfDims, rangeLength, staticScalar, tensor, type Dim, type DType, type Node, type Tensor } from '@ladon/ir';
import type { PlanContext } from './plan-context.js';

/** Gather: data viewed as [outer, axisSize, inner], indices flattened to `count`, output [outer, count, inner]. */
export interface GatherPlan {
  readonly kind: 'gather';
  readonly node: Node;
  readonly data: string;
  readonly indices: string;
  readonly output: string;
  readonly outer: Dim;
  readonly axisSize: Dim;
  readonly count: Dim;
  readonly inner: Dim;
}

/**
 * Range: output[i] = start + i · delta for `count` elements. Integer start
 * and delta are dims (numbers, or symbols the host binds when they are fed);
 * f32 ones are numbers when known at compile time; otherwise (and for f16)
 * `operands` names the one-element tensors a kernel reads them from.
 */
export interface RangePlan {
  readonly kind: 'range';
  readonly node: Node;
  readonly output: string;
  readonly dtype: DType;
  readonly start: Dim;
  readonly delta: Dim;
  readonly count: Dim;
  readonly operands?: { readonly start: string; readonly delta: string };
}

/** Trilu: per trailing [rows, cols] matrix keep (r, c) when c - r >= k (upper) or <= k (lower), else 0. */
export interface TriluPlan {
  readonly kind: 'trilu';
  readonly node: Node;
  readonly input: string;
  readonly output: string;
  readonly upper: boolean;
  readonly k: Dim;
  readonly matrices: Dim;
  readonly rows: Dim;
  readonly cols: Dim;
}

/** ConstantOfShape: `count` copies of one value. */
export interface FillPlan {
  readonly kind: 'fill';
  readonly node: Node;
  readonly output: string;
  /** A one-element tensor of the output's dtype. */
  readonly value: Tensor;
  readonly count: Dim;
}

/** OneHot: output [outer, depth, inner]; element (o, j, i) is values[1] when indices[o, i] picks j, else values[0]. */
export interface OneHotPlan {
  readonly kind: 'one-hot';
  readonly node: Node;
  readonly indices: string;
  readonly values: string;
  readonly output: string;
  readonly outer: Dim;
  readonly depth: Dim;
  readonly inner: Dim;
}

/** Plans OneHot (the depth is the output's size along the new axis: a symbol the host binds when it is fed). */
export function planOneHot(ctx: PlanContext): OneHotPlan {
  const [indices, , values] = ctx.node.inputs;
  const output = ctx.node.outputs[0];
  const shape = ctx.shape(indices);
  const axis = oneHotAxis(ctx.infer, shape.length);
  return {
    kind: 'one-hot',
    node: ctx.node,
    indices,
    values,
    output,
    outer: productOfDims(shape.slice(0, axis)),
    depth: ctx.shape(output)[axis],
    inner: productOfDims(shape.slice(axis)),
  };
}

/** Plans Gather along its axis. */
export function planGather(ctx: PlanContext): GatherPlan {
  const [data, indices] = ctx.node.inputs;
  const shape = ctx.shape(data);
  const axis = normalizeAxis(ctx.infer.int('axis'), shape.length);
  return {
    kind: 'gather',
    node: ctx.node,
    data,
    indices,
    output: ctx.node.outputs[0],
    outer: productOfDims(shape.slice(0, axis)),
    axisSize: shape[axis],
    count: productOfDims(ctx.shape(indices)),
    inner: productOfDims(shape.slice(axis + 1)),
  };
}

/** Plans Range (the length from the output's type, which the host binds when the operands are fed). */
export function planRange(ctx: PlanContext): RangePlan {
  const output = ctx.node.outputs[0];
  const dtype = ctx.dtype(output);
  const [start, limit, delta] = [0, 1, 2].map((slot) => staticScalar(ctx.infer, slot));
  let [count] = ctx.shape(output);
  if (count === '?') {
    if (typeof start !== 'number' || typeof limit !== 'number' || typeof delta !== 'number') throw ctx.unsupported('the length of the range is not known', output);
    count = rangeLength(start, limit, delta);
  }
  const plan = { kind: 'range', node: ctx.node, output, dtype, count } as const;
  if (dtype === 'i32' || dtype === 'i64') return { ...plan, start: ctx.runtimeInts(0, 'start')![0], delta: ctx.runtimeInts(2, 'delta')![0] };
  if (dtype === 'f32' && typeof start === 'number' && typeof delta === 'number') return { ...plan, start, delta };
  const [startValue, , deltaValue] = ctx.node.inputs;
  return { ...plan, start: 0, delta: 0, operands: { start: startValue, delta: deltaValue } };
}

/** Plans Trilu (k default 0; when it arrives at run time, a symbol the host binds to its value). */
export function planTrilu(ctx: PlanContext): TriluPlan {
  const [x, k = ''] = ctx.node.inputs;
  const shape = ctx.shape(x);
  return {
    kind: 'trilu',
    node: ctx.node,
    input: x,
    output: ctx.node.outputs[0],
    upper: ctx.infer.int('upper') === 1,
    k: k ? ctx.runtimeInts(1, 'k')![0] : 0,
    matrices: productOfDims(shape.slice(0, -2)),
    rows: shape[shape.length - 2],
    cols: shape[shape.length - 1],
  };
}

/** Plans ConstantOfShape (the size comes from the output's possibly symbolic shape; the value defaults to f32 0). */
export function planFill(ctx: PlanContext): FillPlan {
  const output = ctx.node.outputs[0];
  return {
    kind: 'fill',
    node: ctx.node,
    output,
    value: ctx.infer.tensor('value') ?? tensor('f32', [1], [0]),
    count: productOfDims(ctx.shape(output)),
  };
}
