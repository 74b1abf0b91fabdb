/**
 * Absorbs the head split and merge into the Attention op's layout. Exports
 * split heads with `Reshape([B, S, H·D] -> [B, S, H, D])` + `Transpose(0, 2,
 * 1, 3)` and merge them back with the inverse pair; ONNX Attention takes the
 * 3-D `[B, S, H·D]` form directly (with `q_num_heads` / `kv_num_heads`), so
 * the four data movements per operand disappear and the kernel reads the
 * projections in place.
 */
import { ATTN_NONPAD, dimsEqual, mulDims, type Dim, type Graph, type Node } from '@ladon/ir';
import { insertNode } from '../../graph-edit.js';
import { capture, op, type OpPattern } from '../../rewrite/pattern.js';
import { rulePass, type RewriteRule, type RuleMatch } from '../../rewrite/rewriter.js';

const HEADS_PERM = [0, 2, 1, 3];

function isHeadsPerm(attrs: Node['attrs']): boolean {
  const perm = attrs.perm as readonly number[] | undefined;
  return perm !== undefined && perm.length === 4 && perm.every((axis, index) => axis === HEADS_PERM[index]);
}

function headSplit(name: string): OpPattern {
  return op('Transpose', [op('Reshape', [capture(`${name}3`), capture(`${name}Shape`)], { as: `${name}Split` })], { where: isHeadsPerm });
}

/** No nonpad lengths: the 3-D form keeps the same meaning (a KV cache stays 4-D: past and present are [B, Hkv, T, D] in both forms). */
const PLAIN_ATTENTION = (_attrs: Node['attrs'], node: Node): boolean => !node.inputs[ATTN_NONPAD];

/** `[B, S, H·D]` split as `[B, S, H, D]`: returns H and D, or undefined. */
function splitHeads(graph: Graph, flat: string, split: string): { heads: number; size: Dim } | undefined {
  const before = graph.typeOf(flat).shape;
  const after = graph.typeOf(split).shape;
  if (before.length !== 3 || after.length !== 4 || typeof after[2] !== 'number') return undefined;
  if (!dimsEqual(before[0], after[0]) || !dimsEqual(before[1], after[1]) || !dimsEqual(mulDims(after[2], after[3]), before[2])) return undefined;
  return { heads: after[2], size: after[3] };
}

function onlyReader(graph: Graph, value: string, reader: Node): boolean {
  if (graph.outputs.includes(value)) return false;
  return graph.nodes.every((node) => node === reader || !node.inputs.includes(value));
}

/** The rule: `Reshape(Transpose(Attention(split(q), split(k), split(v), mask?)))` -> 3-D Attention. */
export const absorbHeadLayout: RewriteRule = {
  name: 'absorb-head-layout',
  pattern: op(
    'Reshape',
    [op('Transpose', [op('Attention', [headSplit('q'), headSplit('k'), headSplit('v')], { as: 'attention', extraInputs: true, where: PLAIN_ATTENTION })], { where: isHeadsPerm, as: 'merge' }), capture('mergeShape')],
    { as: 'output' },
  ),
  handlesEscapes: true,
  rewrite(match: RuleMatch, graph: Graph) {
    const attention = match.nodes.get('attention')!;
    const merge = match.nodes.get('merge')!;
    if (!onlyReader(graph, attention.outputs[0], merge) || !onlyReader(graph, merge.outputs[0], match.root)) return undefined;
    const [q, k, v] = ['q', 'k', 'v'].map((name) => splitHeads(graph, match.values.get(`${name}3`)!, match.values.get(`${name}Split`)!));
    if (!q || !k || !v || !dimsEqual(k.heads, v.heads)) return undefined;
    const merged = graph.typeOf(match.root.outputs[0]).shape;
    const y = graph.typeOf(attention.outputs[0]).shape;
    const sameRows = merged.length === 3 && dimsEqual(merged[0], y[0]) && dimsEqual(merged[1], y[2]);
    if (!sameRows || !dimsEqual(merged[2], mulDims(y[1], y[3]))) return undefined;
    const inputs = [match.values.get('q3')!, match.values.get('k3')!, match.values.get('v3')!, ...attention.inputs.slice(3)];
    const attrs = { ...attention.attrs, q_num_heads: q.heads, kv_num_heads: k.heads };
    const wanted = attention.outputs.map((output) => Boolean(output));
    const outputs = insertNode(graph, 'Attention', inputs, attrs, { before: match.root, name: 'attention', outputs: wanted });
    const replacements = new Map([[match.root.outputs[0], outputs[0]]]);
    attention.outputs.forEach((output, slot) => slot > 0 && output && replacements.set(output, outputs[slot]));
    return replacements;
  },
};

/** The pass form of {@link absorbHeadLayout}. */
export const absorbHeadLayoutPass = rulePass('absorb-head-layout', 'head split/merge reshapes become the 3-D Attention layout', [absorbHeadLayout]);
