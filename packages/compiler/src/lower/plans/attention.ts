/**
 * The attention plan (ONNX Attention-23/24/25; legend in @ladon/ir
 * ops/attention.ts: B, Hq, Hkv, Sq, Skv, P, T = P + Skv, D, Dv). Sizes come
 * from the IR's validated `inferAttentionDims`, attributes from
 * `readAttentionAttrs`. Every tensor the kernel reads or writes is an
 * operand: a value, an element offset and element strides along (batch,
 * head, row) — the last axis is contiguous — so 3-D [B, S, H·D] and 4-D
 * [B, H, S, D] layouts read alike. With a KV cache (past inputs) or
 * present outputs, K and V are first copied into the present tensors
 * [B, Hkv, T, D]: past into keys [0, P), the new K into [P, T).
 */
import {
  ATTN_MASK,
  ATTN_NONPAD,
  ATTN_PAST_KEY,
  ATTN_PAST_VALUE,
  inferAttentionDims,
  mulDims,
  readAttentionAttrs,
  type Dim,
  type DType,
  type Node,
} from '@ladon/ir';
import { planPositions, type PositionPlan } from './attention-positions.js';
import { mergeCopyAxes, type CopyLayout } from './copy.js';
import { packedSliceOf } from './packed-slices.js';
import type { PlanContext } from './plan-context.js';
import { contiguousStrides } from './strides.js';

/** Element strides along (batch, head, row). */
export type HeadStrides = readonly [Dim, Dim, Dim];

/** A tensor as the attention kernel reads it. */
export interface AttentionOperand {
  readonly value: string;
  /** Elements before the first one read (a slice of a packed tensor). */
  readonly offset: Dim;
  readonly strides: HeadStrides;
}

/** How the mask marks keys, with its strides along (batch, head, row), right-aligned to [B, Hq, Sq, T] (0 on broadcast axes), and its width. */
export interface AttentionMask {
  readonly value: string;
  readonly kind: 'bool' | 'float';
  readonly strides: HeadStrides;
  readonly width: Dim;
}

/** One present tensor [B, Hkv, T, size], filled by copies before the kernel runs. */
export interface PresentTensor {
  /** The present output, or '' when it is not an output (the backend allocates it). */
  readonly value: string;
  readonly dtype: DType;
  readonly shape: readonly Dim[];
  readonly strides: HeadStrides;
  /** The copies that fill it (past first, if any), each from `source` laid out as `layout`. */
  readonly copies: readonly { readonly source: string; readonly layout: CopyLayout }[];
}

/** The plan of one Attention node. */
export interface AttentionPlan {
  readonly kind: 'attention';
  readonly node: Node;
  readonly batch: Dim;
  readonly qHeads: Dim;
  readonly kvHeads: Dim;
  readonly qSeq: Dim;
  /** T: the keys the kernel sees (past + new). */
  readonly totalSeq: Dim;
  /** P (0 without a cache). */
  readonly pastSeq: Dim;
  readonly hasPast: boolean;
  readonly headSize: number;
  readonly vHeadSize: number;
  readonly dtype: DType;
  readonly vDType: DType;
  readonly q: AttentionOperand;
  /** Keys and values as the kernel reads them: the inputs, or the present tensors. */
  readonly k: AttentionOperand;
  readonly v: AttentionOperand;
  readonly y: AttentionOperand;
  readonly presentKey?: PresentTensor;
  readonly presentValue?: PresentTensor;
  readonly mask?: AttentionMask;
  /** `nonpad_kv_seqlen` (i64 [B]), if given. */
  readonly nonpad: string;
  /** The qk_matmul_output and its mode, if that output is wanted. */
  readonly scores?: { readonly value: string; readonly mode: number };
  readonly scale: number;
  /** 0 disables softcap. */
  readonly softcap: number;
  readonly causal: boolean;
  /** -1 is unbounded. */
  readonly leftWindow: number;
  readonly rightWindow: number;
  /** Rotary tables and position biases (attention-positions.ts). */
  readonly positions: PositionPlan;
}

/** What a backend can do that changes the plan. */
export interface AttentionOptions {
  /** The kernel can read Q/K/V at an element offset inside a packed projection (see packed-slices.ts). */
  readonly packedSlices?: boolean;
}

/** Strides along (b, h, s) of a [B, S, H·size] (rank 3) or [B, H, S, size] (rank 4) tensor. */
export function headStrides(rank: 3 | 4, heads: Dim, seq: Dim, size: number): HeadStrides {
  return rank === 3 ? [mulDims(mulDims(seq, heads), size), size, mulDims(heads, size)] : [mulDims(mulDims(heads, seq), size), mulDims(seq, size), size];
}

