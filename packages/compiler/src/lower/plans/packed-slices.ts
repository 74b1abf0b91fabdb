/**
 * Q, K or V read in place from a packed projection. After the
 * pack-projections pass, a 3-D Attention's Q/K/V are the outputs of a Split
 * on the last axis of one Linear output [B, S, Nq + Nk + Nv]. The wasm
 * attention kernel takes strides and a byte offset per operand, so it reads
 * each slice where it lies: the Split never runs and nothing is copied.
 * A backend that can read an operand at an element offset asks for this
 * layout when it plans attention (see attention.ts).
 */
import type { Dim, Graph, Node } from '@ladon/ir';

/** A slice of a packed tensor: the tensor, the element offset of the slice in each row, and the row width. */
export interface PackedSlice {
  readonly packed: string;
  readonly offset: number;
  readonly rowWidth: Dim;
}

function readsOnlyAsAttentionOperand(graph: Graph, value: string): boolean {
  if (graph.outputs.includes(value)) return false;
  const readers = graph.nodes.filter((node) => node.inputs.includes(value));
  return readers.length > 0 && readers.every((node) => node.op === 'Attention' && node.attrs.q_num_heads !== undefined && node.inputs.indexOf(value) <= 2 && node.inputs.lastIndexOf(value) <= 2);
}

/** The packed slice `value` is, when every output of its Split is only read as Q/K/V of 3-D Attention nodes. */
export function packedSliceOf(graph: Graph, value: string): PackedSlice | undefined {
  const split = graph.nodes.find((node) => node.op === 'Split' && node.outputs.includes(value));
  if (!split || graph.typeOf(value).dtype !== 'f32') return undefined;
  const packedShape = graph.typeOf(split.inputs[0]).shape;
  const axis = (split.attrs.axis as number | undefined) ?? 0;
  if (packedShape.length !== 3 || (axis !== -1 && axis !== 2)) return undefined;
  if (!split.outputs.every((output) => output && readsOnlyAsAttentionOperand(graph, output))) return undefined;
  let offset = 0;
  for (const output of split.outputs) {
    const width = graph.typeOf(output).shape[2];
    if (typeof width !== 'number') return undefined;
    if (output === value) return { packed: split.inputs[0], offset, rowWidth: packedShape[2] };
    offset += width;
  }
  return undefined;
}

/** The demand hook for the wasm lowering: Attention Q/K/V slots read the packed tensor. */
export function readsPackedSlice(graph: Graph): (node: Node, slot: number) => string | undefined {
  return (node, slot) => (node.op === 'Attention' && slot <= 2 ? packedSliceOf(graph, node.inputs[slot])?.packed : undefined);
}
