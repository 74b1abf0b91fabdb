/**
 * The one rule for values the host already knows. A small integer tensor
 * (rank 0 or 1) whose every entry shape inference knows — a number or a
 * polynomial in the input symbols (`seq`, `batch*seq`) — is written by the
 * runtime from the bound symbols; constants are weights; values the host
 * computes from the feeds (runtime/) are written by the runtime too. A node
 * whose outputs are all such values needs no kernel.
 */
import type { Dim, Graph, Node, Tensor } from '@ladon/ir';
import type { RuntimeValues } from '../runtime/runtime-values.js';

/** The contents the runtime writes for `value`, or undefined when a kernel (or a feed) must produce it. */
export function hostKnownContents(graph: Graph, value: string): readonly Dim[] | undefined {
  const info = graph.values.get(value);
  const known = info?.known;
  if (!known || !known.every((dim) => dim !== '?') || info.type.shape.length > 1 || graph.inputs.includes(value)) return undefined;
  return known;
}

/** True when every output of `node` is a constant or a value the host knows or computes: no kernel runs for it. */
export function needsNoKernel(graph: Graph, node: Node, constants: ReadonlyMap<string, Tensor>, runtime?: RuntimeValues): boolean {
  return node.outputs.every((output) => !output || constants.has(output) || hostKnownContents(graph, output) !== undefined || runtime?.writtenByHost(output));
}
