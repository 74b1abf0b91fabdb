/**
 * Bypassing a node that computes nothing new (an Identity, a Cast to the
 * same dtype, a Transpose by the identity permutation): its readers read the
 * replacement instead, and the node dies.
 */
import type { Graph, Node } from '@ladon/ir';
import { replaceAllUses } from '../graph-edit.js';

/**
 * True when replacing `value` by `replacement` would only swap one Identity
 * for another: `value` is a graph output (which keeps its name) and
 * `replacement` cannot take that name (it is a graph input, an initializer,
 * or itself a graph output).
 */
export function needsIdentityForOutput(graph: Graph, value: string, replacement: string): boolean {
  if (!graph.outputs.includes(value)) return false;
  // Graph inputs and initializers have no producer node to rename.
  return graph.outputs.includes(replacement) || !graph.producers().has(replacement);
}

/**
 * Makes every reader of `node`'s first output read `replacement` instead
 * (a graph output keeps its name). Returns false, changing nothing, when
 * the node is an Identity that would only be replaced by another Identity.
 */
export function bypassNode(graph: Graph, node: Node, replacement: string): boolean {
  const output = node.outputs[0];
  if (!output) return false;
  if (node.op === 'Identity' && needsIdentityForOutput(graph, output, replacement)) return false;
  replaceAllUses(graph, output, replacement);
  return true;
}
