/**
 * ONNX `Constant` nodes. Every form (`value`, `value_float(s)`,
 * `value_int(s)`) becomes a Constant node with one `value` tensor
 * attribute, which is the form the IR folds and prints: value_float is an
 * f32 scalar, value_floats f32 [n], value_int an i64 scalar, value_ints
 * i64 [n] (exact, as int64). String and sparse constants are refused.
 */
import type { ErrorLocation, Tensor } from '@ladon/ir';
import { AttributeType } from './attributes.js';
import { OnnxImportError } from './errors.js';
import { int64ToBigInt } from './int64.js';
import type { AttributeMessage, NodeMessage } from './proto-messages.js';
import { tensorFromMessage } from './tensor-proto.js';

/** The tensor a Constant node produces. */
export function constantNodeValue(node: NodeMessage, location: ErrorLocation): Tensor {
  if (node.attribute.length !== 1) {
    const names = node.attribute.map((attribute) => attribute.name).join(', ') || 'none';
    throw new OnnxImportError(`a Constant node needs exactly one value attribute, got ${node.attribute.length} (${names})`, location);
  }
  return constantFromAttribute(node.attribute[0], location);
}

function constantFromAttribute(attribute: AttributeMessage, location: ErrorLocation): Tensor {
  const expect = (type: number): void => {
    if (attribute.type !== type) throw new OnnxImportError(`Constant attribute '${attribute.name}' has the wrong attribute type ${attribute.type}`, location);
  };
  switch (attribute.name) {
    case 'value':
      expect(AttributeType.TENSOR);
      if (!attribute.t) throw new OnnxImportError(`Constant attribute 'value' holds no tensor`, location);
      return tensorFromMessage(attribute.t, { what: `Constant 'value'`, file: location.file });
    case 'value_float':
      expect(AttributeType.FLOAT);
      return { dtype: 'f32', shape: [], data: Float32Array.of(attribute.f) };
    case 'value_floats':
      expect(AttributeType.FLOATS);
      return { dtype: 'f32', shape: [attribute.floats.length], data: Float32Array.from(attribute.floats) };
    case 'value_int':
      expect(AttributeType.INT);
      return { dtype: 'i64', shape: [], data: BigInt64Array.of(int64ToBigInt(attribute.i)) };
    case 'value_ints':
      expect(AttributeType.INTS);
      return { dtype: 'i64', shape: [attribute.ints.length], data: BigInt64Array.from(attribute.ints, int64ToBigInt) };
    default:
      throw new OnnxImportError(`Constant attribute '${attribute.name}' is not supported (supported: value, value_float(s), value_int(s))`, location);
  }
}
