/**
 * ONNX `TensorProto.DataType` codes and the IR dtypes they map to. Only
 * FLOAT, FLOAT16, INT32, INT64 and BOOL have IR dtypes; every other code is
 * named in messages so an unsupported tensor says what it holds.
 */
import type { DType } from '@ladon/ir';

const TYPE_NAMES: readonly string[] = [
  'UNDEFINED', 'FLOAT', 'UINT8', 'INT8', 'UINT16', 'INT16', 'INT32', 'INT64', 'STRING', 'BOOL', 'FLOAT16', 'DOUBLE',
  'UINT32', 'UINT64', 'COMPLEX64', 'COMPLEX128', 'BFLOAT16', 'FLOAT8E4M3FN', 'FLOAT8E4M3FNUZ', 'FLOAT8E5M2',
  'FLOAT8E5M2FNUZ', 'UINT4', 'INT4', 'FLOAT4E2M1', 'FLOAT8E8M0',
];

const CODE_OF_DTYPE: Readonly<Record<DType, number>> = { f32: 1, f16: 10, i32: 6, i64: 7, bool: 9 };

const DTYPE_OF_CODE = new Map<number, DType>(Object.entries(CODE_OF_DTYPE).map(([dtype, code]) => [code, dtype as DType]));

/** The supported element types, for messages. */
export const SUPPORTED_ONNX_TYPES = 'FLOAT, FLOAT16, INT32, INT64, BOOL';

/** The IR dtype of an ONNX data type code, or undefined when the IR has none. */
export function dtypeOfOnnxType(code: number): DType | undefined {
  return DTYPE_OF_CODE.get(code);
}

/** The ONNX data type code of an IR dtype. */
export function onnxTypeOfDType(dtype: DType): number {
  return CODE_OF_DTYPE[dtype];
}

/** A readable name for an ONNX data type code, e.g. `DOUBLE (11)`. */
export function onnxTypeLabel(code: number): string {
  const name = Number.isInteger(code) && code >= 0 ? TYPE_NAMES[code] : undefined;
  return name ? `${name} (${code})` : `unknown data type ${code}`;
}
