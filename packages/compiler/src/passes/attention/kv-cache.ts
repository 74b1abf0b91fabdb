/**
 * The KV cache written in the graph: `present_key = Concat(past_key, K)` on
 * the sequence axis of [B, Hkv, T, D] (the same for V), with the concatenated
 * tensors read as the attention's keys and values — and usually returned as
 * graph outputs. ONNX Attention takes the past and the new keys separately
 * (its `past_key` / `past_value` inputs) and returns the concatenation as
 * `present_key` / `present_value`; with `is_causal`, the diagonal is offset
 * by the past length (bottom-right aligned), as exports slice their causal
 * buffers.
 */
import { dimsEqual, type Graph, type Node } from '@ladon/ir';
import { insertOp } from '../../graph-edit.js';
import { producedBy, type GraphIndex } from './layout.js';

/** The two halves of an in-graph cache and the Concat nodes that join them. */
export interface InGraphCache {
  readonly pastKey: string;
  readonly pastValue: string;
  /** The new keys and values [B, Hkv, Skv, D]. */
  readonly key: string;
  readonly value: string;
  readonly keyConcat: Node;
  readonly valueConcat: Node;
}

/** `Concat(past, current)` on axis 2 of rank-4 tensors: [past, current], or undefined. */
function splitConcat(index: GraphIndex, value: string): { node: Node; past: string; current: string } | undefined {
  const node = producedBy(index, value, 'Concat');
  if (!node || node.inputs.length !== 2) return undefined;
  const axis = node.attrs.axis as number;
  const shapes = node.inputs.map((input) => index.graph.typeOf(input).shape);
  if ((axis !== 2 && axis !== -2) || shapes.some((shape) => shape.length !== 4)) return undefined;
  const [past, current] = shapes;
  if (![0, 1, 3].every((axisIndex) => dimsEqual(past[axisIndex], current[axisIndex]))) return undefined;
  return { node, past: node.inputs[0], current: node.inputs[1] };
}

/** K and V as the concatenations of a past and new keys/values, or undefined. */
export function inGraphCache(index: GraphIndex, k: string, v: string): InGraphCache | undefined {
  const keys = splitConcat(index, k);
  const values = splitConcat(index, v);
  if (!keys || !values || keys.node === values.node) return undefined;
  const keyShape = index.graph.typeOf(keys.current).shape;
  const valueShape = index.graph.typeOf(values.current).shape;
  const pastShapes = [keys.past, values.past].map((past) => index.graph.typeOf(past).shape);
  if (!dimsEqual(keyShape[2], valueShape[2]) || !dimsEqual(pastShapes[0][2], pastShapes[1][2])) return undefined;
  return { pastKey: keys.past, pastValue: values.past, key: keys.current, value: values.current, keyConcat: keys.node, valueConcat: values.node };
}

/**
 * Readers of a present tensor placed before the Attention node (`before`)
 * cannot read its present output, which comes later: they get a copy of the
 * Concat instead (dead when they are, as the shape reads of a causal mask
 * that the fusion dropped).
 */
export function detachEarlyReaders(graph: Graph, concat: Node, before: Node): void {
  const limit = graph.nodes.indexOf(before);
  const output = concat.outputs[0];
  const early = graph.nodes.filter((node, position) => position < limit && node.inputs.includes(output));
  if (early.length === 0) return;
  const copy = insertOp(graph, 'Concat', concat.inputs, concat.attrs, { before: early[0], name: `${output}_concat` });
  for (const node of early) node.inputs = node.inputs.map((input) => (input === output ? copy : input));
}
