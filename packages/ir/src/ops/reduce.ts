/**
 * The shared definition of ReduceSum and ReduceMean. Both ONNX forms are
 * accepted: the `axes` ints attribute (ReduceSum <= 11, ReduceMean <= 17)
 * and the optional second input `axes` (i64 1-D; ReduceSum 13, ReduceMean
 * 18), never both. `keepdims` (default 1) keeps reduced axes as size 1;
 * empty or absent axes reduce every axis, unless `noop_with_empty_axes` is
 * set, in which case the input passes through unchanged.
 */
import { UNKNOWN_DIM, type Dim } from '../dim.js';
import type { DType } from '../dtype.js';
import type { EvalContext, InferContext, OpContext, OpDef } from '../op-def.js';
import { formatShape, normalizeAxis, shapeSize, stridesOf } from '../shape.js';
import { fromNumbers } from '../tensor.js';
import { intValues, numericValues } from './kernel-utils.js';

/** What distinguishes one reduction from another. */
export interface ReduceSpec {
  /** The op type, e.g. `ReduceSum`. */
  readonly name: string;
  /** One line: what the op computes. */
  readonly summary: string;
  /** Accepted input dtypes. */
  readonly types: readonly DType[];
  /** Turns the sum of `count` elements into the result (`isInt`: the dtype is an integer). */
  readonly finish: (sum: number, count: number, isInt: boolean) => number;
}

/** Normalises and checks raw axes; returns the sorted, de-duplicated axes or throws. */
function checkAxes(ctx: OpContext, raw: readonly number[], rank: number, source: string): number[] {
  const location = { node: ctx.label, op: ctx.node.op };
  const seen = new Set<number>();
  for (const axis of raw) {
    const normalized = normalizeAxis(axis, rank, location, `${source} entry`);
    if (seen.has(normalized)) ctx.failShape(`${source} ${formatShape(raw)} names axis ${normalized} twice`);
    seen.add(normalized);
  }
  return [...seen].sort((a, b) => a - b);
}

/** The raw axes for inference: from the attribute, the input's known contents, or undefined when not static. */
function staticAxes(ctx: InferContext): { raw: readonly number[]; source: string } | undefined {
  const attrAxes = ctx.ints('axes');
  if (!ctx.has(1)) return { raw: attrAxes ?? [], source: "attribute 'axes'" };
  if (attrAxes !== undefined) ctx.failAttr(`axes are given both as attribute and as input ${ctx.inputRef(1)}; use one`);
  ctx.expectDType(1, ['i64']);
  const type = ctx.expectRank(1, [1]);
  const source = `axes ${ctx.inputRef(1)}`;
  const constant = ctx.constant(1);
  const known = ctx.known(1) ?? (constant ? intValues(constant) : undefined);
  if (known === undefined) return type.shape[0] === 0 ? { raw: [], source } : undefined;
  const raw: number[] = [];
  for (const dim of known) {
    if (typeof dim !== 'number') return undefined;
    raw.push(dim);
  }
  return { raw, source };
}

/** The output shape of a reduction over `axes` (empty = all axes, or none with `noop`). */
function reducedShape<T extends Dim>(shape: readonly T[], axes: readonly number[], keepdims: boolean, noop: boolean): T[] {
  if (axes.length === 0 && noop) return [...shape];
  const all = axes.length === 0;
  const out: T[] = [];
  shape.forEach((dim, axis) => {
    if (all || axes.includes(axis)) {
      if (keepdims) out.push(1 as T);
    } else out.push(dim);
  });
  return out;
}

