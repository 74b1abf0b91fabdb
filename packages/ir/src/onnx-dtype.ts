/**
 * ONNX `TensorProto.DataType` codes and their mapping to IR dtypes. Used by
 * Cast's `to` attribute, and by anyone reading or writing ONNX models.
 */
import type { DType } from './dtype.js';

/** The name of every ONNX `TensorProto.DataType` code, for messages. */
export const ONNX_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'UNDEFINED',
  1: 'FLOAT',
  2: 'UINT8',
  3: 'INT8',
  4: 'UINT16',
  5: 'INT16',
  6: 'INT32',
  7: 'INT64',
  8: 'STRING',
  9: 'BOOL',
  10: 'FLOAT16',
  11: 'DOUBLE',
  12: 'UINT32',
  13: 'UINT64',
  14: 'COMPLEX64',
  15: 'COMPLEX128',
  16: 'BFLOAT16',
  17: 'FLOAT8E4M3FN',
  18: 'FLOAT8E4M3FNUZ',
  19: 'FLOAT8E5M2',
  20: 'FLOAT8E5M2FNUZ',
  21: 'UINT4',
  22: 'INT4',
  23: 'FLOAT4E2M1',
  24: 'FLOAT8E8M0',
};

const TO_DTYPE: Readonly<Record<number, DType>> = { 1: 'f32', 10: 'f16', 6: 'i32', 7: 'i64', 3: 'i8', 2: 'u8', 9: 'bool' };

const TO_ONNX: Readonly<Record<DType, number>> = { f32: 1, f16: 10, i32: 6, i64: 7, i8: 3, u8: 2, bool: 9 };

/** The IR dtype of an ONNX data type code, or undefined when the IR has no such dtype. */
export function onnxTypeToDType(code: number): DType | undefined {
  return Object.prototype.hasOwnProperty.call(TO_DTYPE, code) ? TO_DTYPE[code] : undefined;
}

/** The ONNX data type code of an IR dtype (`f32` -> 1, `f16` -> 10, `i32` -> 6, `i64` -> 7, `i8` -> 3, `u8` -> 2, `bool` -> 9). */
export function dtypeToOnnxType(dtype: DType): number {
  return TO_ONNX[dtype];
}

/** A readable name for an ONNX data type code, e.g. `DOUBLE (11)` or `unknown type 99`. */
export function onnxTypeName(code: number): string {
  const name = Object.prototype.hasOwnProperty.call(ONNX_TYPE_NAMES, code) ? ONNX_TYPE_NAMES[code] : undefined;
  return name ? `${name} (${code})` : `unknown type ${code}`;
}
