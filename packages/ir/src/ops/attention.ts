/**
 * Attention (ONNX Attention-23, with the opset-24 `nonpad_kv_seqlen` input
 * and the opset-25 `left_window_size` / `right_window_size` attributes):
 * scaled dot-product attention with optional mask, causal masking, sliding
 * windows, KV cache, grouped/multi-query heads and softcap.
 *
 * Shape legend:
 *   B    batch size
 *   Hq   query heads            Hkv  key/value heads (Hq % Hkv == 0; GQA when Hq > Hkv, MQA when Hkv = 1)
 *   Sq   query length           Skv  new key/value length
 *   P    past (cached) length   T    total key length = P + Skv
 *   D    query/key head size    Dv   value head size
 *
 * Inputs (all optional after V; '' in the node when omitted):
 *   Q                [B, Hq, Sq, D]  or 3-D [B, Sq, Hq*D]   (f32 | f16)
 *   K                [B, Hkv, Skv, D] or 3-D [B, Skv, Hkv*D]   (Q's dtype)
 *   V                [B, Hkv, Skv, Dv] or 3-D [B, Skv, Hkv*Dv] (f32 | f16)
 *   attn_mask        rank 1–4, broadcast right-aligned to [B, Hq, Sq, T]; bool (true = attend)
 *                    or Q's float dtype (added); a last axis shorter than T is padded with -inf
 *   past_key         [B, Hkv, P, D]   (with past_value)
 *   past_value       [B, Hkv, P, Dv]  (with past_key)
 *   nonpad_kv_seqlen i64 [B]: keys j >= nonpad[b] are masked
 * Outputs:
 *   Y                [B, Hq, Sq, Dv]  or 3-D [B, Sq, Hq*Dv]
 *   present_key      [B, Hkv, T, D]   = concat(past_key, K)   (K itself without a cache)
 *   present_value    [B, Hkv, T, Dv]  = concat(past_value, V)
 *   qk_matmul_output [B, Hq, Sq, T]   by qk_matmul_output_mode: 0 scaled QKᵀ, 1 after softcap,
 *                                     2 after adding the mask/causal bias, 3 after softmax
 *
 * Ladon's extension (attention-position.ts) adds position inputs after
 * these: rotary tables, ALiBi slopes, key positions and a relative position
 * bias, applied inside the attention.
 *
 * 3-D inputs need `q_num_heads` and `kv_num_heads`. Verification lives in
 * attention-infer.ts, the bias (mask, causal, windows, nonpad) in
 * attention-bias.ts, and the reference semantics in attention-reference.ts.
 */
import type { OpDef } from '../op-def.js';
import { inferAttention } from './attention-infer.js';
import { POSITION_ATTRIBUTES, POSITION_INPUTS } from './attention-position.js';
import { evaluateAttention } from './attention-reference.js';

/** The ONNX `Attention` op (opsets 23, 24 and 25 semantics). */
export const Attention: OpDef = {
  name: 'Attention',
  summary: 'scaled dot-product attention softmax(scale·QKᵀ + bias)·V with masks, causal/window masking, KV cache, GQA and softcap',
  inputs: [
    { name: 'Q' },
    { name: 'K' },
    { name: 'V' },
    { name: 'attn_mask', optional: true },
    { name: 'past_key', optional: true },
    { name: 'past_value', optional: true },
    { name: 'nonpad_kv_seqlen', optional: true },
    ...POSITION_INPUTS,
  ],
  outputs: [
    { name: 'Y' },
    { name: 'present_key', optional: true },
    { name: 'present_value', optional: true },
    { name: 'qk_matmul_output', optional: true },
  ],
  attributes: {
    is_causal: { type: 'int', default: 0 },
    kv_num_heads: { type: 'int' },
    q_num_heads: { type: 'int' },
    qk_matmul_output_mode: { type: 'int', default: 0 },
    scale: { type: 'float' },
    softcap: { type: 'float', default: 0 },
    softmax_precision: { type: 'int' },
    left_window_size: { type: 'int', default: -1 },
    right_window_size: { type: 'int', default: -1 },
    ...POSITION_ATTRIBUTES,
  },
  infer(ctx) {
    return inferAttention(ctx);
  },
  evaluate(ctx) {
    return evaluateAttention(ctx);
  },
};
