/**
 * Attention fusion: every scaled-dot-product attention the analysis finds
 * becomes one IR `Attention` node (ONNX Attention semantics), so a single
 * specialised kernel runs where a runtime would run a dozen ops and
 * materialise the S×S scores.
 *
 * - scale: every scalar multiplier on Q, Kᵀ or the scores, in one attribute;
 * - masks: causal masks (recognised by probing, see mask-probe.ts) become
 *   `is_causal`; other masks are summed into one additive `attn_mask`
 *   (a masked_fill becomes `Where(cond, fill, 0)` on the small mask tensor);
 * - K/V expanded for GQA/MQA are traced back to their KV heads (not copied);
 * - attention weights read elsewhere map to `qk_matmul_output_mode`.
 */
import { dimsEqual, dtypeToOnnxType, mulDims, subDims, tensor, type AttrValue, type Dim, type DType, type Graph, type Node } from '@ladon/ir';
import { insertConstant, insertNode, insertOp } from '../../graph-edit.js';
import type { Pass, PassContext } from '../../pass.js';
import { capture, constant, oneOf, op } from '../../rewrite/pattern.js';
import { applyRules, type RewriteRule } from '../../rewrite/rewriter.js';
import { analyzeAttention, type AttentionPlan, type MaskTerm } from './analyze.js';
import { composePerms, isIdentityPerm, producedBy, swapLastTwo, transposePerm, type GraphIndex } from './layout.js';
import { detachEarlyReaders, inGraphCache, type InGraphCache } from './kv-cache.js';
import { isCausalMask } from './mask-probe.js';
import { positionInputs, type PositionInputs } from './position-inputs.js';
import { constantValues, type Tensor } from '@ladon/ir';

/** Where the attention weights (or logits) escape to, mapped to a qk_matmul_output_mode. */
interface WeightsOutput {
  readonly mode: number;
  readonly value: string;
}

function indexOf(graph: Graph): GraphIndex {
  return { graph, producers: graph.producers(), consumers: graph.consumers(), constants: constantValues(graph) };
}

const SOFTMAX = op('Softmax', [capture('logits')], { as: 'softmax' });
const isAllZero = (value: Tensor): boolean => Array.from(value.data as ArrayLike<number | bigint>).every((x) => Number(x) === 0);
/**
 * torch's SDPA export guards the weights: `Where(IsNaN(p), 0, p)` zeroes the
 * NaN rows a fully masked softmax gives. Attention gives zeros for fully
 * masked rows itself, so the guarded softmax fuses like a bare one.
 */
const NAN_GUARDED_SOFTMAX = op('Where', [op('IsNaN', [SOFTMAX], { as: 'isNaN' }), constant('zero', isAllZero), capture('softmax')], { as: 'guard' });

/** The fusion rule; `onDecline` hears why a candidate was not fused. */
export function fuseAttentionRule(onDecline: (reason: string) => void = () => {}): RewriteRule {
  return {
    name: 'fuse-scaled-dot-product-attention',
    pattern: op('MatMul', [oneOf(SOFTMAX, NAN_GUARDED_SOFTMAX), capture('v')], { as: 'output' }),
    handlesEscapes: true,
    rewrite(match, graph) {
      const index = indexOf(graph);
      const guard = ['isNaN', 'guard'].map((name) => match.nodes.get(name)).filter((node) => node !== undefined);
      const analysis = analyzeAttention(index, match.nodes.get('softmax')!, match.root, guard);
      if ('declined' in analysis) return decline(onDecline, analysis.declined);
      const weights = weightsOutput(index, analysis.plan);
      if (typeof weights === 'string') return decline(onDecline, weights);
      return buildAttention(graph, index, analysis.plan, match.root, weights);
    },
  };
}

function decline(onDecline: (reason: string) => void, reason: string): undefined {
  onDecline(reason);
  return undefined;
}

