/**
 * Reading scaled-dot-product attention out of an unfused graph. Starting
 * from `MatMul(Softmax(logits), V)`, the analysis walks the logits back:
 *
 *   logits  = masks( softcap( scale · MatMul(Q', K'ᵀ) ) )
 *   masks   = Add(x, M) | Where(c, fill, x) | Where(c, x, fill)   (any number)
 *   softcap = c · Tanh(x · 1/c)
 *   scale   = Mul by scalar constants, on the scores or on Q' / K'ᵀ
 *
 * and returns a plan, or the reason it declined. Legend: scores are
 * [B, H, Sq, Skv] (or [N, Sq, Skv] with heads folded into the batch).
 */
import { dimsEqual, type Dim, type Graph, type Node, type Tensor } from '@ladon/ir';
import { producedBy, scalarConstant, type GraphIndex } from './layout.js';
import type { MaskEncoding } from './mask-probe.js';

/** One mask applied to the scores (an additive mask scaled by `factor`: a scale applied after it). */
export type MaskTerm =
  | { readonly kind: 'add'; readonly value: string; readonly factor: number }
  | { readonly kind: 'fill'; readonly condition: string; readonly fill: number; readonly encoding: MaskEncoding };

/** The values at each stage of the logits, for mapping `qk_matmul_output_mode`. */
export interface LogitStages {
  /** Scaled QKᵀ (mode 0). */
  readonly scaled: string;
  /** After softcap (mode 1). */
  readonly capped: string;
  /** After the masks (mode 2): the softmax input. */
  readonly biased: string;
  /** The softmax output (mode 3). */
  readonly probs: string;
}

/** Everything needed to replace the subgraph with one Attention node. */
export interface AttentionPlan {
  readonly q: string;
  /** The K operand as the graph has it: Kᵀ, [..., D, Skv]. */
  readonly kTransposed: string;
  readonly v: string;
  readonly scale: number;
  readonly softcap: number;
  readonly masks: readonly MaskTerm[];
  readonly stages: LogitStages;
  /** Nodes from the QK product to the final MatMul: replaced by the fusion. */
  readonly chain: readonly Node[];
  readonly rank: 3 | 4;
}

/** The result of an analysis: a plan, or why there is none. */
export type Analysis = { readonly plan: AttentionPlan } | { readonly declined: string };

const FILL_LIMIT = -1e4;

/** Analyses the attention ending in `MatMul(softmax, v)`. */
export function analyzeAttention(index: GraphIndex, softmax: Node, output: Node, guard: readonly Node[] = []): Analysis {
  const rank = index.graph.typeOf(softmax.outputs[0]).shape.length;
  const axis = (softmax.attrs.axis as number | undefined) ?? -1;
  if (axis !== -1 && axis !== rank - 1) return { declined: `softmax over axis ${axis}, not the key axis` };
  if (rank !== 3 && rank !== 4) return { declined: `scores of rank ${rank}` };
  const chain: Node[] = [softmax, output, ...guard];
  const logits = peelLogits(index, softmax.inputs[0], chain);
  if ('declined' in logits) return logits;
  const { q, kTransposed, v, declined } = checkOperands(index.graph, logits.q, logits.kTransposed, output.inputs[1], rank);
  if (declined) return { declined };
  const maskProblem = checkMasks(index, logits.masks, logits.stages.biased, chain);
  if (maskProblem) return { declined: maskProblem };
  return {
    plan: {
      q,
      kTransposed,
      v,
      scale: logits.scale,
      softcap: logits.softcap,
      masks: logits.masks,
      stages: { ...logits.stages, probs: softmax.outputs[0] },
      chain,
      rank: rank as 3 | 4,
    },
  };
}

interface PeeledLogits {
  q: string;
  kTransposed: string;
  scale: number;
  softcap: number;
  masks: MaskTerm[];
  stages: Omit<LogitStages, 'probs'>;
}

