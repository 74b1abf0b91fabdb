/**
 * Common-subexpression elimination. Initializers with the same dtype, shape
 * and bits are merged (the first one is kept), then nodes with the same op,
 * the same inputs (in any order for commutative ops) and equal
 * attributes (defaults filled in; tensors compared by their bits) are merged
 * into the first. Merging repeats until nothing changes, so whole duplicate
 * chains collapse. Graph outputs keep their names.
 */
import { getOpDef, type Graph, type Node } from '@ladon/ir';
import { removeDeadNodes, replaceAllUses } from '../graph-edit.js';
import type { Pass, PassContext } from '../pass.js';
import { needsIdentityForOutput } from './bypass.js';
import { attributesEqual, attributesKey, effectiveAttributes } from './attributes.js';
import { tensorHash, tensorsEqual } from './tensor-equality.js';

/** The inputs of `node` in a canonical order (sorted for commutative ops). */
function canonicalInputs(node: Node): string[] {
  return getOpDef(node.op).commutative && node.inputs.length === 2 ? [...node.inputs].sort() : node.inputs;
}

/** True when `later` computes exactly what `earlier` computes. */
function sameComputation(earlier: Node, later: Node): boolean {
  if (earlier.op !== later.op || earlier.outputs.length !== later.outputs.length) return false;
  if (earlier.outputs.some((output, slot) => Boolean(output) !== Boolean(later.outputs[slot]))) return false;
  const [a, b] = [canonicalInputs(earlier), canonicalInputs(later)];
  if (a.length !== b.length || a.some((input, index) => input !== b[index])) return false;
  return attributesEqual(effectiveAttributes(earlier), effectiveAttributes(later));
}

function mergeDuplicateInitializers(graph: Graph, ctx: PassContext): void {
  const firstByHash = new Map<string, string[]>();
  for (const [name, value] of [...graph.initializers]) {
    const hash = tensorHash(value);
    const candidates = firstByHash.get(hash) ?? [];
    const original = candidates.find((candidate) => tensorsEqual(graph.initializers.get(candidate)!, value));
    if (original === undefined || graph.outputs.includes(name)) {
      firstByHash.set(hash, [...candidates, name]);
      continue;
    }
    replaceAllUses(graph, name, original);
    graph.initializers.delete(name);
    graph.values.delete(name);
    ctx.count('merged-initializers');
  }
}

/** One sweep of node merging; returns how many nodes were merged. */
function mergeDuplicateNodesOnce(graph: Graph): number {
  const seen = new Map<string, Node[]>();
  let merged = 0;
  for (const node of [...graph.nodes]) {
    if (!node.outputs.some(Boolean)) continue;
    const key = `${node.op}(${canonicalInputs(node).join(',')}){${attributesKey(effectiveAttributes(node))}}`;
    const candidates = seen.get(key) ?? [];
    const original = candidates.find((candidate) => sameComputation(candidate, node));
    if (!original || (node.op === 'Identity' && needsIdentityForOutput(graph, node.outputs[0], original.outputs[0]))) {
      seen.set(key, [...candidates, node]);
      continue;
    }
    node.outputs.forEach((output, slot) => {
      if (output) replaceAllUses(graph, output, original.outputs[slot]);
    });
    merged++;
  }
  return merged;
}

/** Merges duplicate initializers and duplicate nodes (keeping the first of each). Counters: `merged-initializers`, `merged-nodes`. */
export const csePass: Pass = {
  name: 'cse',
  description: 'merges duplicate initializers and nodes that compute the same thing',
  run(graph, ctx) {
    mergeDuplicateInitializers(graph, ctx);
    for (let sweep = 0; sweep < 16; sweep++) {
      const merged = mergeDuplicateNodesOnce(graph);
      ctx.count('merged-nodes', merged);
      if (merged === 0) break;
      removeDeadNodes(graph);
    }
    removeDeadNodes(graph);
  },
};