/** Plans one Attention node. */
export function planAttention(ctx: PlanContext, options: AttentionOptions = {}): AttentionPlan {
  const dims = inferAttentionDims(ctx.infer);
  const attrs = readAttentionAttrs(ctx.infer);
  const [q, k, v] = ctx.node.inputs;
  const [y, presentKeyOutput = '', presentValueOutput = '', scores = ''] = ctx.node.outputs;
  const headSize = ctx.staticDim(dims.headSize, 'the head size D');
  const vHeadSize = ctx.staticDim(dims.vHeadSize, 'the value head size Dv');
  const operand = (value: string, strides: HeadStrides): AttentionOperand => {
    const slice = options.packedSlices ? packedSliceOf(ctx.graph, value) : undefined;
    if (!slice) return { value, offset: 0, strides };
    return { value: slice.packed, offset: slice.offset, strides: [mulDims(ctx.shape(value)[1], slice.rowWidth), strides[1], slice.rowWidth] };
  };
  const kInput = operand(k, headStrides(dims.rank, dims.kvHeads, dims.kvSeq, headSize));
  const vInput = operand(v, headStrides(dims.rank, dims.kvHeads, dims.kvSeq, vHeadSize));
  const cache = (input: AttentionOperand, pastSlot: number, output: string, size: number, dtype: DType): PresentTensor | undefined => {
    const past = ctx.node.inputs[pastSlot] ?? '';
    if (!past && !output) return undefined;
    return presentTensor({ past, input, output, size, dtype, batch: dims.batch, kvHeads: dims.kvHeads, pastSeq: dims.pastSeq, kvSeq: dims.kvSeq, totalSeq: dims.totalSeq });
  };
  const presentKey = cache(kInput, ATTN_PAST_KEY, presentKeyOutput, headSize, dims.dtype);
  const presentValue = cache(vInput, ATTN_PAST_VALUE, presentValueOutput, vHeadSize, dims.vDType);
  const present = (tensor: PresentTensor): AttentionOperand => ({ value: tensor.value, offset: 0, strides: tensor.strides });
  const mask = ctx.node.inputs[ATTN_MASK] ?? '';
  return {
    kind: 'attention',
    node: ctx.node,
    batch: dims.batch,
    qHeads: dims.qHeads,
    kvHeads: dims.kvHeads,
    qSeq: dims.qSeq,
    totalSeq: dims.totalSeq,
    pastSeq: dims.pastSeq,
    hasPast: Boolean(ctx.node.inputs[ATTN_PAST_KEY]),
    headSize,
    vHeadSize,
    dtype: dims.dtype,
    vDType: dims.vDType,
    q: operand(q, headStrides(dims.rank, dims.qHeads, dims.qSeq, headSize)),
    k: presentKey ? present(presentKey) : kInput,
    v: presentValue ? present(presentValue) : vInput,
    y: { value: y, offset: 0, strides: headStrides(dims.rank, dims.qHeads, dims.qSeq, vHeadSize) },
    ...(presentKey ? { presentKey } : {}),
    ...(presentValue ? { presentValue } : {}),
    ...(mask ? { mask: maskOf(ctx, mask) } : {}),
    nonpad: ctx.node.inputs[ATTN_NONPAD] ?? '',
    ...(scores ? { scores: { value: scores, mode: attrs.qkMode } } : {}),
    scale: attrs.scale ?? 1 / Math.sqrt(headSize),
    softcap: attrs.softcap,
    causal: attrs.isCausal,
    leftWindow: attrs.leftWindow,
    rightWindow: attrs.rightWindow,
    positions: planPositions(ctx, Boolean(presentKeyOutput)),
  };
}

interface PresentSpec {
  readonly past: string;
  readonly input: AttentionOperand;
  readonly output: string;
  readonly size: number;
  readonly dtype: DType;
  readonly batch: Dim;
  readonly kvHeads: Dim;
  readonly pastSeq: Dim;
  readonly kvSeq: Dim;
  readonly totalSeq: Dim;
}

/** The present tensor and the copies filling it: past into [0, P), the new keys or values into [P, T). */
function presentTensor(spec: PresentSpec): PresentTensor {
  const { batch, kvHeads, size } = spec;
  const strides = headStrides(4, kvHeads, spec.totalSeq, size);
  const targetStrides = [...strides, 1];
  const copies: { source: string; layout: CopyLayout }[] = [];
  if (spec.past) {
    const dims = [batch, kvHeads, spec.pastSeq, size];
    copies.push({ source: spec.past, layout: mergeCopyAxes({ dims, sourceStrides: contiguousStrides(dims), targetStrides, sourceOffset: 0, targetOffset: 0 }) });
  }
  const dims = [batch, kvHeads, spec.kvSeq, size];
  const layout = { dims, sourceStrides: [...spec.input.strides, 1], targetStrides, sourceOffset: spec.input.offset, targetOffset: mulDims(spec.pastSeq, size) };
  copies.push({ source: spec.input.value, layout: mergeCopyAxes(layout) });
  return { value: spec.output, dtype: spec.dtype, shape: [batch, kvHeads, spec.totalSeq, size], strides, copies };
}

function maskOf(ctx: PlanContext, value: string): AttentionMask {
  const shape = ctx.shape(value);
  const padded: Dim[] = [...new Array<Dim>(4 - shape.length).fill(1), ...shape];
  const strides = contiguousStrides(padded).map((stride, axis) => (padded[axis] === 1 ? 0 : stride));
  return { value, kind: ctx.dtype(value) === 'bool' ? 'bool' : 'float', strides: [strides[0], strides[1], strides[2]], width: padded[3] };
}

