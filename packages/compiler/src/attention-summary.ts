/**
 * What each fused Attention of a compiled graph does, in a few words: its
 * heads, causal masking, KV cache, rotary embedding, position bias form and
 * mask (`ladon inspect --json` prints one entry per Attention, and tests
 * compare them with what a model is expected to fuse into).
 */
import {
  ATTN_ALIBI_SLOPES,
  ATTN_MASK,
  ATTN_PAST_KEY,
  ATTN_RELATIVE_BIAS,
  inferAttentionDims,
  inferContextOf,
  readAttentionAttrs,
  readPositionAttrs,
  type AlibiForm,
  type Dim,
  type Graph,
  type Node,
} from '@ladon/ir';

/** One fused Attention, summarised. */
export interface AttentionSummary {
  /** The node's output Y. */
  readonly output: string;
  readonly heads: Dim;
  readonly kvHeads: Dim;
  readonly headSize: Dim;
  readonly causal: boolean;
  /** Past keys and values are inputs (present outputs may be returned). */
  readonly kvCache: boolean;
  /** How Q and K are rotated inside the attention. */
  readonly rotary: 'none' | 'rotate-half' | 'interleaved';
  /** R (0 without rotary). */
  readonly rotaryDim: number;
  /** The position bias computed inside the attention. */
  readonly bias: 'none' | 'alibi' | 'relative';
  readonly alibiForm?: AlibiForm;
  readonly relativeMaxDistance?: number;
  /** The mask tensor the attention reads (none, bool or additive float). */
  readonly mask: 'none' | 'bool' | 'float';
  /** The qk_matmul_output mode when the scores or weights are returned. */
  readonly weightsMode?: number;
}

/** A summary of every Attention node of `graph`, in graph order. */
export function summarizeAttention(graph: Graph): AttentionSummary[] {
  return graph.nodes.filter((node) => node.op === 'Attention').map((node) => summarize(graph, node));
}

function summarize(graph: Graph, node: Node): AttentionSummary {
  const ctx = inferContextOf(graph, node);
  const dims = inferAttentionDims(ctx);
  const attrs = readAttentionAttrs(ctx);
  const positions = readPositionAttrs(ctx);
  const input = (slot: number): string => node.inputs[slot] ?? '';
  const mask = input(ATTN_MASK);
  const bias = input(ATTN_ALIBI_SLOPES) ? 'alibi' : input(ATTN_RELATIVE_BIAS) ? 'relative' : 'none';
  return {
    output: node.outputs[0],
    heads: dims.qHeads,
    kvHeads: dims.kvHeads,
    headSize: dims.headSize,
    causal: attrs.isCausal,
    kvCache: Boolean(input(ATTN_PAST_KEY)),
    rotary: dims.rotaryDim === 0 ? 'none' : positions.rotaryInterleaved ? 'interleaved' : 'rotate-half',
    rotaryDim: dims.rotaryDim,
    bias,
    ...(bias === 'alibi' ? { alibiForm: positions.alibiForm } : {}),
    ...(bias === 'relative' ? { relativeMaxDistance: positions.relativeMaxDistance } : {}),
    mask: !mask ? 'none' : graph.typeOf(mask).dtype === 'bool' ? 'bool' : 'float',
    ...(node.outputs[3] ? { weightsMode: attrs.qkMode } : {}),
  };
}