function peelLogits(index: GraphIndex, logits: string, chain: Node[]): PeeledLogits | { declined: string } {
  const masks: MaskTerm[] = [];
  const scores = index.graph.typeOf(logits).shape;
  let current = logits;
  let outer = 1;
  for (;;) {
    const mask = peelMask(index, current, scores, outer);
    if (mask) {
      masks.unshift(...mask.terms);
      chain.push(mask.node);
      current = mask.rest;
      continue;
    }
    const scaled = scaleAboveMask(index, current, scores);
    if (!scaled) break;
    outer *= scaled.scalar;
    chain.push(scaled.node);
    current = scaled.other;
  }
  const biased = logits;
  const cap = peelSoftcap(index, current);
  if (cap) chain.push(...cap.nodes);
  const capped = current;
  const scaledScores = peelScale(index, cap ? cap.inner : current, chain);
  const qk = producedBy(index, scaledScores.value, 'MatMul');
  if (!qk) return { declined: `the logits do not come from a MatMul (found ${index.producers.get(scaledScores.value)?.op ?? 'a graph input'})` };
  chain.push(qk);
  const q = peelScale(index, qk.inputs[0], []);
  const k = peelScale(index, qk.inputs[1], []);
  return {
    q: q.value,
    kTransposed: k.value,
    scale: outer * scaledScores.scale * q.scale * k.scale,
    softcap: cap?.softcap ?? 0,
    masks,
    // With a scale applied after a mask (masks, then `/ sqrt(d)`), no graph value is the scaled QKᵀ alone.
    stages: { scaled: outer === 1 ? (cap ? cap.inner : current) : '', capped: outer === 1 ? capped : '', biased },
  };
}

/** A positive scalar Mul whose other operand is a masked score: `masked_fill(...) / sqrt(d)`. */
function scaleAboveMask(index: GraphIndex, value: string, scores: readonly Dim[]): { node: Node; scalar: number; other: string } | undefined {
  const node = producedBy(index, value, 'Mul');
  const split = node && splitScalarMul(index, node);
  if (!node || !split || !(split.scalar > 0) || !peelMask(index, split.other, scores, 1)) return undefined;
  return { node, ...split };
}

/**
 * Peels one mask off `value`: Add(x, mask), Sub(x, mask) (the mask negated)
 * or Where(c, fill, x) / Where(c, x, fill);
 * `factor` is the scale applied after it. A mask expanded to the scores' shape
 * (`expand_as(scores)`) is the unexpanded mask; a constant one (ConstantOfShape
 * with a finite value) shifts every score alike and changes nothing (term undefined).
 */
function peelMask(index: GraphIndex, value: string, scores: readonly Dim[], factor: number): { terms: MaskTerm[]; rest: string; node: Node } | undefined {
  const node = producedBy(index, value, 'Add', 'Sub', 'Where');
  if (!node) return undefined;
  if (node.op === 'Sub') return peelSubtractedMask(index, node, scores, factor);
  if (node.op === 'Where') {
    const [condition, whenTrue, whenFalse] = node.inputs;
    const fillTrue = scalarConstant(index.constants, whenTrue);
    const unexpanded = unexpand(index, condition, scores);
    if (fillTrue !== undefined && fillTrue <= FILL_LIMIT) return { terms: [{ kind: 'fill', condition: unexpanded, fill: fillTrue * factor, encoding: 'true-masks' }], rest: whenFalse, node };
    const fillFalse = scalarConstant(index.constants, whenFalse);
    if (fillFalse !== undefined && fillFalse <= FILL_LIMIT) return { terms: [{ kind: 'fill', condition: unexpanded, fill: fillFalse * factor, encoding: 'true-keeps' }], rest: whenTrue, node };
    return undefined;
  }
  const [left, right] = node.inputs;
  for (const [scoreSide, maskSide] of [
    [left, right],
    [right, left],
  ]) {
    if (!leadsToScores(index, scoreSide)) continue;
    const terms = additiveTerms(index, maskSide, scores)
      .filter((term) => !Number.isFinite(constantFill(index, term) ?? NaN))
      .map((term): MaskTerm => ({ kind: 'add', value: unexpand(index, term, scores), factor }));
    return { terms, rest: scoreSide, node };
  }
  return undefined;
}

