/**
 * The shared definition of the Reduce* ops. Both ONNX forms are accepted:
 * the `axes` ints attribute (opset <= 17, ReduceSum <= 11) and the optional
 * second input `axes` (i64 1-D; opset 18, ReduceSum 13), never both.
 * `keepdims` (default 1) keeps reduced axes as size 1; empty or absent axes
 * reduce every axis, unless `noop_with_empty_axes` is set, in which case
 * the input passes through unchanged.
 *
 * What a reduction computes is its {@link ReductionTrait}: scalar
 * expressions for each element's contribution and for the result, and an
 * associative combine (see op-def.ts). The reference semantics below
 * evaluate exactly those (in f64 for floats, rounded once), and the
 * compiler's backends render them.
 */
import { UNKNOWN_DIM, type Dim } from '../dim.js';
import type { DType } from '../dtype.js';
import type { EvalContext, InferContext, OpContext, OpDef, ReductionCombine, ReductionDefinition, ReductionTrait } from '../op-def.js';
import { compileScalarExpr, floatToI32, floatToI64, type ScalarValue } from '../scalar/evaluate.js';
import { binaryExpr, input, scalarTypeOf, type ScalarType } from '../scalar/expr.js';
import { formatShape, normalizeAxis, shapeSize } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { scalarValues, tensorOfValues } from './elementwise.js';
import { broadcastIndexMap, intValues } from './kernel-utils.js';

/** What distinguishes one reduction from another. */
export interface ReduceSpec extends ReductionTrait {
  /** The op type, e.g. `ReduceSum`. */
  readonly name: string;
  /** One line: what the op computes. */
  readonly summary: string;
  /** Accepted input dtypes. */
  readonly types: readonly DType[];
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
  const known = ctx.known(1) ?? (ctx.constant(1) ? intValues(ctx.constant(1)!) : undefined);
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

/** The output type when the axes' contents are not known: unknown sizes, and the rank when the axes' count is static. */
function unknownAxesShape(ctx: InferContext, rank: number, keepdims: boolean): Dim[] {
  if (keepdims) return new Array<Dim>(rank).fill(UNKNOWN_DIM);
  const count = ctx.type(1).shape[0];
  if (typeof count === 'number' && count > 0 && count <= rank) return new Array<Dim>(rank - count).fill(UNKNOWN_DIM);
  return ctx.failShape(
    `the contents of axes ${ctx.inputRef(1)} are not known statically and their count is ${count}, so with keepdims=0 the output rank is unknown`,
    ctx.node.inputs[1],
  );
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

const IDENTITIES: Readonly<Record<ReductionCombine, number>> = { add: 0, mul: 1, max: -Infinity, min: Infinity, and: 1, or: 0 };

/** The value `combine` starts from in `type`: ±Infinity for max and min on floats, the type's extremes on integers (an i64 as a BigInt). */
export function combineIdentity(combine: ReductionCombine, type: ScalarType): ScalarValue {
  const value = IDENTITIES[combine];
  if (type === 'i64') return floatToI64(value);
  return type === 'i32' ? floatToI32(value) : value;
}

/** For each flat input index, the flat index of its output element (the output has the kept axes, in order). */
function outputSlots(shape: readonly number[], reduced: readonly boolean[]): Int32Array {
  return broadcastIndexMap(shape, shape.map((dim, axis) => (reduced[axis] ? 1 : dim)));
}

/** Per output element, the shift `shiftByMax` subtracts: the set's maximum, or 0 when that is not finite. */
function maxShifts(values: ArrayLike<ScalarValue>, slots: Int32Array, outputs: number): number[] {
  const maxima = new Array<number>(outputs).fill(-Infinity);
  for (let flat = 0; flat < slots.length; flat++) {
    const value = values[flat] as number;
    maxima[slots[flat]] = Number.isNaN(value) || Number.isNaN(maxima[slots[flat]]) ? NaN : Math.max(maxima[slots[flat]], value);
  }
  return maxima.map((value) => (Number.isFinite(value) ? value : 0));
}

/** The reference semantics of one reduction over the `reduced` axes: one value per output element (keepdims layout). */
export function reduceValues(definition: ReductionDefinition, x: Tensor, reduced: readonly boolean[]): ScalarValue[] {
  const accumulatorType = definition.accumulator;
  const map = compileScalarExpr(definition.map);
  const combine = compileScalarExpr(binaryExpr(definition.combine, input(0, accumulatorType), input(1, accumulatorType)));
  const finish = compileScalarExpr(definition.finish);
  const wide = (value: number): ScalarValue => (accumulatorType === 'i64' ? BigInt(value) : value);
  const slots = outputSlots(x.shape, reduced);
  const outputs = shapeSize(x.shape.filter((_, axis) => !reduced[axis]));
  const values = scalarValues(x);
  const shifts = definition.shiftByMax ? maxShifts(values, slots, outputs) : undefined;
  const accumulators = new Array<ScalarValue>(outputs).fill(combineIdentity(definition.combine, accumulatorType));
  for (let flat = 0; flat < slots.length; flat++) {
    const slot = slots[flat];
    const value = shifts ? (values[flat] as number) - shifts[slot] : values[flat];
    accumulators[slot] = combine([accumulators[slot], map([value])]);
  }
  const count = wide(shapeSize(x.shape.filter((_, axis) => reduced[axis])));
  return accumulators.map((accumulator, slot) => {
    const result = finish([accumulator, count]);
    return shifts ? (result as number) + shifts[slot] : result;
  });
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
    reduction: { define: spec.define },
    infer(ctx) {
      const dtype = ctx.expectDType(0, spec.types);
      const shape = ctx.type(0).shape;
      const keepdims = ctx.int('keepdims') !== 0;
      const noop = ctx.int('noop_with_empty_axes') !== 0;
      const axes = staticAxes(ctx);
      if (!axes) return [{ dtype, shape: unknownAxesShape(ctx, shape.length, keepdims) }];
      const normalized = checkAxes(ctx, axes.raw, shape.length, axes.source);
      return [{ dtype, shape: reducedShape(shape, normalized, keepdims, noop) }];
    },
    evaluate(ctx: EvalContext) {
      const x = ctx.input(0);
      const axesInput = ctx.optionalInput(1);
      const attrAxes = ctx.ints('axes');
      if (axesInput && attrAxes !== undefined) ctx.failAttr(`axes are given both as attribute and as input ${ctx.inputRef(1)}; use one`);
      const raw = axesInput ? intValues(axesInput) : (attrAxes ?? []);
      const source = axesInput ? `axes ${ctx.inputRef(1)}` : "attribute 'axes'";
      const axes = checkAxes(ctx, raw, x.shape.length, source);
      const keepdims = ctx.int('keepdims') !== 0;
      const noop = ctx.int('noop_with_empty_axes') !== 0;
      if (axes.length === 0 && noop) return [x];
      const reduced = x.shape.map((_, axis) => axes.length === 0 || axes.includes(axis));
      const values = reduceValues(spec.define(scalarTypeOf(x.dtype)), x, reduced);
      return [tensorOfValues(x.dtype, reducedShape(x.shape, axes, keepdims, noop), values)];
    },
  };
}
