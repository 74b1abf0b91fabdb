/**
 * Shared helpers for the reference semantics of ops: numeric views of
 * tensors, broadcasting index maps and dtype groups. Reference kernels
 * favour clarity over speed, but stay linear-time so tests on real models run.
 */
import type { DType } from '../dtype.js';
import { broadcastShapes, shapeSize, stridesOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { f16ArrayToF32 } from '../f16.js';
import type { EvalContext } from '../op-def.js';

/** The tensor's elements as numbers: f16 decoded to f32, i64 as Float64Array, others as stored. */
export function numericValues(value: Tensor): ArrayLike<number> {
  switch (value.dtype) {
    case 'f16':
      return f16ArrayToF32(value.data as Uint16Array);
    case 'i64':
      return Float64Array.from(value.data as BigInt64Array, Number);
    default:
      return value.data as Float32Array | Int32Array | Uint8Array;
  }
}

/** Integer contents of an int tensor (i32/i64) as plain numbers. */
export function intValues(value: Tensor): number[] {
  return Array.from(numericValues(value));
}

/**
 * For each flat index of `outShape`, the flat index into a tensor of
 * `inShape` broadcast to it (right-aligned NumPy rules).
 */
export function broadcastIndexMap(outShape: readonly number[], inShape: readonly number[]): Int32Array {
  const size = shapeSize(outShape);
  const map = new Int32Array(size);
  const rank = outShape.length;
  const offset = rank - inShape.length;
  const inStrides = stridesOf(inShape);
  const effective = new Array<number>(rank).fill(0);
  for (let axis = 0; axis < inShape.length; axis++) effective[offset + axis] = inShape[axis] === 1 ? 0 : inStrides[axis];
  const index = new Array<number>(rank).fill(0);
  let position = 0;
  for (let flat = 0; flat < size; flat++) {
    map[flat] = position;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]++;
      position += effective[axis];
      if (index[axis] < outShape[axis]) break;
      position -= effective[axis] * index[axis];
      index[axis] = 0;
    }
  }
  return map;
}

/** The concrete broadcast shape of several tensors. */
export function broadcastConcrete(ctx: EvalContext, shapes: readonly (readonly number[])[]): number[] {
  return broadcastShapes(shapes, { node: ctx.label, op: ctx.node.op }) as number[];
}

/** True when two concrete shapes are identical. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, axis) => dim === b[axis]);
}

/** Float dtypes. */
export const FLOAT_TYPES: readonly DType[] = ['f32', 'f16'];
/** Numeric (non-bool) dtypes. */
export const NUMERIC_TYPES: readonly DType[] = ['f32', 'f16', 'i32', 'i64'];
/** Integer dtypes. */
export const INT_TYPES: readonly DType[] = ['i32', 'i64'];
/** Every dtype but the 8-bit integers. */
export const ALL_TYPES: readonly DType[] = ['f32', 'f16', 'i32', 'i64', 'bool'];
/** The 8-bit integer dtypes: the element-wise ops take them, computing in i32 and wrapping to 8 bits when they store. */
export const BYTE_TYPES: readonly DType[] = ['i8', 'u8'];
/** Every numeric dtype, 8-bit integers included (the element-wise ops). */
export const ELEMENTWISE_NUMERIC_TYPES: readonly DType[] = [...NUMERIC_TYPES, ...BYTE_TYPES];
/** Every dtype, 8-bit integers included (the element-wise ops). */
export const ELEMENTWISE_TYPES: readonly DType[] = [...ALL_TYPES, ...BYTE_TYPES];
/** The signed integer dtypes. */
export const SIGNED_INT_TYPES: readonly DType[] = ['i32', 'i64', 'i8'];

/** Rounds towards zero like C integer division when the dtype is an integer. */
export function integerDivide(a: number, b: number): number {
  return Math.trunc(a / b);
}

/** A concrete shape seen along one axis: the elements before it, along it, and after it. */
export interface AxisLayout {
  readonly outer: number;
  readonly length: number;
  readonly inner: number;
}

/** The [outer, length, inner] layout of `shape` along `axis` (normalised). */
export function axisLayout(shape: readonly number[], axis: number): AxisLayout {
  return { outer: shapeSize(shape.slice(0, axis)), length: shape[axis], inner: shapeSize(shape.slice(axis + 1)) };
}
