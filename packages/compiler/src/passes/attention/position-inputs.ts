/**
 * Position biases among an attention's mask terms become the Attention's
 * position inputs (Ladon's extension, @ladon/ir attention-position.ts): one
 * ALiBi term -> `alibi_slopes` [Hq] and `alibi_form`; one relative term ->
 * `relative_position_bias` [Hq, 2M+1] and `relative_max_distance`. The
 * values come from the probe (position-bias.ts): they are constants of the
 * graph (slopes, a learned bucket table looked up by distance). Other terms
 * stay masks.
 */
import { ATTN_ALIBI_SLOPES, ATTN_RELATIVE_BIAS, tensor, type AttrValue, type DType, type Graph } from '@ladon/ir';
import { insertConstant } from '../../graph-edit.js';
import type { MaskTerm } from './analyze.js';
import type { GraphIndex } from './layout.js';
import { readPositionBias, type ScoreGeometry } from './position-bias.js';

/** The mask terms left, the position inputs by slot, and their attributes. */
export interface PositionInputs {
  readonly masks: readonly MaskTerm[];
  readonly inputs: ReadonlyMap<number, string>;
  readonly attrs: Readonly<Record<string, AttrValue>>;
}

/** Splits position biases off `masks` (additive terms only; at most one ALiBi and one relative bias). */
export function positionInputs(graph: Graph, index: GraphIndex, masks: readonly MaskTerm[], geometry: ScoreGeometry, dtype: DType): PositionInputs {
  const remaining: MaskTerm[] = [];
  const inputs = new Map<number, string>();
  const attrs: Record<string, AttrValue> = {};
  for (const mask of masks) {
    const bias = mask.kind === 'add' ? readPositionBias(index, mask.value, geometry) : undefined;
    const factor = mask.kind === 'add' ? mask.factor : 1;
    if (bias?.kind === 'alibi' && !inputs.has(ATTN_ALIBI_SLOPES)) {
      inputs.set(ATTN_ALIBI_SLOPES, insertConstant(graph, tensor(dtype, [geometry.heads], bias.slopes.map((slope) => slope * factor)), 'alibi_slopes'));
      if (bias.form !== 'key') attrs.alibi_form = bias.form;
    } else if (bias?.kind === 'relative' && !inputs.has(ATTN_RELATIVE_BIAS)) {
      const width = 2 * bias.maxDistance + 1;
      inputs.set(ATTN_RELATIVE_BIAS, insertConstant(graph, tensor(dtype, [geometry.heads, width], bias.table.map((value) => value * factor)), 'relative_position_bias'));
      attrs.relative_max_distance = bias.maxDistance;
    } else remaining.push(mask);
  }
  return { masks: remaining, inputs, attrs };
}
