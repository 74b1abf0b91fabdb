/**
 * `exportOnnxModel`: an IR Graph -> the bytes of an ONNX ModelProto, through
 * the same protobufjs schema the importer reads. Value and node names carry
 * over; initializers are written as `raw_data`; graph inputs and outputs get
 * their types (numbers as `dim_value`, symbols as `dim_param`). Only ops with
 * an ONNX equivalent are written: the Ladon extensions are refused.
 */
import { nodeLabel, verifyGraph, type Graph, type Node } from '@ladon/ir';
import { attributeFields, valueInfoFields, type MessageFields } from './export-attributes.js';
import { OnnxExportError } from './export-errors.js';
import { encodeMessage } from './proto-messages.js';
import { tensorMessageFields } from './tensor-proto.js';

/** Options for {@link exportOnnxModel}. */
export interface ExportOptions {
  /** The default-domain opset to declare (13-25; default 17). */
  readonly opset?: number;
  /** `ModelProto.producer_name` (default `ladon`). */
  readonly producerName?: string;
}

/** The opsets the writer declares: from 13 on the IR's Softmax, Squeeze and Split forms are ONNX's own. */
export const EXPORT_OPSETS = { min: 13, max: 25 } as const;

/** Ops of the IR that ONNX does not have (introduced by Ladon's compiler). */
const LADON_ONLY_OPS: ReadonlySet<string> = new Set(['Linear', 'FusedMatMul']);

/** ONNX ops newer than opset 13, by the opset that introduced them. */
const INTRODUCED_IN: Readonly<Record<string, number>> = { LayerNormalization: 17, Gelu: 20, Attention: 23 };

/** The ONNX IR version that goes with an opset (as the ONNX release that introduced the opset wrote it). */
function irVersionFor(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

/**
 * Writes `graph` as a serialized ONNX model (the bytes of a `.onnx` file)
 * declaring the default-domain `opset`. The graph is verified first.
 * Throws an {@link OnnxExportError} naming the node for a Ladon-only op
 * (Linear, FusedMatMul) or an op the opset does not have yet.
 */
export function exportOnnxModel(graph: Graph, options: ExportOptions = {}): Uint8Array {
  const opset = options.opset ?? 17;
  if (!Number.isInteger(opset) || opset < EXPORT_OPSETS.min || opset > EXPORT_OPSETS.max) {
    throw new OnnxExportError(`cannot write opset ${opset} (the writer supports opsets ${EXPORT_OPSETS.min}-${EXPORT_OPSETS.max})`);
  }
  verifyGraph(graph);
  return encodeMessage('ModelProto', {
    ir_version: irVersionFor(opset),
    producer_name: options.producerName ?? 'ladon',
    producer_version: '0',
    opset_import: [{ domain: '', version: opset }],
    graph: graphFields(graph, opset),
  });
}

function graphFields(graph: Graph, opset: number): MessageFields {
  return {
    name: graph.name,
    node: graph.nodes.map((node) => nodeFields(node, opset)),
    initializer: [...graph.initializers].map(([name, value]) => tensorMessageFields(name, value)),
    input: graph.inputs.map((name) => valueInfoFields(name, graph.typeOf(name))),
    output: graph.outputs.map((name) => valueInfoFields(name, graph.typeOf(name))),
  };
}

/** Position inputs (slots after nonpad_kv_seqlen) or position attributes: Ladon's extension of Attention. */
function usesPositionExtension(node: Node): boolean {
  const positionAttributes = ['rotary_interleaved', 'alibi_form', 'relative_max_distance'];
  return node.inputs.slice(7).some(Boolean) || positionAttributes.some((name) => node.attrs[name] !== undefined);
}

function nodeFields(node: Node, opset: number): MessageFields {
  const label = nodeLabel(node);
  if (LADON_ONLY_OPS.has(node.op)) {
    throw new OnnxExportError(`${node.op} is a Ladon extension with no ONNX equivalent; export the graph before compiling it`, { node: label, op: node.op });
  }
  if (node.op === 'Attention' && usesPositionExtension(node)) {
    throw new OnnxExportError('this Attention applies rotary embeddings or position biases inside (a Ladon extension ONNX Attention lacks); export the graph before compiling it', { node: label, op: node.op });
  }
  const since = INTRODUCED_IN[node.op];
  if (since !== undefined && opset < since) {
    throw new OnnxExportError(`${node.op} needs opset ${since} or later, but the model declares opset ${opset}`, { node: label, op: node.op });
  }
  return {
    op_type: node.op,
    input: [...node.inputs],
    output: [...node.outputs],
    attribute: attributeFields(node, label),
    ...(node.name ? { name: node.name } : {}),
  };
}
