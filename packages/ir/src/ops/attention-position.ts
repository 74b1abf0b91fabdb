/**
 * Position information inside `Attention` — Ladon's extension of ONNX
 * Attention (inputs after `nonpad_kv_seqlen`, attributes below), so that a
 * compiler can apply it where the kernel loads Q and K and computes scores
 * instead of materialising rotated copies or a [B, H, S, S] bias.
 * Legend in attention.ts; positions: query row i of batch b is at
 * q_i = offset + i (the offset of the causal diagonal: the past length with a
 * cache), key j at k_j = key_positions[b, j] when given, else j.
 *
 * Inputs (all optional):
 *   rotary_cos, rotary_sin   [B or 1, Sq, R/2]  (Q's dtype): rotary embeddings of rotary
 *                            dim R <= D (ONNX RotaryEmbedding-23 semantics with tables per
 *                            row) applied to Q row i and to new key row j (which needs Skv = Sq)
 *                            before anything else; past keys are taken as already rotated.
 *                            rotate-half (default): x'[d] = x[d]·c - x[d+R/2]·s,
 *                            x'[d+R/2] = x[d+R/2]·c + x[d]·s (d < R/2); `rotary_interleaved = 1`:
 *                            pairs (2d, 2d+1). Features R..D-1 pass through.
 *   alibi_slopes             [Hq] (Q's dtype): ALiBi, bias slope_h · f(k_j, q_i) with
 *                            `alibi_form` 'key' f = k_j, 'relative' f = k_j - q_i,
 *                            'symmetric' f = -|k_j - q_i|.
 *   key_positions            [B or 1, T] (Q's dtype or i64): k_j (BLOOM counts positions
 *                            over its padding mask).
 *   relative_position_bias   [Hq, 2M+1] (Q's dtype), M = `relative_max_distance`: bias
 *                            table[h, clamp(k_j - q_i, -M, M) + M] (T5 relative position
 *                            buckets, compiled into a bias by distance).
 * Every bias is added to the scores with the mask, before the softmax (qk_matmul_output
 * mode 2 includes them). Nothing here is an ONNX Attention input: the ONNX writer refuses
 * nodes that use them.
 */
import { dimsCompatible, type Dim } from '../dim.js';
import type { DType } from '../dtype.js';
import { ArityError } from '../errors.js';
import { nodeLocation } from '../graph.js';
import type { InferContext, OpContext } from '../op-def.js';
import { formatType } from '../shape.js';

/** Input slot of rotary_cos. */
export const ATTN_ROTARY_COS = 7;
/** Input slot of rotary_sin. */
export const ATTN_ROTARY_SIN = 8;
/** Input slot of alibi_slopes. */
export const ATTN_ALIBI_SLOPES = 9;
/** Input slot of key_positions. */
export const ATTN_KEY_POSITIONS = 10;
/** Input slot of relative_position_bias. */
export const ATTN_RELATIVE_BIAS = 11;

/** The ALiBi forms: what the slope multiplies. */
export const ALIBI_FORMS = ['key', 'relative', 'symmetric'] as const;
/** One ALiBi form. */
export type AlibiForm = (typeof ALIBI_FORMS)[number];

/** The position attributes of one `Attention` node, checked. */
export interface PositionAttrs {
  readonly rotaryInterleaved: boolean;
  readonly alibiForm: AlibiForm;
  /** M of `relative_position_bias` (undefined when unset). */
  readonly relativeMaxDistance: number | undefined;
}

/** The position attributes of Attention (Ladon extension), for the op's schema. */
export const POSITION_ATTRIBUTES = {
  rotary_interleaved: { type: 'int', default: 0 },
  alibi_form: { type: 'string', default: 'key' },
  relative_max_distance: { type: 'int' },
} as const;

/** The position input ports of Attention, after `nonpad_kv_seqlen`. */
export const POSITION_INPUTS = [
  { name: 'rotary_cos', optional: true },
  { name: 'rotary_sin', optional: true },
  { name: 'alibi_slopes', optional: true },
  { name: 'key_positions', optional: true },
  { name: 'relative_position_bias', optional: true },
] as const;

/** Reads and range-checks the position attributes; throws AttributeError. */
export function readPositionAttrs(ctx: OpContext): PositionAttrs {
  const interleaved = ctx.int('rotary_interleaved');
  if (interleaved !== 0 && interleaved !== 1) ctx.failAttr(`attribute 'rotary_interleaved' must be 0 or 1, got ${interleaved}`);
  const form = ctx.string('alibi_form');
  if (!(ALIBI_FORMS as readonly string[]).includes(form)) ctx.failAttr(`attribute 'alibi_form' must be one of ${ALIBI_FORMS.join(', ')}, got '${form}'`);
  const distance = ctx.optionalInt('relative_max_distance');
  if (distance !== undefined && distance < 0) ctx.failAttr(`attribute 'relative_max_distance' must be >= 0, got ${distance}`);
  return { rotaryInterleaved: interleaved === 1, alibiForm: form as AlibiForm, relativeMaxDistance: distance };
}

