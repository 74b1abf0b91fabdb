/**
 * Reading node attributes the way the op sees them (absent attributes take
 * the schema's default) and comparing attribute sets by value.
 */
import { getOpDef, type AttrValue, type Attributes, type Node, type Tensor } from '@ladon/ir';
import { tensorHash, tensorsEqual } from './tensor-equality.js';

/** The attribute `name` of `node`, or its schema default when absent (undefined when neither). */
export function attributeOf(node: Node, name: string): AttrValue | undefined {
  return node.attrs[name] ?? getOpDef(node.op).attributes[name]?.default;
}

/** An int (or float) attribute with its schema default; `fallback` when neither is set. */
export function numberAttribute(node: Node, name: string, fallback = 0): number {
  const value = attributeOf(node, name);
  return typeof value === 'number' ? value : fallback;
}

/** Every attribute of `node` with the schema defaults filled in, so explicit defaults compare equal to absent ones. */
export function effectiveAttributes(node: Node): Attributes {
  const out: Record<string, AttrValue> = {};
  for (const [name, spec] of Object.entries(getOpDef(node.op).attributes)) {
    const value = node.attrs[name] ?? spec.default;
    if (value !== undefined) out[name] = value;
  }
  for (const [name, value] of Object.entries(node.attrs)) out[name] = value;
  return out;
}

function isTensor(value: AttrValue): value is Tensor {
  return typeof value === 'object' && !Array.isArray(value) && 'dtype' in value;
}

/** True when two attribute values are equal (lists element-wise, tensors bit-for-bit). */
export function attrValuesEqual(a: AttrValue, b: AttrValue): boolean {
  if (isTensor(a) || isTensor(b)) return isTensor(a) && isTensor(b) && tensorsEqual(a, b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => Object.is(item, b[index]));
  }
  return Object.is(a, b);
}

/** True when two attribute sets hold the same names with equal values. */
export function attributesEqual(a: Attributes, b: Attributes): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  return names.every((name) => b[name] !== undefined && attrValuesEqual(a[name], b[name]));
}

/** A text key of an attribute set (tensors by hash); equal sets give equal keys. */
export function attributesKey(attrs: Attributes): string {
  return Object.keys(attrs)
    .sort()
    .map((name) => {
      const value = attrs[name];
      return `${name}=${isTensor(value) ? tensorHash(value) : JSON.stringify(value)}`;
    })
    .join(';');
}
