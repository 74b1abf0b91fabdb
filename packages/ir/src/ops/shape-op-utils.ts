/**
 * Helpers shared by the shape and data-movement ops (Transpose, Slice,
 * Gather, Concat, ...): reading integer inputs statically (from constants or
 * symbolically known values) and copying raw elements of any dtype without
 * converting them (f16 bits, i64 BigInts and bools are moved as stored).
 */
import type { Dim } from '../dim.js';
import { allocData, type DType, type TensorData } from '../dtype.js';
import type { ErrorLocation } from '../errors.js';
import type { EvalContext, InferContext, OpContext } from '../op-def.js';
import { formatType, normalizeAxis, type TensorType } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { intValues } from './kernel-utils.js';

/** The largest number of elements whose contents are tracked symbolically (as in `knownFromTensor`). */
export const MAX_KNOWN_ELEMENTS = 64;

/** Values at or beyond this magnitude in Slice starts/ends mean "to the end" (INT32_MAX, INT64_MAX, ...). */
export const HUGE_INDEX = 2 ** 31 - 1;

/** The error location of the node behind `ctx`, for helpers such as `normalizeAxis`. */
export function opLocation(ctx: OpContext): ErrorLocation {
  return { node: ctx.label, op: ctx.node.op };
}

/** The known contents of input `index` when every entry is a plain number (symbols do not count). */
export function knownNumbers(ctx: InferContext, index: number): number[] | undefined {
  if (!ctx.has(index)) return undefined;
  const known = ctx.known(index);
  if (!known || !known.every((dim): dim is number => typeof dim === 'number')) return undefined;
  return known as number[];
}

/** Requires input `index` to be an integer tensor of rank 1 (or one of `ranks`) with one of `dtypes`. */
export function expectIntInput(
  ctx: InferContext,
  index: number,
  dtypes: readonly DType[] = ['i64'],
  ranks: readonly number[] = [1],
): TensorType {
  ctx.expectDType(index, dtypes);
  return ctx.expectRank(index, ranks);
}

/**
 * The statically known integer contents of input `index`, or a ShapeError
 * saying the op needs them (`what` names the role, e.g. "axes").
 */
export function requireKnownInts(ctx: InferContext, index: number, what: string): number[] {
  const values = knownNumbers(ctx, index);
  if (values) return values;
  const known = ctx.known(index);
  const detail = known ? `its contents [${known.join(', ')}] are symbolic` : `${formatType(ctx.type(index))} is not a constant`;
  return ctx.failShape(`${what} ${ctx.inputRef(index)} must be known statically, but ${detail}`, ctx.node.inputs[index]);
}

/** Raw element access to a typed array of any dtype. */
interface RawArray {
  readonly length: number;
  [index: number]: number | bigint;
  set(array: ArrayLike<number | bigint>, offset?: number): void;
  subarray(begin?: number, end?: number): RawArray;
}

function raw(data: TensorData): RawArray {
  return data as unknown as RawArray;
}

/** A tensor of `shape` whose element `i` is `source` element `sourceIndex[i]` (raw copy, any dtype). */
export function takeElements(source: Tensor, shape: readonly number[], sourceIndex: ArrayLike<number>): Tensor {
  const data = allocData(source.dtype, sourceIndex.length);
  const out = raw(data);
  const src = raw(source.data);
  for (let i = 0; i < sourceIndex.length; i++) out[i] = src[sourceIndex[i]];
  return { dtype: source.dtype, shape: [...shape], data };
}

/** Copies `length` raw elements from `source` at `sourceOffset` into `target` at `targetOffset`. */
export function copyElements(target: TensorData, targetOffset: number, source: TensorData, sourceOffset: number, length: number): void {
  if (length <= 0) return;
  raw(target).set(raw(source).subarray(sourceOffset, sourceOffset + length), targetOffset);
}

/** A tensor of `shape` (`size` elements) with every element equal to element 0 of `value` (raw copy). */
export function fillElements(value: Tensor, shape: readonly number[], size: number): Tensor {
  const data = allocData(value.dtype, size);
  const out = raw(data);
  const element = raw(value.data)[0];
  for (let i = 0; i < size; i++) out[i] = element;
  return { dtype: value.dtype, shape: [...shape], data };
}

/** The product of the concrete dims `shape[from..to)`. */
export function productOf(shape: readonly number[], from = 0, to = shape.length): number {
  let size = 1;
  for (let axis = from; axis < to; axis++) size *= shape[axis];
  return size;
}

/** Normalises an index into a dim of `size` (negative counts from the end); undefined when out of range. */
export function wrapIndex(index: number, size: number): number | undefined {
  const wrapped = index < 0 ? index + size : index;
  return wrapped >= 0 && wrapped < size ? wrapped : undefined;
}

/** The contents of `known` as a Dim list if it holds at most {@link MAX_KNOWN_ELEMENTS} entries. */
export function smallKnown(values: readonly Dim[] | undefined): readonly Dim[] | undefined {
  return values && values.length <= MAX_KNOWN_ELEMENTS ? values : undefined;
}

/** Axes that arrive at run time: only how many there are is known (a number when the input's length is static). */
export interface RuntimeAxes {
  readonly count: Dim;
}

/**
 * The `axes` of Squeeze/Unsqueeze at inference: the second input or, for
 * opset < 13 exports, the `axes` attribute; {@link RuntimeAxes} when the
 * input's contents are not known statically; undefined when neither is given.
 */
export function inferAxesOperand(ctx: InferContext): number[] | RuntimeAxes | undefined {
  if (ctx.has(1)) {
    if (ctx.hasAttr('axes')) return ctx.failAttr(`axes are given both as input ${ctx.inputRef(1)} and as an attribute; give one`);
    const type = expectIntInput(ctx, 1, ['i64'], [0, 1]);
    const known = knownNumbers(ctx, 1);
    if (known) return known;
    return { count: type.shape.length === 0 ? 1 : type.shape[0] };
  }
  const attr = ctx.ints('axes');
  return attr ? [...attr] : undefined;
}

/** The `axes` of Squeeze/Unsqueeze at evaluation (input 1, else the `axes` attribute, else undefined). */
export function evalAxesOperand(ctx: EvalContext): number[] | undefined {
  const input = ctx.optionalInput(1);
  if (input) return intValues(input);
  const attr = ctx.ints('axes');
  return attr ? [...attr] : undefined;
}

/** Normalises `axes` against `rank` (ShapeError when out of range or repeated); `what` names the operand. */
export function normalizeAxes(ctx: OpContext, axes: readonly number[], rank: number, what: string): number[] {
  const out: number[] = [];
  for (const axis of axes) {
    const normalized = normalizeAxis(axis, rank, opLocation(ctx), `${what} entry`);
    if (out.includes(normalized)) return ctx.failShape(`${what} [${axes.join(', ')}] name axis ${normalized} more than once`);
    out.push(normalized);
  }
  return out;
}