/** Sub(x, mask) with x the scores: the mask's terms, negated. */
function peelSubtractedMask(index: GraphIndex, node: Node, scores: readonly Dim[], factor: number): { terms: MaskTerm[]; rest: string; node: Node } | undefined {
  const [scoreSide, maskSide] = node.inputs;
  if (!leadsToScores(index, scoreSide) || leadsToScores(index, maskSide)) return undefined;
  const terms = additiveTerms(index, maskSide, scores)
    .filter((term) => !Number.isFinite(constantFill(index, term) ?? NaN))
    .map((term): MaskTerm => ({ kind: 'add', value: unexpand(index, term, scores), factor: -factor }));
  return { terms, rest: scoreSide, node };
}

/**
 * A sum of masks as its terms (T5 adds its position bias and its padding
 * mask before adding them to the scores): Adds whose operands each keep the
 * scores' key axis whole are split, so each term is read on its own.
 */
function additiveTerms(index: GraphIndex, value: string, scores: readonly Dim[]): string[] {
  const node = producedBy(index, value, 'Add');
  const whole = (operand: string): boolean => {
    const shape = index.graph.typeOf(operand).shape;
    return shape.length > 0 && dimsEqual(shape[shape.length - 1], scores[scores.length - 1]);
  };
  if (!node || !node.inputs.every(whole)) return [value];
  return node.inputs.flatMap((operand) => additiveTerms(index, operand, scores));
}

/** The input of Expand(s) whose key axis already has the scores' width (broadcasting does the rest). */
function unexpand(index: GraphIndex, value: string, scores: readonly Dim[]): string {
  let current = value;
  for (let expand = producedBy(index, current, 'Expand'); expand; expand = producedBy(index, current, 'Expand')) {
    const shape = index.graph.typeOf(expand.inputs[0]).shape;
    if (shape.length === 0 || shape.length > scores.length || !dimsEqual(shape[shape.length - 1], scores[scores.length - 1])) break;
    current = expand.inputs[0];
  }
  return current;
}

/** The fill value of a ConstantOfShape producing `value`, if it is one. */
function constantFill(index: GraphIndex, value: string): number | undefined {
  const node = producedBy(index, value, 'ConstantOfShape');
  const fill = node?.attrs.value as Tensor | undefined;
  return node ? (fill ? Number(fill.data[0]) : 0) : undefined;
}

/** True when `value` is QKᵀ after scaling/softcap/masks (so the other Add operand is the mask). */
function leadsToScores(index: GraphIndex, value: string, depth = 0): boolean {
  const node = index.producers.get(value);
  if (!node || depth > 12) return false;
  switch (node.op) {
    case 'MatMul':
      return true;
    case 'Tanh':
      return leadsToScores(index, node.inputs[0], depth + 1);
    case 'Mul': {
      const split = splitScalarMul(index, node);
      return split !== undefined && leadsToScores(index, split.other, depth + 1);
    }
    case 'Add':
      return node.inputs.some((input) => leadsToScores(index, input, depth + 1));
    case 'Sub':
      return leadsToScores(index, node.inputs[0], depth + 1);
    case 'Where':
      return leadsToScores(index, node.inputs[1], depth + 1) || leadsToScores(index, node.inputs[2], depth + 1);
    default:
      return false;
  }
}

/** softcap · Tanh(x · 1/softcap), in either operand order. */
function peelSoftcap(index: GraphIndex, value: string): { inner: string; softcap: number; nodes: Node[] } | undefined {
  const outer = producedBy(index, value, 'Mul');
  if (!outer) return undefined;
  const split = splitScalarMul(index, outer);
  if (!split) return undefined;
  const tanh = producedBy(index, split.other, 'Tanh');
  const inner = tanh && producedBy(index, tanh.inputs[0], 'Mul');
  const innerSplit = inner && splitScalarMul(index, inner);
  if (!tanh || !inner || !innerSplit) return undefined;
  if (Math.abs(split.scalar * innerSplit.scalar - 1) > 1e-5 || split.scalar <= 0) return undefined;
  return { inner: innerSplit.other, softcap: split.scalar, nodes: [outer, tanh, inner] };
}

