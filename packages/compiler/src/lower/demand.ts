/**
 * Which nodes a lowering must run. Static inputs (ports with the `static`
 * trait: a Reshape's target shape, Slice bounds, axes) are read at compile
 * time from their known contents, so the nodes computing them (Shape ->
 * Gather -> Concat chains) need no kernel. A node runs when one of its
 * outputs is a graph output or is read as a buffer by a node that runs.
 */
import { getOpDef, inputPort, type Graph, type Node } from '@ladon/ir';

/** True when input `slot` of `node` is read at compile time (its op's port is `static`). */
export function isStaticInput(node: Node, slot: number): boolean {
  return inputPort(getOpDef(node.op), slot)?.static === true;
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