/** The pass: fuses every attention; counts fusions and distinct decline reasons. */
export const fuseAttentionPass: Pass = {
  name: 'fuse-attention',
  description: 'scaled-dot-product attention subgraphs become one Attention op',
  run(graph: Graph, ctx: PassContext) {
    const reasons = new Set<string>();
    const fired = applyRules(graph, [fuseAttentionRule((reason) => reasons.add(reason))]);
    ctx.count('fused', fired.get('fuse-scaled-dot-product-attention') ?? 0);
    for (const reason of reasons) ctx.count(`declined: ${reason}`);
  },
};

/** Which chain value is read outside the chain, as a qk mode; a string says why that blocks fusion. */
function weightsOutput(index: GraphIndex, plan: AttentionPlan): WeightsOutput | undefined | string {
  const inChain = new Set(plan.chain);
  const root = plan.chain[1];
  const escaping = new Set<string>();
  for (const node of plan.chain) {
    if (node === root) continue;
    for (const value of node.outputs) {
      // A Shape reads no data (expand_as(scores) for a mask): it is not given the weights; if it stays live, so does its input.
      const readers = (index.consumers.get(value) ?? []).filter((reader) => reader.op !== 'Shape');
      if (readers.some((reader) => !inChain.has(reader)) || index.graph.outputs.includes(value)) escaping.add(value);
    }
  }
  if (escaping.size === 0) return undefined;
  if (escaping.size > 1) return 'more than one intermediate of the attention is read elsewhere';
  const [value] = escaping;
  const { stages } = plan;
  if (value === stages.probs) return { mode: 3, value };
  if (value === stages.biased && plan.masks.every((mask) => mask.kind === 'add')) return { mode: 2, value };
  if (value === stages.capped && plan.softcap > 0) return { mode: 1, value };
  if (value === stages.scaled) return { mode: 0, value };
  return 'an intermediate of the attention that no qk_matmul_output_mode gives is read elsewhere';
}

function buildAttention(graph: Graph, index: GraphIndex, plan: AttentionPlan, before: Node, weights: WeightsOutput | undefined): Map<string, string> {
  const dtype = graph.typeOf(plan.q).dtype;
  let k = untranspose(graph, index, plan.kTransposed, before);
  let v = plan.v;
  if (plan.rank === 4) [k, v] = collapseRepeatedHeads(index, k, v);
  const cache = plan.rank === 4 ? inGraphCache(index, k, v) : undefined;
  if (cache) [k, v] = [cache.key, cache.value];
  const causalTerm = weights?.mode === 2 ? undefined : plan.masks.find((mask) => isCausalTerm(index, mask, causalOffset(graph, plan, cache)));
  let q = plan.q;
  if (plan.rank === 3) [q, k, v] = [q, k, v].map((value) => unsqueezeHeads(graph, value, before));
  const positions = positionsOf(graph, index, plan, causalTerm, cache, weights);
  const mask = buildMask(graph, positions.masks, dtype, plan.rank, before);
  const attrs: Record<string, AttrValue> = { scale: Math.fround(plan.scale), ...positions.attrs };
  if (causalTerm) attrs.is_causal = 1;
  if (plan.softcap > 0) attrs.softcap = plan.softcap;
  if (weights) attrs.qk_matmul_output_mode = weights.mode;
  const inputs = attentionInputs([q, k, v, mask ?? '', cache?.pastKey ?? '', cache?.pastValue ?? ''], positions.inputs);
  const [y, presentKey, presentValue, qk] = insertNode(graph, 'Attention', inputs, attrs, { before, name: 'attention', outputs: [true, Boolean(cache), Boolean(cache), Boolean(weights)] });
  const replacements = new Map([[before.outputs[0], plan.rank === 3 ? squeezeHeads(graph, y, before) : y]]);
  if (weights) replacements.set(weights.value, plan.rank === 3 ? squeezeHeads(graph, qk, before) : qk);
  if (cache) {
    const attention = graph.nodes[graph.nodes.indexOf(before) - 1];
    for (const concat of [cache.keyConcat, cache.valueConcat]) detachEarlyReaders(graph, concat, attention);
    replacements.set(cache.keyConcat.outputs[0], presentKey);
    replacements.set(cache.valueConcat.outputs[0], presentValue);
  }
  return replacements;
}

