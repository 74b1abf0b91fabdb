/**
 * Element types. Storage: f32 in Float32Array, f16 as raw IEEE half bits in
 * Uint16Array (computed in f32), i32 in Int32Array, i64 in BigInt64Array,
 * i8 in Int8Array and u8 in Uint8Array (both computed in i32 and wrapped
 * to 8 bits when stored), bool as 0/1 in Uint8Array.
 */

import { DTypeError } from './errors.js';

/** The element types of the IR. */
export type DType = 'f32' | 'f16' | 'i32' | 'i64' | 'i8' | 'u8' | 'bool';

/** Every dtype, in a stable order. */
export const DTYPES: readonly DType[] = ['f32', 'f16', 'i32', 'i64', 'i8', 'u8', 'bool'];

/** Maps each dtype to the typed array that stores it. */
export interface TypedArrayOf {
  f32: Float32Array;
  f16: Uint16Array;
  i32: Int32Array;
  i64: BigInt64Array;
  i8: Int8Array;
  u8: Uint8Array;
  bool: Uint8Array;
}

/** Any array that stores tensor data. */
export type TensorData = TypedArrayOf[DType];

/** True when `name` is one of the IR dtypes. */
export function isDType(name: string): name is DType {
  return (DTYPES as readonly string[]).includes(name);
}

/** True for the floating-point dtypes (f32, f16). */
export function isFloatDType(dtype: DType): boolean {
  return dtype === 'f32' || dtype === 'f16';
}

/** True for the integer dtypes (i32, i64, i8, u8). */
export function isIntDType(dtype: DType): boolean {
  return dtype === 'i32' || dtype === 'i64' || dtype === 'i8' || dtype === 'u8';
}

/** Bytes per element. */
export function dtypeSize(dtype: DType): number {
  switch (dtype) {
    case 'f32':
    case 'i32':
      return 4;
    case 'f16':
      return 2;
    case 'i64':
      return 8;
    case 'i8':
    case 'u8':
    case 'bool':
      return 1;
  }
}

/** A zero-filled typed array for `length` elements of `dtype`. */
export function allocData<D extends DType>(dtype: D, length: number): TypedArrayOf[D] {
  switch (dtype) {
    case 'f32':
      return new Float32Array(length) as TypedArrayOf[D];
    case 'f16':
      return new Uint16Array(length) as TypedArrayOf[D];
    case 'i32':
      return new Int32Array(length) as TypedArrayOf[D];
    case 'i64':
      return new BigInt64Array(length) as TypedArrayOf[D];
    case 'i8':
      return new Int8Array(length) as TypedArrayOf[D];
    case 'u8':
    case 'bool':
      return new Uint8Array(length) as TypedArrayOf[D];
  }
  throw new DTypeError(`unknown dtype ${JSON.stringify(dtype)} (expected ${DTYPES.join(', ')})`);
}

/** True when `data` is the storage class for `dtype`. */
export function dataMatchesDType(dtype: DType, data: unknown): boolean {
  switch (dtype) {
    case 'f32':
      return data instanceof Float32Array;
    case 'f16':
      return data instanceof Uint16Array;
    case 'i32':
      return data instanceof Int32Array;
    case 'i64':
      return data instanceof BigInt64Array;
    case 'i8':
      return data instanceof Int8Array;
    case 'u8':
    case 'bool':
      return data instanceof Uint8Array;
  }
}

/** The name of the storage class for `dtype`, for error messages. */
export function storageName(dtype: DType): string {
  switch (dtype) {
    case 'f32':
      return 'Float32Array';
    case 'f16':
      return 'Uint16Array';
    case 'i32':
      return 'Int32Array';
    case 'i64':
      return 'BigInt64Array';
    case 'i8':
      return 'Int8Array';
    case 'u8':
    case 'bool':
      return 'Uint8Array';
  }
}
