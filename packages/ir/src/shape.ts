/**
 * Shapes and tensor types. A shape is a list of dims (numbers or symbols);
 * broadcasting follows NumPy / ONNX multidirectional rules, right-aligned.
 */
import { dimsCompatible, dimsEqual, evaluateDim, isUnknownDim, normalizeDim, UNKNOWN_DIM, type Dim } from './dim.js';
import type { DType } from './dtype.js';
import { ShapeError, type ErrorLocation } from './errors.js';

/** A shape: one dim per axis. */
export type Shape = readonly Dim[];

/** The static type of a value: its dtype and (possibly symbolic) shape. */
export interface TensorType {
  readonly dtype: DType;
  readonly shape: Shape;
}

/** Formats a shape as `[batch, 12, seq, 64]`. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Formats a type as `f32[batch, 12, seq, 64]`. */
export function formatType(type: TensorType): string {
  return `${type.dtype}${formatShape(type.shape)}`;
}

/** True when every dim is a number. */
export function isStaticShape(shape: Shape): shape is readonly number[] {
  return shape.every((dim) => typeof dim === 'number');
}

/** The number of elements of a static shape. */
export function shapeSize(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

/** Row-major strides of a static shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  return strides;
}

/** Normalises a possibly negative axis against `rank`, or throws naming the op. */
export function normalizeAxis(axis: number, rank: number, location: ErrorLocation = {}, what = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ShapeError(`${what} ${axis} is out of range for rank ${rank} (expected ${-rank}..${rank - 1})`, location);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Broadcasts two dims, or throws when they cannot broadcast. */
export function broadcastDim(a: Dim, b: Dim, location: ErrorLocation = {}, what = 'operands'): Dim {
  if (a === 1) return b;
  if (b === 1) return a;
  if (typeof a === 'number' && typeof b === 'number') {
    if (a !== b) throw new ShapeError(`${what}: dims ${a} and ${b} do not broadcast`, location);
    return a;
  }
  if (dimsEqual(a, b)) return normalizeDim(a);
  if (typeof a === 'number') return a;
  if (typeof b === 'number') return b;
  if (isUnknownDim(a)) return b;
  if (isUnknownDim(b)) return a;
  return UNKNOWN_DIM;
}

/** The broadcast shape of several shapes (right-aligned), or a ShapeError naming both. */
export function broadcastShapes(shapes: readonly Shape[], location: ErrorLocation = {}): Dim[] {
  const rank = Math.max(0, ...shapes.map((shape) => shape.length));
  const out: Dim[] = new Array<Dim>(rank).fill(1);
  for (const shape of shapes) {
    const offset = rank - shape.length;
    for (let axis = 0; axis < shape.length; axis++) {
      try {
        out[offset + axis] = broadcastDim(out[offset + axis], shape[axis], location);
      } catch {
        throw new ShapeError(
          `shapes ${shapes.map(formatShape).join(' and ')} do not broadcast (axis ${offset + axis - rank}: ${out[offset + axis]} vs ${shape[axis]})`,
          location,
        );
      }
    }
  }
  return out;
}

/** True when two shapes could be the same at run time. */
export function shapesCompatible(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((dim, axis) => dimsCompatible(dim, b[axis]));
}

/** True when two shapes are known to be the same. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((dim, axis) => dim === b[axis] || dimsEqual(dim, b[axis]));
}

/**
 * Binds the symbols of a declared shape to a concrete shape, adding to
 * `bindings`. Returns a message describing the first conflict, or undefined.
 */
export function bindShape(declared: Shape, actual: readonly number[], bindings: Map<string, number>): string | undefined {
  if (declared.length !== actual.length) {
    return `expected rank ${declared.length} ${formatShape(declared)}, got rank ${actual.length} ${formatShape(actual)}`;
  }
  for (let axis = 0; axis < declared.length; axis++) {
    const dim = declared[axis];
    const size = actual[axis];
    if (typeof dim === 'number') {
      if (dim !== size) return `expected ${formatShape(declared)}, got ${formatShape(actual)} (axis ${axis}: ${dim} vs ${size})`;
    } else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(dim)) {
      const bound = bindings.get(dim);
      if (bound === undefined) bindings.set(dim, size);
      else if (bound !== size) {
        return `expected ${formatShape(declared)}, got ${formatShape(actual)} (axis ${axis}: '${dim}' is ${bound} elsewhere but ${size} here)`;
      }
    } else if (!isUnknownDim(dim)) {
      const value = evaluateDim(dim, bindings);
      if (value !== undefined && value !== size) {
        return `expected ${formatShape(declared)}, got ${formatShape(actual)} (axis ${axis}: ${dim} = ${value} vs ${size})`;
      }
    }
  }
  return undefined;
}