/** The mask terms left after the position biases (4-D scores with static heads; not when the biased scores are returned) become position inputs. */
function positionsOf(graph: Graph, index: GraphIndex, plan: AttentionPlan, causalTerm: MaskTerm | undefined, cache: InGraphCache | undefined, weights: WeightsOutput | undefined): PositionInputs {
  const masks = plan.masks.filter((mask) => mask !== causalTerm);
  const heads = graph.typeOf(plan.stages.biased).shape[1];
  if (plan.rank !== 4 || typeof heads !== 'number' || weights?.mode === 2) return { masks, inputs: new Map(), attrs: {} };
  return positionInputs(graph, index, masks, { heads, ...causalOffset(graph, plan, cache), causal: Boolean(causalTerm) }, graph.typeOf(plan.q).dtype);
}

/** Q, K, V and the optional ONNX inputs, then the position inputs at their slots; trailing empty slots dropped. */
function attentionInputs(onnx: readonly string[], positions: ReadonlyMap<number, string>): string[] {
  const inputs = [...onnx];
  for (const [slot, value] of positions) {
    while (inputs.length <= slot) inputs.push('');
    inputs[slot] = value;
  }
  while (inputs.length > 3 && !inputs[inputs.length - 1]) inputs.pop();
  return inputs;
}

/** Scores [..., Sq, T] and the causal diagonal's offset: the past length with a cache (T minus the new keys), else 0. */
interface ScoreDims {
  readonly rows: Dim;
  readonly cols: Dim;
  readonly offset: Dim;
}

function causalOffset(graph: Graph, plan: AttentionPlan, cache: InGraphCache | undefined): ScoreDims {
  const scores = graph.typeOf(plan.stages.biased).shape;
  const [rows, cols] = scores.slice(-2);
  return { rows, cols, offset: cache ? subDims(cols, graph.typeOf(cache.key).shape[2]) : 0 };
}

function isCausalTerm(index: GraphIndex, mask: MaskTerm, { rows, cols, offset }: ScoreDims): boolean {
  return mask.kind === 'add' ? isCausalMask(index, mask.value, 'additive', rows, cols, offset) : isCausalMask(index, mask.condition, mask.encoding, rows, cols, offset);
}

/** K in [..., Skv, D] from Kᵀ: composes with the Transpose that made Kᵀ when there is one. */
function untranspose(graph: Graph, index: GraphIndex, kTransposed: string, before: Node): string {
  const rank = graph.typeOf(kTransposed).shape.length;
  const producer = producedBy(index, kTransposed, 'Transpose');
  if (producer) {
    const perm = composePerms(transposePerm(producer, rank), swapLastTwo(rank));
    return isIdentityPerm(perm) ? producer.inputs[0] : insertOp(graph, 'Transpose', [producer.inputs[0]], { perm }, { before, name: 'k' });
  }
  return insertOp(graph, 'Transpose', [kTransposed], { perm: swapLastTwo(rank) }, { before, name: 'k' });
}

/**
 * GQA/MQA exports repeat each KV head n times (`k[:, :, None].expand(B, Hkv, n, S, D).reshape(B, Hkv·n, S, D)`,
 * or `repeat_interleave(n, dim=1)`, exported as the same with a Tile for the expand).
 * The Attention op maps query heads to KV heads itself, so use the unrepeated K and V.
 */
function collapseRepeatedHeads(index: GraphIndex, k: string, v: string): [string, string] {
  const kBase = repeatedHeadsBase(index, k);
  const vBase = repeatedHeadsBase(index, v);
  if (!kBase || !vBase || !dimsEqual(kBase.heads, vBase.heads)) return [k, v];
  return [kBase.value, vBase.value];
}

