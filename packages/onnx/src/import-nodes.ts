/**
 * ONNX nodes -> IR nodes. Op names, input/output names and attribute names
 * carry over unchanged (the IR follows ONNX); Constant nodes get one `value`
 * tensor; each node's op version must be one Ladon reads (opset-policy.ts),
 * and older forms are rewritten to the current one (legacy-forms.ts).
 */
import { hasOp, UnknownOpError, type AttrValue, type ErrorLocation, type Node, type UnknownOpUse } from '@ladon/ir';
import { convertAttribute } from './attributes.js';
import { constantNodeValue } from './constants.js';
import { OnnxImportError } from './errors.js';
import type { GraphAssembler } from './graph-assembler.js';
import { upgradeLegacyForm } from './legacy-forms.js';
import { checkOpVersion } from './opset-policy.js';
import type { NodeMessage } from './proto-messages.js';

/** The label of an ONNX node in messages, like the IR's: `%first_output (name)`. */
function messageLabel(message: NodeMessage): string {
  const first = message.output.find((output) => output !== '') ?? '?';
  return message.name && message.name !== first ? `%${first} (${message.name})` : `%${first}`;
}

/**
 * Refuses a model whose nodes use ops outside Ladon's op set, listing every
 * such op with its node count and first node (not just the first one met).
 */
export function checkKnownOps(messages: readonly NodeMessage[], file: string | undefined): void {
  const uses = new Map<string, { count: number; firstNode: string }>();
  for (const message of messages) {
    if (!message.op_type || hasOp(message.op_type)) continue;
    const use = uses.get(message.op_type);
    if (use) use.count++;
    else uses.set(message.op_type, { count: 1, firstNode: messageLabel(message) });
  }
  if (uses.size === 0) return;
  const unknownOps: UnknownOpUse[] = [...uses].map(([op, use]) => ({ op, ...use }));
  const [first] = unknownOps;
  throw new UnknownOpError(first.op, { ...(file ? { file } : {}), node: first.firstNode }, unknownOps);
}

/** Converts one ONNX node to an IR node (not yet added to a graph). */
export function nodeFromMessage(message: NodeMessage, file: string | undefined): Node {
  if (!message.op_type) throw new OnnxImportError(`node ${messageLabel(message)} has no op_type`, file ? { file } : {});
  const location: ErrorLocation = { ...(file ? { file } : {}), node: messageLabel(message), op: message.op_type };
  const attrs: Record<string, AttrValue> = {};
  if (message.op_type === 'Constant') {
    attrs.value = constantNodeValue(message, location);
  } else {
    for (const attribute of message.attribute) {
      if (Object.prototype.hasOwnProperty.call(attrs, attribute.name)) throw new OnnxImportError(`attribute '${attribute.name}' is given twice`, location);
      attrs[attribute.name] = convertAttribute(attribute, location);
    }
  }
  const node: Node = { op: message.op_type, inputs: [...message.input], outputs: [...message.output], attrs };
  if (message.name) node.name = message.name;
  return node;
}

/** Converts an ONNX node and adds it (or its current form) to the graph, once its op version is one Ladon reads. */
export function importNode(message: NodeMessage, assembler: GraphAssembler, opsetVersion: number, file: string | undefined): void {
  const node = nodeFromMessage(message, file);
  const version = checkOpVersion(node.op, opsetVersion, { ...(file ? { file } : {}), node: messageLabel(message), op: node.op });
  for (const each of upgradeLegacyForm(node, version, assembler)) assembler.addNode(each);
}