/** The sizes position inputs are checked against. */
export interface PositionDims {
  readonly batch: Dim;
  readonly qHeads: Dim;
  readonly qSeq: Dim;
  readonly kvSeq: Dim;
  readonly totalSeq: Dim;
  readonly headSize: Dim;
  readonly dtype: DType;
}

/** Verifies the position inputs against the attention's sizes; returns the rotary dim R (0 without rotary). */
export function checkPositionInputs(ctx: InferContext, dims: PositionDims): number {
  const attrs = readPositionAttrs(ctx);
  const rotaryDim = checkRotary(ctx, dims);
  if (ctx.has(ATTN_ALIBI_SLOPES)) {
    ctx.expectDType(ATTN_ALIBI_SLOPES, [dims.dtype]);
    expectShape(ctx, ATTN_ALIBI_SLOPES, [dims.qHeads], ['the query head count Hq']);
  }
  if (ctx.has(ATTN_KEY_POSITIONS)) {
    if (!ctx.has(ATTN_ALIBI_SLOPES) && !ctx.has(ATTN_RELATIVE_BIAS)) throw new ArityError('key_positions is given without alibi_slopes or relative_position_bias, which read it', nodeLocation(ctx.node));
    ctx.expectDType(ATTN_KEY_POSITIONS, [dims.dtype, 'i64']);
    expectShape(ctx, ATTN_KEY_POSITIONS, [dims.batch, dims.totalSeq], ['the batch size B (or 1)', 'the total key length T'], [0]);
  }
  if (ctx.has(ATTN_RELATIVE_BIAS)) {
    if (attrs.relativeMaxDistance === undefined) ctx.failAttr("relative_position_bias needs attribute 'relative_max_distance'");
    ctx.expectDType(ATTN_RELATIVE_BIAS, [dims.dtype]);
    expectShape(ctx, ATTN_RELATIVE_BIAS, [dims.qHeads, 2 * attrs.relativeMaxDistance + 1], ['the query head count Hq', "2·relative_max_distance + 1"]);
  }
  return rotaryDim;
}

function checkRotary(ctx: InferContext, dims: PositionDims): number {
  if (ctx.has(ATTN_ROTARY_COS) !== ctx.has(ATTN_ROTARY_SIN)) {
    const [given, missing] = ctx.has(ATTN_ROTARY_COS) ? ['rotary_cos', 'rotary_sin'] : ['rotary_sin', 'rotary_cos'];
    throw new ArityError(`${given} is given but ${missing} is missing; expected both or neither`, nodeLocation(ctx.node));
  }
  if (!ctx.has(ATTN_ROTARY_COS)) return 0;
  for (const slot of [ATTN_ROTARY_COS, ATTN_ROTARY_SIN]) {
    ctx.expectDType(slot, [dims.dtype]);
    expectShape(ctx, slot, [dims.batch, dims.qSeq, undefined], ['the batch size B (or 1)', 'the query length Sq', ''], [0]);
  }
  if (!dimsCompatible(dims.kvSeq, dims.qSeq)) {
    ctx.failShape(`rotary embeddings rotate new keys at the query positions: K's length ${dims.kvSeq} must equal Q's length ${dims.qSeq}`, ctx.node.inputs[1]);
  }
  const half = ctx.type(ATTN_ROTARY_COS).shape[2];
  if (!dimsCompatible(half, ctx.type(ATTN_ROTARY_SIN).shape[2])) ctx.failShape(`rotary_sin ${formatType(ctx.type(ATTN_ROTARY_SIN))} and rotary_cos ${formatType(ctx.type(ATTN_ROTARY_COS))} differ`, ctx.node.inputs[ATTN_ROTARY_SIN]);
  if (typeof half !== 'number' || half < 1) return ctx.failShape(`rotary_cos ${formatType(ctx.type(ATTN_ROTARY_COS))}: the last axis (R/2) must be a static size >= 1`, ctx.node.inputs[ATTN_ROTARY_COS]);
  if (typeof dims.headSize === 'number' && 2 * half > dims.headSize) {
    ctx.failShape(`rotary_cos ${formatType(ctx.type(ATTN_ROTARY_COS))}: rotary dim ${2 * half} exceeds the head size ${dims.headSize}`, ctx.node.inputs[ATTN_ROTARY_COS]);
  }
  return 2 * half;
}

/** Requires input `slot` to have `expected.length` axes, each compatible (axes in `broadcastable` may be 1). */
function expectShape(ctx: InferContext, slot: number, expected: readonly (Dim | undefined)[], what: readonly string[], broadcastable: readonly number[] = []): void {
  const type = ctx.type(slot);
  const name = `${ctx.inputPortName(slot)} ${ctx.inputRef(slot)} ${formatType(type)}`;
  if (type.shape.length !== expected.length) ctx.failShape(`${name} must have rank ${expected.length}, got rank ${type.shape.length}`, ctx.node.inputs[slot]);
  expected.forEach((dim, axis) => {
    const actual = type.shape[axis];
    if (dim === undefined || dimsCompatible(actual, dim) || (broadcastable.includes(axis) && actual === 1)) return;
    ctx.failShape(`${name}: axis ${axis} is ${actual}, expected ${dim} (${what[axis]})`, ctx.node.inputs[slot]);
  });
}
