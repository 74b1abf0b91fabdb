/**
 * Concrete tensors: `{ dtype, shape, data }` with row-major data in the
 * dtype's typed array (see dtype.ts). These are the values the interpreter
 * and every runtime backend consume and produce.
 */
import { allocData, dataMatchesDType, DTYPES, isDType, storageName, type DType, type TypedArrayOf } from './dtype.js';
import { DTypeError, LadonError } from './errors.js';
import { f16ArrayToF32, f32ArrayToF16 } from './f16.js';
import { formatShape, shapeSize } from './shape.js';

/** A concrete tensor value. */
export interface Tensor<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: TypedArrayOf[D];
}

/** Plain values accepted by {@link tensor}. */
export type TensorInit = ArrayLike<number> | ArrayLike<bigint> | ArrayLike<boolean>;

/**
 * Makes a tensor. `values` may be the dtype's own typed array (used as is)
 * or plain numbers (converted; f16 values are rounded from f32).
 */
export function tensor<D extends DType>(dtype: D, shape: readonly number[], values?: TensorInit | TypedArrayOf[D]): Tensor<D> {
  if (!isDType(dtype)) throw new DTypeError(`unknown dtype ${JSON.stringify(dtype)} (expected ${DTYPES.join(', ')})`);
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) {
      throw new LadonError('E_SHAPE', `tensor shape ${formatShape(shape)} must hold non-negative integers`);
    }
  }
  const size = shapeSize(shape);
  if (values === undefined) return { dtype, shape: [...shape], data: allocData(dtype, size) };
  if (values.length !== size) {
    throw new LadonError('E_SHAPE', `tensor of shape ${formatShape(shape)} needs ${size} values, got ${values.length}`);
  }
  if (dataMatchesDType(dtype, values)) return { dtype, shape: [...shape], data: values as TypedArrayOf[D] };
  return { dtype, shape: [...shape], data: convertValues(dtype, values) };
}

function convertValues<D extends DType>(dtype: D, values: TensorInit): TypedArrayOf[D] {
  const data = allocData(dtype, values.length);
  if (dtype === 'i64') {
    const out = data as BigInt64Array;
    for (let i = 0; i < values.length; i++) {
      const item = values[i];
      if (typeof item !== 'bigint' && !Number.isFinite(Number(item))) throw new DTypeError(`i64 values must be finite, got ${String(item)} at index ${i}`);
      out[i] = typeof item === 'bigint' ? item : BigInt(Math.trunc(Number(item)));
    }
  } else if (dtype === 'f16') {
    const asNumbers = Array.from(values as ArrayLike<number>, Number);
    (data as Uint16Array).set(f32ArrayToF16(asNumbers));
  } else if (dtype === 'bool') {
    const out = data as Uint8Array;
    for (let i = 0; i < values.length; i++) out[i] = values[i] ? 1 : 0;
  } else {
    const out = data as Float32Array | Int32Array;
    for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
  }
  return data;
}

/** A 0-d tensor. */
export function scalar<D extends DType>(dtype: D, value: number | bigint | boolean): Tensor<D> {
  return tensor(dtype, [], [value] as TensorInit);
}

/** The tensor's element count. */
export function tensorSize(value: Tensor): number {
  return value.data.length;
}

/** Checks that `data` matches `dtype` and `shape`; returns a message or undefined. */
export function describeTensorProblem(value: Tensor): string | undefined {
  if (!dataMatchesDType(value.dtype, value.data)) {
    return `data for dtype ${value.dtype} must be a ${storageName(value.dtype)}, got ${value.data?.constructor?.name ?? typeof value.data}`;
  }
  const size = shapeSize(value.shape);
  if (value.data.length !== size) return `shape ${formatShape(value.shape)} needs ${size} elements, data has ${value.data.length}`;
  return undefined;
}

/** The elements as f32 (f16 decoded, integers and bools converted). */
export function toFloat32(value: Tensor): Float32Array {
  switch (value.dtype) {
    case 'f32':
      return value.data as Float32Array;
    case 'f16':
      return f16ArrayToF32(value.data as Uint16Array);
    case 'i64':
      return Float32Array.from(value.data as BigInt64Array, Number);
    default:
      return Float32Array.from(value.data as Int32Array | Uint8Array);
  }
}

/** The elements as plain JS numbers (i64 converted with Number()). */
export function toNumbers(value: Tensor): number[] {
  if (value.dtype === 'i64') return Array.from(value.data as BigInt64Array, Number);
  if (value.dtype === 'f16') return Array.from(f16ArrayToF32(value.data as Uint16Array));
  return Array.from(value.data as ArrayLike<number>);
}

/** Makes a tensor of `dtype` from numbers computed in f32/f64 (rounding f16 once). */
export function fromNumbers<D extends DType>(dtype: D, shape: readonly number[], values: ArrayLike<number>): Tensor<D> {
  if (dtype === 'f32' && values instanceof Float32Array) return tensor(dtype, shape, values as TypedArrayOf[D]);
  return tensor(dtype, shape, values as TensorInit);
}

/** A deep copy. */
export function cloneTensor<D extends DType>(value: Tensor<D>): Tensor<D> {
  return { dtype: value.dtype, shape: [...value.shape], data: value.data.slice() as TypedArrayOf[D] };
}
