/**
 * Which nodes a lowering must run. Some inputs are read at compile time from
 * their known contents (a Reshape's target shape, Slice bounds, axes): the
 * nodes computing those (Shape -> Gather -> Concat chains) need no kernel.
 * A node runs when one of its outputs is a graph output or is read as a
 * buffer by a node that runs.
 */
import type { Graph, Node } from '@ladon/ir';

/** Input slots each op reads at compile time (from known contents or constants), never as a buffer. */
export const STATIC_INPUTS: Readonly<Record<string, readonly number[]>> = {
  Reshape: [1],
  Expand: [1],
  Slice: [1, 2, 3, 4],
  Unsqueeze: [1],
  Squeeze: [1],
  Split: [1],
  ConstantOfShape: [0],
  Trilu: [1],
  Range: [0, 1, 2],
  ReduceMean: [1],
  ReduceSum: [1],
};

/** True when input `slot` of `node` is read at compile time. */
export function isStaticInput(node: Node, slot: number): boolean {
  return STATIC_INPUTS[node.op]?.includes(slot) ?? false;
}

/**
 * For a lowering that reads some inputs in place from another value (the
 * wasm attention reads Q/K/V slices of a packed projection instead of the
 * Split's outputs): the value actually read for `slot` of `node`, or undefined.
 */
export type ReadsThrough = (node: Node, slot: number) => string | undefined;

/** The nodes whose outputs are needed at run time, in graph order. */
export function demandedNodes(graph: Graph, readsThrough?: ReadsThrough): Node[] {
  const needed = new Set(graph.outputs);
  const demanded = new Set<Node>();
  for (let index = graph.nodes.length - 1; index >= 0; index--) {
    const node = graph.nodes[index];
    if (!node.outputs.some((output) => output && needed.has(output))) continue;
    demanded.add(node);
    node.inputs.forEach((input, slot) => {
      if (input && !isStaticInput(node, slot)) needed.add(readsThrough?.(node, slot) ?? input);
    });
  }
  return graph.nodes.filter((node) => demanded.has(node));
}
