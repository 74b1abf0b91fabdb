/**
 * Head-loop merging. Model code that loops over heads — `torch.split` /
 * `chunk` of Q, K and V into heads, single-head attention per chunk,
 * `torch.cat` of the outputs (or an `nn.ModuleList` of one-head modules) —
 * fuses into N one-head Attentions whose outputs a Concat joins on the
 * feature axis. Those N attentions *are* one N-head attention over the
 * joined operands (see join-heads.ts): the rule replaces the Concat with one
 * 3-D Attention (`q_num_heads = kv_num_heads = N`), whose output is already
 * laid out as the heads side by side.
 *
 * Each part is a one-head attention as fuse-attention writes it for 3-D
 * operands (`Squeeze(Attention(Unsqueeze(q_h), Unsqueeze(k_h),
 * Unsqueeze(v_h), mask?))`) or an already merged 3-D Attention. All parts
 * must agree on every attribute and read the same mask; none may have a KV
 * cache or return weights.
 */
import { constantValues, type Graph, type Node } from '@ladon/ir';
import { insertNode } from '../../graph-edit.js';
import { capture, op } from '../../rewrite/pattern.js';
import type { Pass, PassContext } from '../../pass.js';
import { applyRules, type RewriteRule, type RuleMatch } from '../../rewrite/rewriter.js';
import { attributesEqual, effectiveAttributes } from '../attributes.js';
import { joinLastAxis, sameLeadingDims } from './join-heads.js';
import type { GraphIndex } from './layout.js';

/** One head group of the loop: its 3-D operands, head count and mask. */
interface HeadGroup {
  readonly attention: Node;
  readonly q: string;
  readonly k: string;
  readonly v: string;
  readonly heads: number;
  readonly mask: string;
}

function onlyReader(index: GraphIndex, value: string, reader: Node): boolean {
  const readers = index.consumers.get(value) ?? [];
  return !index.graph.outputs.includes(value) && readers.length === 1 && readers[0] === reader;
}

function squeezesHeadAxis(index: GraphIndex, node: Node, op: 'Squeeze' | 'Unsqueeze'): boolean {
  const axes = index.constants.get(node.inputs[1]);
  return node.op === op && axes !== undefined && axes.data.length === 1 && Number(axes.data[0]) === 1;
}

/** A one-head attention behind Squeeze, or a 3-D attention: its operands; undefined otherwise. */
function headGroupOf(index: GraphIndex, part: string, concat: Node): HeadGroup | undefined {
  const producer = index.producers.get(part);
  if (!producer || !onlyReader(index, part, concat)) return undefined;
  if (producer.op === 'Attention' && producer.attrs.q_num_heads !== undefined) {
    return plainAttention(producer) ? groupFrom(producer, producer.inputs, producer.attrs.q_num_heads as number) : undefined;
  }
  if (!squeezesHeadAxis(index, producer, 'Squeeze')) return undefined;
  const attention = index.producers.get(producer.inputs[0]);
  if (attention?.op !== 'Attention' || !plainAttention(attention) || !onlyReader(index, attention.outputs[0], producer)) return undefined;
  const operands = attention.inputs.slice(0, 3).map((input) => index.producers.get(input));
  if (operands.some((node) => !node || !squeezesHeadAxis(index, node, 'Unsqueeze'))) return undefined;
  if (index.graph.typeOf(attention.inputs[0]).shape[1] !== 1 || index.graph.typeOf(attention.inputs[1]).shape[1] !== 1) return undefined;
  return groupFrom(attention, [...operands.map((node) => node!.inputs[0]), attention.inputs[3] ?? ''], 1);
}

function groupFrom(attention: Node, inputs: readonly string[], heads: number): HeadGroup {
  return { attention, q: inputs[0], k: inputs[1], v: inputs[2], heads, mask: inputs[3] ?? '' };
}

/** No KV cache, no nonpad lengths, no weights output, Q heads = KV heads. */
function plainAttention(node: Node): boolean {
  const heads = node.attrs.q_num_heads;
  return node.inputs.length <= 4 && node.outputs.slice(1).every((output) => !output) && heads === (node.attrs.kv_num_heads ?? heads);
}

