/**
 * Node attributes (`AttributeProto`) -> IR attribute values, by the
 * attribute's declared type: INT/INTS as numbers, FLOAT/FLOATS rounded to f32
 * (`Math.fround`), STRING/STRINGS decoded from UTF-8, TENSOR as an IR tensor.
 * Graphs, sparse tensors, tensor lists and type protos are refused.
 */
import type { AttrValue, ErrorLocation } from '@ladon/ir';
import { OnnxImportError } from './errors.js';
import { int64ToNumber } from './int64.js';
import type { AttributeMessage } from './proto-messages.js';
import { tensorFromMessage } from './tensor-proto.js';

/** `AttributeProto.AttributeType` codes. */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
  SPARSE_TENSOR: 11,
  SPARSE_TENSORS: 12,
  TYPE_PROTO: 13,
  TYPE_PROTOS: 14,
} as const;

const TYPE_NAMES = new Map<number, string>(Object.entries(AttributeType).map(([name, code]) => [code, name]));

const utf8 = new TextDecoder('utf-8');

/** Decodes UTF-8 bytes (an ONNX string attribute; an absent field decodes as a plain empty array). */
export function decodeUtf8(bytes: ArrayLike<number>): string {
  return utf8.decode(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));
}

/** Converts one attribute; `location` names the node (and file) for errors. */
export function convertAttribute(attribute: AttributeMessage, location: ErrorLocation): AttrValue {
  const fail = (problem: string): never => {
    throw new OnnxImportError(`attribute '${attribute.name}': ${problem}`, location);
  };
  if (attribute.ref_attr_name) fail(`refers to a function attribute ('${attribute.ref_attr_name}'), which only functions may do`);
  switch (attribute.type) {
    case AttributeType.FLOAT:
      return Math.fround(attribute.f);
    case AttributeType.INT:
      return int64ToNumber(attribute.i);
    case AttributeType.STRING:
      return decodeUtf8(attribute.s);
    case AttributeType.FLOATS:
      return attribute.floats.map((value) => Math.fround(value));
    case AttributeType.INTS:
      return attribute.ints.map(int64ToNumber);
    case AttributeType.STRINGS:
      return attribute.strings.map(decodeUtf8);
    case AttributeType.TENSOR:
      if (!attribute.t) return fail('type is TENSOR but it holds no tensor');
      return tensorFromMessage(attribute.t, { what: `attribute '${attribute.name}'`, file: location.file });
    default: {
      const typeName = TYPE_NAMES.get(attribute.type);
      return fail(typeName ? `${typeName} attributes are not supported` : `unknown attribute type ${attribute.type}`);
    }
  }
}
