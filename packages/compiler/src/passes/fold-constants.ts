/**
 * Constant folding. Constant nodes become initializers (keeping their value
 * names), then every node whose inputs are all constants and whose outputs
 * are small and static is evaluated with the reference semantics and
 * replaced by initializers of the same names. Folding runs in node order, so
 * whole constant chains fold in one sweep.
 */
import { isStaticShape, LadonError, runNode, shapeSize, type Graph, type Node, type Tensor } from '@ladon/ir';
import type { Pass, PassContext } from '../pass.js';
import { replaceNodeWithInitializers } from './initializers.js';

/** Outputs with more elements than this are left computed at run time. */
export const MAX_FOLDED_ELEMENTS = 1 << 20;

/** Runs `node` on `inputs`; undefined when its reference semantics refuse (the node is then left alone). */
function tryRun(node: Node, inputs: readonly (Tensor | undefined)[]): (Tensor | undefined)[] | undefined {
  try {
    return runNode(node, inputs);
  } catch (error) {
    if (error instanceof LadonError) return undefined;
    throw error;
  }
}

/** True when every present output of `node` has a static declared shape of at most MAX_FOLDED_ELEMENTS elements. */
function hasSmallStaticOutputs(graph: Graph, node: Node): boolean {
  return node.outputs.every((output) => {
    if (!output) return true;
    const shape = graph.typeOf(output).shape;
    return isStaticShape(shape) && shapeSize(shape) <= MAX_FOLDED_ELEMENTS;
  });
}

/** True when the evaluated outputs have exactly the declared types. */
function matchesDeclaredTypes(graph: Graph, node: Node, values: readonly (Tensor | undefined)[]): boolean {
  return node.outputs.every((output, slot) => {
    if (!output) return true;
    const value = values[slot];
    const declared = graph.typeOf(output);
    return value !== undefined && value.dtype === declared.dtype && value.shape.join(',') === declared.shape.join(',');
  });
}

function constantNodesToInitializers(graph: Graph, ctx: PassContext): void {
  for (const node of [...graph.nodes]) {
    if (node.op !== 'Constant' || !node.outputs[0]) continue;
    const values = tryRun(node, []);
    if (!values || !matchesDeclaredTypes(graph, node, values)) continue;
    replaceNodeWithInitializers(graph, node, values);
    ctx.count('constant-to-initializer');
  }
}

function foldConstantNodes(graph: Graph, ctx: PassContext): void {
  for (const node of [...graph.nodes]) {
    const present = node.inputs.filter((input) => input !== '');
    if (present.length === 0 || !present.every((input) => graph.initializers.has(input))) continue;
    if (!hasSmallStaticOutputs(graph, node)) continue;
    const values = tryRun(node, node.inputs.map((input) => (input ? graph.initializers.get(input) : undefined)));
    if (!values || !matchesDeclaredTypes(graph, node, values)) continue;
    replaceNodeWithInitializers(graph, node, values);
    ctx.count('folded');
  }
}

/** Constant nodes -> initializers; nodes computing only from constants (small static outputs) -> their values. Counters: `constant-to-initializer`, `folded`. */
export const foldConstantsPass: Pass = {
  name: 'fold-constants',
  description: 'Constant nodes become initializers; nodes computed only from constants are evaluated',
  run(graph, ctx) {
    constantNodesToInitializers(graph, ctx);
    foldConstantNodes(graph, ctx);
  },
};