/** The attributes that must agree (head counts differ per group). */
function sharedAttributes(node: Node): Node['attrs'] {
  const { q_num_heads: _q, kv_num_heads: _kv, ...rest } = effectiveAttributes(node);
  return rest;
}

function sameHeadSizes(graph: Graph, groups: readonly HeadGroup[]): boolean {
  const size = (value: string, heads: number) => {
    const width = graph.typeOf(value).shape[2];
    return typeof width === 'number' ? width / heads : undefined;
  };
  return (['q', 'k', 'v'] as const).every((slot) => {
    const sizes = groups.map((group) => size(group[slot], group.heads));
    return sizes.every((value) => value !== undefined && Number.isInteger(value) && value === sizes[0]);
  });
}

function lastAxisConcat(attrs: Node['attrs'], node: Node): boolean {
  const axis = attrs.axis as number;
  return node.inputs.length >= 2 && (axis === -1 || axis === 2);
}

/** The rule: `Concat(head_0, ..., head_N-1)` of per-head attentions -> one N-head Attention. */
export function mergeHeadLoopsRule(onDecline: (reason: string) => void = () => {}): RewriteRule {
  return {
    name: 'merge-head-loop',
    pattern: op('Concat', [capture('first')], { extraInputs: true, where: lastAxisConcat, as: 'concat' }),
    rewrite(match: RuleMatch, graph: Graph) {
      const concat = match.root;
      const index: GraphIndex = { graph, producers: graph.producers(), consumers: graph.consumers(), constants: constantValues(graph) };
      const groups = concat.inputs.map((part) => headGroupOf(index, part, concat));
      if (groups.some((group) => !group)) {
        if (groups.filter(Boolean).length >= 2) onDecline('a Concat joins per-head attentions with other values');
        return undefined;
      }
      const heads = groups as HeadGroup[];
      const reason = mismatch(graph, heads);
      if (reason) return declined(onDecline, reason);
      const operands = (['q', 'k', 'v'] as const).map((slot) => joinLastAxis(graph, index, heads.map((group) => group[slot]), concat, `heads_${slot}`));
      const count = heads.reduce((sum, group) => sum + group.heads, 0);
      const attrs = { ...heads[0].attention.attrs, q_num_heads: count, kv_num_heads: count };
      const inputs = heads[0].mask ? [...operands, heads[0].mask] : operands;
      const [y] = insertNode(graph, 'Attention', inputs, attrs, { before: concat, name: 'attention', outputs: [true, false, false, false] });
      return y;
    },
  };
}

function mismatch(graph: Graph, groups: readonly HeadGroup[]): string | undefined {
  const [first] = groups;
  if (!groups.every((group) => attributesEqual(sharedAttributes(group.attention), sharedAttributes(first.attention)))) return 'per-head attentions with different attributes';
  if (!groups.every((group) => group.mask === first.mask)) return 'per-head attentions with different masks';
  if (!(['q', 'k', 'v'] as const).every((slot) => sameLeadingDims(graph, groups.map((group) => group[slot])))) return 'per-head operands of different batch or sequence sizes';
  if (!sameHeadSizes(graph, groups)) return 'per-head attentions with different head sizes';
  return undefined;
}

function declined(onDecline: (reason: string) => void, reason: string): undefined {
  onDecline(reason);
  return undefined;
}

/** The pass: merges per-head loops; counts merges and distinct decline reasons. */
export const mergeHeadLoopsPass: Pass = {
  name: 'merge-head-loops',
  description: 'per-head attentions over slices of the same Q, K, V joined by a Concat become one multi-head Attention',
  run(graph: Graph, ctx: PassContext) {
    const reasons = new Set<string>();
    const fired = applyRules(graph, [mergeHeadLoopsRule((reason) => reasons.add(reason))]);
    ctx.count('merged', fired.get('merge-head-loop') ?? 0);
    for (const reason of reasons) ctx.count(`declined: ${reason}`);
  },
};
