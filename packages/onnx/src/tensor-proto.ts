/**
 * `onnx.TensorProto` <-> IR tensors. Reading accepts `raw_data`
 * (little-endian) and the typed fields (`float_data`; `int32_data` for
 * int32, bool and float16 bits; `int64_data`). Sizes are checked against the
 * data before anything is allocated, so a huge or lying `dims` costs nothing.
 * Writing always uses `raw_data`.
 */
import { describeTensorProblem, dtypeSize, formatShape, LadonError, type DType, type Tensor, type TensorData } from '@ladon/ir';
import { dtypeOfOnnxType, onnxTypeLabel, onnxTypeOfDType, SUPPORTED_ONNX_TYPES } from './data-types.js';
import { OnnxImportError } from './errors.js';
import { int64ToBigInt, int64ToNumber } from './int64.js';
import { decodeTensorMessage, encodeMessage, type TensorProtoMessage } from './proto-messages.js';

/** Where a tensor comes from, for messages: e.g. `initializer 'w'` in `model.onnx`. */
export interface TensorSource {
  /** What the tensor is, e.g. `initializer 'w'` or `attribute 'value' of node %3`. */
  readonly what: string;
  /** The file it was read from, when known. */
  readonly file?: string;
}

/** A tensor with the name it carried in its TensorProto. */
export interface NamedTensor {
  /** The TensorProto's `name` (`''` when it had none). */
  readonly name: string;
  /** The tensor. */
  readonly tensor: Tensor;
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Converts a decoded TensorProto to an IR tensor, or throws an OnnxImportError naming it. */
export function tensorFromMessage(message: TensorProtoMessage, source: TensorSource): Tensor {
  const fail = (problem: string): never => {
    throw new OnnxImportError(`${source.what}: ${problem}`, { ...(source.file ? { file: source.file } : {}), tensor: message.name || undefined });
  };
  if (message.data_location === 1 || message.external_data.length > 0) fail('its data is stored in an external file, which Ladon does not load');
  if (message.segment) fail('it is stored in segments, which Ladon does not support');
  const dtype = dtypeOfOnnxType(message.data_type);
  if (!dtype) return fail(`element type ${onnxTypeLabel(message.data_type)} is not supported (supported: ${SUPPORTED_ONNX_TYPES})`);
  const shape = message.dims.map((dim) => int64ToNumber(dim));
  const badDim = shape.find((dim) => !Number.isSafeInteger(dim) || dim < 0);
  if (badDim !== undefined) fail(`dims ${formatShape(shape)} must be non-negative integers`);
  const count = shape.reduce((product, dim) => product * dim, 1);
  const data = readData(message, dtype, count, fail);
  return { dtype, shape, data };
}

function readData(message: TensorProtoMessage, dtype: DType, count: number, fail: (problem: string) => never): TensorData {
  const raw = message.raw_data;
  if (raw && raw.length > 0) {
    const expected = count * dtypeSize(dtype);
    if (raw.length !== expected) fail(`dims ${formatShape(message.dims.map(int64ToNumber))} need ${count} ${dtype} elements (${expected} bytes) but raw_data has ${raw.length} bytes`);
    return fromLittleEndian(raw, dtype, count);
  }
  const field = typedField(message, dtype);
  if (field.values.length !== count) {
    fail(`dims ${formatShape(message.dims.map(int64ToNumber))} need ${count} elements but ${field.name} has ${field.values.length} (and raw_data is empty)`);
  }
  return fromTypedField(field.values, dtype);
}

function typedField(message: TensorProtoMessage, dtype: DType): { name: string; values: readonly unknown[] } {
  switch (dtype) {
    case 'f32':
      return { name: 'float_data', values: message.float_data };
    case 'i64':
      return { name: 'int64_data', values: message.int64_data };
    default:
      return { name: 'int32_data', values: message.int32_data };
  }
}

function fromTypedField(values: readonly unknown[], dtype: DType): TensorData {
  switch (dtype) {
    case 'f32':
      return Float32Array.from(values as number[]);
    case 'f16':
      return Uint16Array.from(values as number[], (bits) => bits & 0xffff);
    case 'i32':
      return Int32Array.from(values as number[]);
    case 'i64':
      return BigInt64Array.from(values as Parameters<typeof int64ToBigInt>[0][], int64ToBigInt);
    case 'i8':
      return Int8Array.from(values as number[]);
    case 'u8':
      return Uint8Array.from(values as number[]);
    case 'bool':
      return Uint8Array.from(values as number[], (value) => (value ? 1 : 0));
  }
}

/** Reverses the bytes of each `size`-byte element in place (for big-endian hosts). */
function swapBytes(bytes: Uint8Array, size: number): void {
  for (let start = 0; start < bytes.length; start += size) bytes.subarray(start, start + size).reverse();
}

function fromLittleEndian(raw: Uint8Array, dtype: DType, count: number): TensorData {
  const size = dtypeSize(dtype);
  // A fresh, zero-offset copy: protobufjs hands out Node Buffer views into a shared pool.
  const bytes = new Uint8Array(raw.length);
  bytes.set(raw);
  if (!HOST_IS_LITTLE_ENDIAN && size > 1) swapBytes(bytes, size);
  switch (dtype) {
    case 'f32':
      return new Float32Array(bytes.buffer, 0, count);
    case 'f16':
      return new Uint16Array(bytes.buffer, 0, count);
    case 'i32':
      return new Int32Array(bytes.buffer, 0, count);
    case 'i64':
      return new BigInt64Array(bytes.buffer, 0, count);
    case 'i8':
      return new Int8Array(bytes.buffer, 0, count);
    case 'u8':
      return new Uint8Array(bytes.buffer, 0, count);
    case 'bool':
      return bytes.map((value) => (value ? 1 : 0));
  }
}

function toLittleEndian(data: TensorData, dtype: DType): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  if (!HOST_IS_LITTLE_ENDIAN && dtypeSize(dtype) > 1) swapBytes(bytes, dtypeSize(dtype));
  return bytes;
}

/** The fields of a TensorProto holding `tensor` as raw_data (for encodeMessage). */
export function tensorMessageFields(name: string, tensor: Tensor): Record<string, unknown> {
  return {
    name,
    dims: [...tensor.shape],
    data_type: onnxTypeOfDType(tensor.dtype),
    raw_data: toLittleEndian(tensor.data, tensor.dtype),
  };
}

/**
 * Decodes a serialized `onnx.TensorProto` (a `.pb` file of an ONNX backend
 * test). Throws an {@link OnnxImportError} for bad bytes, unsupported dtypes,
 * external data, or dims that contradict the data.
 */
export function decodeTensor(bytes: Uint8Array, options: { fileName?: string } = {}): NamedTensor {
  const message = decodeTensorMessage(bytes, options.fileName);
  const what = message.name ? `tensor '${message.name}'` : 'tensor';
  return { name: message.name, tensor: tensorFromMessage(message, { what, file: options.fileName }) };
}

/** Encodes a tensor as a serialized `onnx.TensorProto` with `name` and `raw_data`; a malformed tensor is an E_SHAPE error. */
export function encodeTensor(name: string, tensor: Tensor): Uint8Array {
  const problem = describeTensorProblem(tensor);
  if (problem) throw new LadonError('E_SHAPE', `cannot encode tensor '${name}': ${problem}`, { tensor: name });
  return encodeMessage('TensorProto', tensorMessageFields(name, tensor));
}
