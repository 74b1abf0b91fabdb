/**
 * The one seam to protobufjs: loads the ONNX schema (onnx-proto.ts) once,
 * and decodes/encodes `ModelProto` and `TensorProto` messages. The
 * interfaces below describe the decoded messages (field names as in
 * onnx.proto; absent fields read as protobuf defaults).
 */
import protobuf from 'protobufjs';
import { OnnxImportError } from './errors.js';
import { ONNX_PROTO_SOURCE } from './onnx-proto.js';

/** An int64 as protobufjs decodes it: a number, or a Long-like pair of 32-bit halves. */
export type Int64Like = number | { readonly low: number; readonly high: number; readonly unsigned?: boolean };

/** A key/value metadata entry. */
export interface StringStringEntryMessage {
  readonly key: string;
  readonly value: string;
}

/** `onnx.TensorProto`. */
export interface TensorProtoMessage {
  readonly name: string;
  readonly dims: readonly Int64Like[];
  readonly data_type: number;
  readonly segment?: { readonly begin: Int64Like; readonly end: Int64Like } | null;
  readonly float_data: readonly number[];
  readonly int32_data: readonly number[];
  readonly int64_data: readonly Int64Like[];
  readonly string_data: readonly Uint8Array[];
  readonly double_data: readonly number[];
  readonly uint64_data: readonly Int64Like[];
  readonly raw_data?: Uint8Array | null;
  readonly external_data: readonly StringStringEntryMessage[];
  readonly data_location: number;
}

/** `onnx.TensorShapeProto.Dimension`: `value` names the member of the oneof that is set. */
export interface DimensionMessage {
  readonly value?: 'dim_value' | 'dim_param';
  readonly dim_value?: Int64Like;
  readonly dim_param?: string;
}

/** `onnx.TypeProto`: `value` names the member of the oneof that is set. */
export interface TypeProtoMessage {
  readonly value?: 'tensor_type' | 'sequence_type' | 'map_type' | 'optional_type' | 'sparse_tensor_type';
  readonly tensor_type?: { readonly elem_type: number; readonly shape?: { readonly dim: readonly DimensionMessage[] } | null } | null;
}

/** `onnx.ValueInfoProto`. */
export interface ValueInfoMessage {
  readonly name: string;
  readonly type?: TypeProtoMessage | null;
}

/** `onnx.AttributeProto`. */
export interface AttributeMessage {
  readonly name: string;
  readonly ref_attr_name: string;
  readonly type: number;
  readonly f: number;
  readonly i: Int64Like;
  readonly s: ArrayLike<number>;
  readonly t?: TensorProtoMessage | null;
  readonly floats: readonly number[];
  readonly ints: readonly Int64Like[];
  readonly strings: readonly ArrayLike<number>[];
}

/** `onnx.NodeProto`. */
export interface NodeMessage {
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly name: string;
  readonly op_type: string;
  readonly domain: string;
  readonly attribute: readonly AttributeMessage[];
}

/** `onnx.GraphProto`. */
export interface GraphMessage {
  readonly name: string;
  readonly node: readonly NodeMessage[];
  readonly initializer: readonly TensorProtoMessage[];
  readonly sparse_initializer: readonly unknown[];
  readonly input: readonly ValueInfoMessage[];
  readonly output: readonly ValueInfoMessage[];
  readonly value_info: readonly ValueInfoMessage[];
}

/** `onnx.OperatorSetIdProto`. */
export interface OperatorSetIdMessage {
  readonly domain: string;
  readonly version: Int64Like;
}

/** `onnx.ModelProto`. */
export interface ModelMessage {
  readonly ir_version: Int64Like;
  readonly opset_import: readonly OperatorSetIdMessage[];
  readonly producer_name: string;
  readonly producer_version: string;
  readonly domain: string;
  readonly model_version: Int64Like;
  readonly graph?: GraphMessage | null;
  readonly metadata_props: readonly StringStringEntryMessage[];
}

let schema: protobuf.Root | undefined;

/** The message type `onnx.<name>` from the schema (parsed on first use). */
export function onnxMessageType(name: 'ModelProto' | 'TensorProto'): protobuf.Type {
  schema ??= protobuf.parse(ONNX_PROTO_SOURCE, { keepCase: true }).root;
  return schema.lookupType(`onnx.${name}`);
}

/** Decodes bytes as `onnx.<name>`; a decoder failure becomes an OnnxImportError naming `file`. */
function decodeMessage(name: 'ModelProto' | 'TensorProto', bytes: Uint8Array, file: string | undefined): unknown {
  try {
    return onnxMessageType(name).decode(bytes);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new OnnxImportError(
      `not a valid ONNX ${name} (${bytes.length} bytes; truncated or not protobuf?): ${detail}`,
      file === undefined ? {} : { file },
      { cause: error },
    );
  }
}

/** Decodes an `onnx.ModelProto` (a `.onnx` file). */
export function decodeModelMessage(bytes: Uint8Array, file?: string): ModelMessage {
  return decodeMessage('ModelProto', bytes, file) as ModelMessage;
}

/** Decodes an `onnx.TensorProto` (a `.pb` file). */
export function decodeTensorMessage(bytes: Uint8Array, file?: string): TensorProtoMessage {
  return decodeMessage('TensorProto', bytes, file) as TensorProtoMessage;
}

/** Encodes a plain object as `onnx.<name>` (field names as in onnx.proto). */
export function encodeMessage(name: 'ModelProto' | 'TensorProto', fields: Record<string, unknown>): Uint8Array {
  const type = onnxMessageType(name);
  const bytes = type.encode(type.fromObject(fields)).finish();
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
