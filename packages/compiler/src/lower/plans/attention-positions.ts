/**
 * The position part of the attention plan (Ladon's Attention extension,
 * @ladon/ir attention-position.ts): rotary tables applied as Q and new keys
 * are read, and ALiBi / relative biases computed per score from positions.
 * Query row i of batch b sits at q = offset + i (the plan's causal offset),
 * key j at k = key_positions[b, j] or j. Tables are read with a batch stride
 * of 0 when they broadcast over the batch.
 */
import {
  ATTN_ALIBI_SLOPES,
  ATTN_KEY_POSITIONS,
  ATTN_PAST_KEY,
  ATTN_RELATIVE_BIAS,
  ATTN_ROTARY_COS,
  ATTN_ROTARY_SIN,
  mulDims,
  readPositionAttrs,
  type AlibiForm,
  type Dim,
} from '@ladon/ir';
import type { PlanContext } from './plan-context.js';

/** Rotary tables [B or 1, Sq, half]: row (b, s) starts at b·batchStride + s·half. */
export interface RotaryPlan {
  readonly cos: string;
  readonly sin: string;
  /** R/2. */
  readonly half: number;
  readonly interleaved: boolean;
  readonly batchStride: Dim;
}

/** The position information of one Attention node (each part optional). */
export interface PositionPlan {
  readonly rotary?: RotaryPlan;
  /** ALiBi slopes [Hq] and what they multiply. */
  readonly alibi?: { readonly slopes: string; readonly form: AlibiForm };
  /** Key positions [B or 1, T] (f32), read at b·batchStride + j. */
  readonly keyPositions?: { readonly value: string; readonly batchStride: Dim };
  /** A bias table [Hq, 2M + 1] indexed by clamp(k - q, -M, M) + M. */
  readonly relative?: { readonly table: string; readonly maxDistance: number };
}

/** Plans the position inputs of an Attention node (none: an empty plan). */
export function planPositions(ctx: PlanContext, hasPresentKey: boolean): PositionPlan {
  const input = (slot: number): string => ctx.node.inputs[slot] ?? '';
  const attrs = readPositionAttrs(ctx.infer);
  const cos = input(ATTN_ROTARY_COS);
  if (cos && (input(ATTN_PAST_KEY) || hasPresentKey)) {
    throw ctx.unsupported('rotary embeddings with a KV cache: the kernels rotate keys as they read them, not into the present tensor', cos);
  }
  const keys = input(ATTN_KEY_POSITIONS);
  if (keys && ctx.dtype(keys) !== 'f32') throw ctx.unsupported(`key positions must be f32, got ${ctx.dtype(keys)}`, keys);
  const [rows, half] = cos ? ctx.shape(cos).slice(1) : [0, 0];
  const slopes = input(ATTN_ALIBI_SLOPES);
  const table = input(ATTN_RELATIVE_BIAS);
  return {
    ...(cos ? { rotary: { cos, sin: input(ATTN_ROTARY_SIN), half: half as number, interleaved: attrs.rotaryInterleaved, batchStride: broadcastStride(ctx, cos, mulDims(rows, half)) } } : {}),
    ...(slopes ? { alibi: { slopes, form: attrs.alibiForm } } : {}),
    ...(keys ? { keyPositions: { value: keys, batchStride: broadcastStride(ctx, keys, ctx.shape(keys)[1]) } } : {}),
    ...(table ? { relative: { table, maxDistance: attrs.relativeMaxDistance ?? 0 } } : {}),
  };
}

/** The batch stride of a [B or 1, ...] tensor: 0 when its batch axis is 1. */
function broadcastStride(ctx: PlanContext, value: string, perBatch: Dim): Dim {
  return ctx.shape(value)[0] === 1 ? 0 : perBatch;
}
