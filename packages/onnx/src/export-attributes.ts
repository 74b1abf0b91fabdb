/**
 * IR attributes and value types -> ONNX protobuf fields (for the model
 * writer). Whether an IR number is an ONNX INT or FLOAT comes from the op's
 * schema (`OpDef.attributes`), the same schema the importer's IR checks.
 */
import { dtypeToOnnxType, getOpDef, isSymbolName, type AttrSpec, type AttrValue, type Dim, type Node, type Tensor, type TensorType } from '@ladon/ir';
import { AttributeType } from './attributes.js';
import { OnnxExportError } from './export-errors.js';
import { tensorMessageFields } from './tensor-proto.js';

/** Plain protobuf fields of one message (names as in onnx.proto). */
export type MessageFields = Record<string, unknown>;

const utf8 = new TextEncoder();

/** The `AttributeProto` fields of every attribute set on `node`, in name order. */
export function attributeFields(node: Node, label: string): MessageFields[] {
  const schema = getOpDef(node.op).attributes;
  return Object.keys(node.attrs)
    .filter((name) => node.attrs[name] !== undefined)
    .sort()
    .map((name) => {
      const spec = schema[name];
      if (!spec) throw new OnnxExportError(`attribute '${name}' is not in the schema of ${node.op}`, { node: label, op: node.op });
      return attributeField(name, node.attrs[name], spec, { node: label, op: node.op });
    });
}

function attributeField(name: string, value: AttrValue, spec: AttrSpec, where: { node: string; op: string }): MessageFields {
  const wrongKind = (): never => {
    throw new OnnxExportError(`attribute '${name}' should be ${spec.type} but holds ${JSON.stringify(value)}`, where);
  };
  switch (spec.type) {
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) ? { name, type: AttributeType.INT, i: value } : wrongKind();
    case 'float':
      return typeof value === 'number' ? { name, type: AttributeType.FLOAT, f: value } : wrongKind();
    case 'string':
      return typeof value === 'string' ? { name, type: AttributeType.STRING, s: utf8.encode(value) } : wrongKind();
    case 'ints':
      return isNumberList(value) ? { name, type: AttributeType.INTS, ints: [...value] } : wrongKind();
    case 'floats':
      return isNumberList(value) ? { name, type: AttributeType.FLOATS, floats: [...value] } : wrongKind();
    case 'strings':
      return isStringList(value) ? { name, type: AttributeType.STRINGS, strings: value.map((text) => utf8.encode(text)) } : wrongKind();
    case 'tensor':
      return isTensor(value) ? { name, type: AttributeType.TENSOR, t: tensorMessageFields('', value) } : wrongKind();
  }
}

function isNumberList(value: AttrValue): value is readonly number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}

function isStringList(value: AttrValue): value is readonly string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isTensor(value: AttrValue): value is Tensor {
  return typeof value === 'object' && !Array.isArray(value) && 'dtype' in value;
}

/**
 * One `TensorShapeProto.Dimension`: a number as `dim_value`, a plain
 * symbol (`seq`) as `dim_param`; an expression (`2*seq`) or `?` is left
 * unset, since ONNX gives `dim_param` no arithmetic meaning.
 */
function dimensionField(dim: Dim): MessageFields {
  if (typeof dim === 'number') return { dim_value: dim };
  return isSymbolName(dim) ? { dim_param: dim } : {};
}

/** A `ValueInfoProto` for a value of `type`. */
export function valueInfoFields(name: string, type: TensorType): MessageFields {
  const shape = { dim: type.shape.map(dimensionField) };
  return { name, type: { tensor_type: { elem_type: dtypeToOnnxType(type.dtype), shape } } };
}