function repeatedHeadsBase(index: GraphIndex, value: string): { value: string; heads: string | number } | undefined {
  const reshape = producedBy(index, value, 'Reshape');
  // repeat_interleave exports the repeat as a Tile of the size-1 axis: the shape checks below are the same.
  const expand = reshape && producedBy(index, reshape.inputs[0], 'Expand', 'Tile');
  const unsqueeze = expand && producedBy(index, expand.inputs[0], 'Unsqueeze');
  if (!reshape || !expand || !unsqueeze) return undefined;
  const graph = index.graph;
  const base = graph.typeOf(unsqueeze.inputs[0]).shape;
  const expanded = graph.typeOf(expand.outputs[0]).shape;
  const result = graph.typeOf(value).shape;
  if (base.length !== 4 || expanded.length !== 5 || graph.typeOf(unsqueeze.outputs[0]).shape[2] !== 1) return undefined;
  const sameOuter = [0, 1].every((axis) => dimsEqual(base[axis], expanded[axis])) && [2, 3].every((axis) => dimsEqual(base[axis], expanded[axis + 1]));
  const merged = dimsEqual(mulDims(expanded[1], expanded[2]), result[1]) && [0, 2, 3].every((axis) => dimsEqual(result[axis], base[axis]));
  return sameOuter && merged ? { value: unsqueeze.inputs[0], heads: base[1] } : undefined;
}

function unsqueezeHeads(graph: Graph, value: string, before: Node): string {
  return insertOp(graph, 'Unsqueeze', [value, insertConstant(graph, tensor('i64', [1], [1]), 'head_axis')], {}, { before, name: `${value}_heads` });
}

function squeezeHeads(graph: Graph, value: string, before: Node): string {
  return insertOp(graph, 'Squeeze', [value, insertConstant(graph, tensor('i64', [1], [1]), 'head_axis')], {}, { before, name: `${value}_squeezed` });
}

/** One additive float mask from all mask terms (or undefined when there are none). */
function buildMask(graph: Graph, masks: readonly MaskTerm[], dtype: DType, rank: number, before: Node): string | undefined {
  let combined: string | undefined;
  for (const mask of masks) {
    const additive = mask.kind === 'add' ? scaledBy(graph, castTo(graph, mask.value, dtype, before), mask.factor, before) : fillToAdditive(graph, mask, dtype, before);
    combined = combined ? insertOp(graph, 'Add', [combined, additive], {}, { before, name: 'attn_mask' }) : additive;
  }
  if (!combined) return undefined;
  const maskRank = graph.typeOf(combined).shape.length;
  if (rank === 3 && maskRank === 3) return unsqueezeHeads(graph, combined, before);
  if (maskRank < 2) {
    const axes = insertConstant(graph, tensor('i64', [2 - maskRank], maskRank === 0 ? [0, 1] : [0]), 'mask_axes');
    return insertOp(graph, 'Unsqueeze', [combined, axes], {}, { before, name: 'attn_mask' });
  }
  return combined;
}

function fillToAdditive(graph: Graph, mask: Extract<MaskTerm, { kind: 'fill' }>, dtype: DType, before: Node): string {
  const fill = insertConstant(graph, tensor(dtype, [], [mask.fill]), 'mask_fill');
  const zero = insertConstant(graph, tensor(dtype, [], [0]), 'mask_zero');
  const branches = mask.encoding === 'true-masks' ? [fill, zero] : [zero, fill];
  return insertOp(graph, 'Where', [mask.condition, ...branches], {}, { before, name: 'attn_mask' });
}

/** An additive mask applied before a scale is scaled with the scores. */
function scaledBy(graph: Graph, value: string, factor: number, before: Node): string {
  if (factor === 1) return value;
  const dtype = graph.typeOf(value).dtype;
  return insertOp(graph, 'Mul', [value, insertConstant(graph, tensor(dtype, [], [factor]), 'mask_scale')], {}, { before, name: 'attn_mask' });
}

function castTo(graph: Graph, value: string, dtype: DType, before: Node): string {
  if (graph.typeOf(value).dtype === dtype) return value;
  return insertOp(graph, 'Cast', [value], { to: dtypeToOnnxType(dtype) }, { before, name: 'attn_mask' });
}
