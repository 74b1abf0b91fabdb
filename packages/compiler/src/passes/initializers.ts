/**
 * Turning computed values into initializers: the node that produced them
 * goes, and the values keep their names, so every reader (and a graph
 * output of that name) sees the constant.
 */
import { knownFromTensor, type Graph, type Node, type Tensor, type Value } from '@ladon/ir';

/** Makes `value` the initializer `name` (declared with the tensor's own type). */
export function defineInitializer(graph: Graph, name: string, value: Tensor): void {
  const known = knownFromTensor(value);
  const entry: Value = { name, type: { dtype: value.dtype, shape: [...value.shape] }, ...(known ? { known } : {}) };
  graph.values.set(name, entry);
  graph.initializers.set(name, value);
}

/** Removes `node` and defines each of its outputs as the initializer `values[slot]` under the same name. */
export function replaceNodeWithInitializers(graph: Graph, node: Node, values: readonly (Tensor | undefined)[]): void {
  node.outputs.forEach((name, slot) => {
    const value = values[slot];
    if (!name) return;
    if (!value) throw new Error(`replaceNodeWithInitializers: no value for output ${slot} %${name}`);
    defineInitializer(graph, name, value);
  });
  graph.nodes.splice(graph.nodes.indexOf(node), 1);
}
