/**
 * Test support: builds small ONNX models and tensors as protobuf bytes
 * (through the same schema the importer reads), so tests can state exactly
 * what a model holds, good or bad.
 */
import { tensor, type DType, type TensorInit } from '@ladon/ir';
import { encodeMessage } from '../proto-messages.js';
import { tensorMessageFields } from '../tensor-proto.js';

/** Plain protobuf fields of one message (names as in onnx.proto). */
export type Fields = Record<string, unknown>;

/** ONNX element type codes used in tests. */
export const ElemType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10, DOUBLE: 11 } as const;

/** TensorProto fields holding `values` as raw_data. */
export function tensorFields(name: string, dtype: DType, dims: readonly number[], values: TensorInit): Fields {
  return tensorMessageFields(name, tensor(dtype, dims, values));
}

/** A ValueInfoProto: dims are numbers (dim_value), strings (dim_param) or null (neither). */
export function valueInfo(name: string, elemType: number, dims?: readonly (number | string | null)[]): Fields {
  const shape = dims && { dim: dims.map((dim) => (typeof dim === 'number' ? { dim_value: dim } : dim === null ? {} : { dim_param: dim })) };
  return { name, type: { tensor_type: shape ? { elem_type: elemType, shape } : { elem_type: elemType } } };
}

/** A NodeProto. */
export function nodeFields(op: string, inputs: string[], outputs: string[], attributes: Fields[] = [], extra: Fields = {}): Fields {
  return { op_type: op, input: inputs, output: outputs, attribute: attributes, ...extra };
}

/** AttributeProto builders, one per attribute type. */
export const attr = {
  float: (name: string, f: number): Fields => ({ name, type: 1, f }),
  int: (name: string, i: number): Fields => ({ name, type: 2, i }),
  string: (name: string, s: string): Fields => ({ name, type: 3, s: new TextEncoder().encode(s) }),
  tensor: (name: string, t: Fields): Fields => ({ name, type: 4, t }),
  floats: (name: string, floats: number[]): Fields => ({ name, type: 6, floats }),
  ints: (name: string, ints: number[]): Fields => ({ name, type: 7, ints }),
  strings: (name: string, strings: string[]): Fields => ({ name, type: 8, strings: strings.map((s) => new TextEncoder().encode(s)) }),
};

/** What a test model holds. */
export interface ModelSpec {
  readonly nodes: Fields[];
  readonly inputs: Fields[];
  readonly outputs: Fields[];
  readonly initializers?: Fields[];
  readonly valueInfo?: Fields[];
  readonly opset?: number;
  readonly irVersion?: number;
  readonly opsetImports?: Fields[];
}

/** The ModelProto fields of a test model (default: IR 8, opset 17). */
export function modelFields(spec: ModelSpec): Fields {
  return {
    ir_version: spec.irVersion ?? 8,
    producer_name: 'ladon-test',
    producer_version: '0',
    opset_import: spec.opsetImports ?? [{ domain: '', version: spec.opset ?? 17 }],
    graph: {
      name: 'test_graph',
      node: spec.nodes,
      input: spec.inputs,
      output: spec.outputs,
      initializer: spec.initializers ?? [],
      value_info: spec.valueInfo ?? [],
    },
  };
}

/** The bytes of a test model. */
export function modelBytes(spec: ModelSpec): Uint8Array {
  return encodeMessage('ModelProto', modelFields(spec));
}

/** The bytes of any ModelProto given as fields. */
export function encodeModelFields(fields: Fields): Uint8Array {
  return encodeMessage('ModelProto', fields);
}

/** The bytes of any TensorProto given as fields. */
export function encodeTensorFields(fields: Fields): Uint8Array {
  return encodeMessage('TensorProto', fields);
}