/** Sums `values` of `shape` over `reduced` axes into a keepdims-shaped buffer. */
function sumOver(values: ArrayLike<number>, shape: readonly number[], reduced: readonly boolean[]): Float64Array {
  const rank = shape.length;
  const keptShape = shape.map((dim, axis) => (reduced[axis] ? 1 : dim));
  const keptStrides = stridesOf(keptShape).map((stride, axis) => (reduced[axis] ? 0 : stride));
  const sums = new Float64Array(shapeSize(keptShape));
  const index = new Array<number>(rank).fill(0);
  let position = 0;
  for (let flat = 0; flat < values.length; flat++) {
    sums[position] += values[flat];
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]++;
      position += keptStrides[axis];
      if (index[axis] < shape[axis]) break;
      position -= keptStrides[axis] * index[axis];
      index[axis] = 0;
    }
  }
  return sums;
}

/**
 * The axes a reduction node reduces, known at compile time: normalised,
 * de-duplicated (a repeat is a ShapeError) and sorted, every axis when the
 * axes are empty, or `'identity'` when they are empty and
 * `noop_with_empty_axes` is set (the input passes through). Undefined when
 * the axes input's contents are not known statically.
 */
export function reducedAxes(ctx: InferContext): number[] | 'identity' | undefined {
  const axes = staticAxes(ctx);
  if (!axes) return undefined;
  const rank = ctx.type(0).shape.length;
  const normalized = checkAxes(ctx, axes.raw, rank, axes.source);
  if (normalized.length > 0) return normalized;
  return ctx.int('noop_with_empty_axes') !== 0 ? 'identity' : Array.from({ length: rank }, (_, axis) => axis);
}

/** Builds the OpDef of one reduction. */
export function defineReduce(spec: ReduceSpec): OpDef {
  return {
    name: spec.name,
    summary: spec.summary,
    inputs: [{ name: 'data' }, { name: 'axes', optional: true, static: true }],
    outputs: [{ name: 'reduced' }],
    attributes: {
      axes: { type: 'ints' },
      keepdims: { type: 'int', default: 1 },
      noop_with_empty_axes: { type: 'int', default: 0 },
    },
    infer(ctx) {
      const dtype = ctx.expectDType(0, spec.types);
      const shape = ctx.type(0).shape;
      const keepdims = ctx.int('keepdims') !== 0;
      const noop = ctx.int('noop_with_empty_axes') !== 0;
      const axes = staticAxes(ctx);
      if (!axes) {
        if (keepdims) return [{ dtype, shape: shape.map((): Dim => UNKNOWN_DIM) }];
        return ctx.failShape(
          `the contents of axes ${ctx.inputRef(1)} are not known statically, so with keepdims=0 the output rank is unknown`,
          ctx.node.inputs[1],
        );
      }
      const normalized = checkAxes(ctx, axes.raw, shape.length, axes.source);
      return [{ dtype, shape: reducedShape(shape, normalized, keepdims, noop) }];
    },
    evaluate(ctx: EvalContext) {
      const input = ctx.input(0);
      const axesInput = ctx.optionalInput(1);
      const attrAxes = ctx.ints('axes');
      if (axesInput && attrAxes !== undefined) ctx.failAttr(`axes are given both as attribute and as input ${ctx.inputRef(1)}; use one`);
      const raw = axesInput ? intValues(axesInput) : (attrAxes ?? []);
      const source = axesInput ? `axes ${ctx.inputRef(1)}` : "attribute 'axes'";
      const axes = checkAxes(ctx, raw, input.shape.length, source);
      const keepdims = ctx.int('keepdims') !== 0;
      const noop = ctx.int('noop_with_empty_axes') !== 0;
      if (axes.length === 0 && noop) return [input];
      const reduced = input.shape.map((_, axis) => axes.length === 0 || axes.includes(axis));
      const count = shapeSize(input.shape.filter((_, axis) => reduced[axis]));
      const sums = sumOver(numericValues(input), input.shape, reduced);
      const isInt = input.dtype === 'i32' || input.dtype === 'i64';
      for (let i = 0; i < sums.length; i++) sums[i] = spec.finish(sums[i], count, isInt);
      return [fromNumbers(input.dtype, reducedShape(input.shape, axes, keepdims, noop), sums)];
    },
  };
}