/** Multiplications by scalar constants, peeled and multiplied together. */
function peelScale(index: GraphIndex, value: string, chain: Node[]): { value: string; scale: number } {
  let scale = 1;
  let current = value;
  for (;;) {
    const node = producedBy(index, current, 'Mul');
    const split = node && splitScalarMul(index, node);
    if (!node || !split) return { value: current, scale };
    scale *= split.scalar;
    chain.push(node);
    current = split.other;
  }
}

function splitScalarMul(index: GraphIndex, node: Node): { scalar: number; other: string } | undefined {
  const [left, right] = node.inputs;
  const rightScalar = scalarConstant(index.constants, right);
  if (rightScalar !== undefined) return { scalar: rightScalar, other: left };
  const leftScalar = scalarConstant(index.constants, left);
  if (leftScalar !== undefined) return { scalar: leftScalar, other: right };
  return undefined;
}

function checkOperands(graph: Graph, q: string, kTransposed: string, v: string, rank: number): { q: string; kTransposed: string; v: string; declined?: string } {
  const shapes = [q, kTransposed, v].map((name) => graph.typeOf(name).shape);
  if (shapes.some((shape) => shape.length !== rank)) return { q, kTransposed, v, declined: 'Q, Kᵀ and V do not all have the rank of the scores' };
  const [qs, ks, vs] = shapes;
  if (!dimsEqual(qs[0], ks[0]) || !dimsEqual(qs[0], vs[0])) return { q, kTransposed, v, declined: 'Q, K and V batch dims differ (broadcast batch)' };
  if (rank === 4 && (!dimsEqual(ks[1], vs[1]) || !headsDivide(qs[1], ks[1]))) return { q, kTransposed, v, declined: 'K/V heads do not divide Q heads' };
  return { q, kTransposed, v };
}

/**
 * Each mask must broadcast into the scores with its key axis whole (the
 * Attention op pads a shorter key axis with -inf instead of broadcasting
 * it), and must not be computed from the attention itself.
 */
function checkMasks(index: GraphIndex, masks: readonly MaskTerm[], scores: string, chain: readonly Node[]): string | undefined {
  const scoreShape = index.graph.typeOf(scores).shape;
  const chainOutputs = new Set(chain.flatMap((node) => node.outputs));
  for (const mask of masks) {
    const value = mask.kind === 'add' ? mask.value : mask.condition;
    const shape = index.graph.typeOf(value).shape;
    const offset = scoreShape.length - shape.length;
    if (shape.length === 0 || offset < 0) return `a mask of rank ${shape.length} for scores of rank ${scoreShape.length}`;
    if (!dimsEqual(shape[shape.length - 1], scoreShape[scoreShape.length - 1])) return 'a mask that broadcasts along the key axis';
    if (shape.some((dim, axis) => dim !== 1 && !dimsEqual(dim, scoreShape[offset + axis]))) return 'a mask that does not broadcast into the scores';
    if (readsAny(index, value, chainOutputs)) return 'a mask computed from the attention scores';
  }
  return undefined;
}

/** True when `value` is computed (within 256 nodes upstream) from any of `targets`. */
function readsAny(index: GraphIndex, value: string, targets: ReadonlySet<string>): boolean {
  const seen = new Set<string>();
  const pending = [value];
  while (pending.length > 0 && seen.size < 256) {
    const current = pending.pop()!;
    if (targets.has(current)) return true;
    if (seen.has(current)) continue;
    seen.add(current);
    const producer = index.producers.get(current);
    if (producer) pending.push(...producer.inputs.filter(Boolean));
  }
  return pending.length > 0;
}

function headsDivide(qHeads: string | number, kvHeads: string | number): boolean {
  if (dimsEqual(qHeads, kvHeads)) return true;
  return typeof qHeads === 'number' && typeof kvHeads === 'number' && qHeads % kvHeads === 0;
}
