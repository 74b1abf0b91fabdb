"""Held-out cases written by hand (no HuggingFace): position biases, rotary
layouts, per-head loops, GQA layouts, the 4.x DistilBERT expand_as mask."""

from __future__ import annotations

from typing import Callable

import torch

from . import attention_blocks as blocks
from . import head_blocks as heads
from . import rotary_blocks as rotary
from .common import Case, attention, attention_fusion, padding_mask, prepare, randn, variant

HAND = "hand-written"
BATCH_SEQ = {"hidden_states": {0: "batch", 1: "seq"}, "y": {0: "batch", 1: "seq"}}


def with_axes(**more: dict[int, str]) -> dict[str, dict[int, str]]:
    return {**BATCH_SEQ, **more}


def hidden_only(make: Callable[[], torch.nn.Module], seed: int, dim: int,
                shapes: tuple[tuple[int, int], ...] = ((2, 12), (3, 7))) -> Callable:
    def build():
        torch.manual_seed(seed)
        module = prepare(make(), seed)
        return module, [(randn(seed + k, batch, seq, dim),) for k, (batch, seq) in enumerate(shapes)]
    return build


def with_key_padding(make: Callable[[], torch.nn.Module], seed: int, dim: int, *, as_bool_pad: bool) -> Callable:
    """Inputs (hidden_states, mask): bool True = padded key, or int64 1 = token."""
    def build():
        torch.manual_seed(seed)
        module = prepare(make(), seed)
        sets = []
        for k, (batch, seq, lengths) in enumerate([(2, 12, [12, 8]), (3, 9, [9, 4, 6])]):
            tokens = padding_mask(lengths, seq)
            mask = tokens == 0 if as_bool_pad else tokens
            sets.append((randn(seed + k, batch, seq, dim), mask))
        return module, sets
    return build


def with_position_ids(make: Callable[[], torch.nn.Module], seed: int, dim: int) -> Callable:
    """Inputs (hidden_states, position_ids int64 [B, S]); set 1 starts at an offset."""
    def build():
        torch.manual_seed(seed)
        module = prepare(make(), seed)
        sets = []
        for k, (batch, seq, start) in enumerate([(2, 12, 0), (1, 9, 5)]):
            positions = torch.arange(start, start + seq, dtype=torch.int64).expand(batch, seq).contiguous()
            sets.append((randn(seed + k, batch, seq, dim), positions))
        return module, sets
    return build


def alibi_cases() -> list[Case]:
    alibi_relative = Case(
        "alibi_relative_causal", "ALiBi with the query offset, computed in forward", "E=32, H=4: q/k/v "
        "Linear; scores * d^-0.5 + slopes [1,H,1,1] * (arange(S)[None, :] - arange(S)[:, None]); "
        "masked_fill(~tril, -inf)", HAND, hidden_only(lambda: blocks.AlibiRelativeAttention(32, 4), 4402, 32),
        ["hidden_states"], ["y"],
        attention_fusion(attention(1, 4, head_dim=8, causal=True, bias="alibi", bias_variant="relative (j - i)")),
        opset=17, seed=4402, dynamic_axes=BATCH_SEQ)
    return [
        Case("alibi_keypos_causal", "ALiBi, key position only (fairseq style)", "E=32, H=4: packed qkv Linear + "
             "chunk(3); scores / sqrt(d) + alibi buffer [H, 1, 64] (slope * key position j, no query offset) "
             "sliced [:, :, :S] + future mask buffer (triu -inf) sliced [:S, :S]; slopes 2^(-8(h+1)/H)", HAND,
             hidden_only(lambda: blocks.AlibiKeyPositionAttention(32, 4), 4401, 32), ["hidden_states"], ["y"],
             attention_fusion(attention(1, 4, head_dim=8, causal=True, bias="alibi", bias_variant="key-position",
                                        note="slope * j; equal to slope * (j - i) after softmax because of the "
                                             "causal mask (row shift)")),
             opset=14, seed=4401, dynamic_axes=BATCH_SEQ),
        alibi_relative,
        Case("alibi_symmetric_padding", "bidirectional ALiBi -slope*|j - i| with a key padding mask", "E=64, H=8: "
             "packed qkv viewed as 3H heads and split(H, dim=1); einsum scores / sqrt(d) - slopes * |j - i|; "
             "masked_fill(key_padding_mask[:, None, None, :], finfo.min) with a bool mask input (True = pad)", HAND,
             with_key_padding(lambda: blocks.AlibiSymmetricAttention(64, 8), 4403, 64, as_bool_pad=True),
             ["hidden_states", "key_padding_mask"], ["y"],
             attention_fusion(attention(1, 8, head_dim=8, bias="alibi", mask="padding", bias_variant="symmetric "
                                        "-|j - i| (encoder ALiBi, not a plain key/query offset form)")),
             opset=17, seed=4403, dynamic_axes=with_axes(key_padding_mask={0: "batch", 1: "seq"})),
        variant(alibi_relative, "alibi_relative_dynamo", "ALiBi with the query offset, dynamo exporter", "the "
                "alibi_relative_causal module (E=32, H=4) exported with torch.onnx.export(dynamo=True) at opset 18",
                hidden_only(lambda: blocks.AlibiRelativeAttention(32, 4), 4404, 32), 4404, opset=18,
                exporter="dynamo"),
    ]


def bucket_cases() -> list[Case]:
    mask_axes = with_axes(attention_mask={0: "batch", 1: "seq"})
    return [
        Case("t5_bucket_bidirectional", "T5-style relative buckets by hand, bidirectional, scaled", "E=32, H=4: "
             "q/k/v/o Linear without bias; bucket(j - i) with 32 buckets (16 per direction), max distance 64, "
             "log buckets; Embedding(32, 4) -> permute [1, H, S, S]; scores / sqrt(d) + (bias + extended padding "
             "mask (1 - m) * finfo.min); softmax in float", HAND,
             with_key_padding(lambda: blocks.BucketBiasAttention(32, 4, bidirectional=True, num_buckets=32,
                                                                 max_distance=64, scaled=True),
                              4405, 32, as_bool_pad=False),
             ["hidden_states", "attention_mask"], ["y"],
             attention_fusion(attention(1, 4, head_dim=8, bias="relative-buckets", mask="padding",
                                        bias_variant="bidirectional, 32 buckets, max distance 64", scale="1/sqrt(8)")),
             opset=17, seed=4405, dynamic_axes=mask_axes),
        Case("t5_bucket_causal", "T5-style relative buckets by hand, causal (decoder), unscaled", "E=32, H=4: as "
             "t5_bucket_bidirectional with unidirectional buckets (-min(j - i, 0)), 16 buckets, max distance 32, no "
             "scaling (T5 style), causal: mask[:, None, :] * tril -> (1 - m) * finfo.min", HAND,
             with_key_padding(lambda: blocks.BucketBiasAttention(32, 4, bidirectional=False, num_buckets=16,
                                                                 max_distance=32, scaled=False),
                              4406, 32, as_bool_pad=False),
             ["hidden_states", "attention_mask"], ["y"],
             attention_fusion(attention(1, 4, head_dim=8, causal=True, bias="relative-buckets", mask="padding",
                                        bias_variant="causal, 16 buckets, max distance 32", scale="1")),
             opset=15, seed=4406, dynamic_axes=mask_axes),
    ]


def rotary_cases() -> list[Case]:
    pos_axes = with_axes(position_ids={0: "batch", 1: "seq"})
    rope_complex = Case(
        "rope_complex_llama_ref", "rotary via complex numbers (LLaMA reference code)", "E=64, H=4, D=16: "
        "freqs_cis = torch.polar(1, outer(t, freqs)); view_as_complex(q.reshape(..., -1, 2)) * freqs_cis, "
        "view_as_real, flatten; causal full(-inf).triu(1) added", HAND,
        hidden_only(lambda: rotary.ComplexRotaryAttention(64, 4), 4409, 64), ["hidden_states"], ["y"],
        attention_fusion(attention(1, 4, head_dim=16, causal=True, rotary="interleaved", rotary_dim=16)),
        opset=17, seed=4409, dynamic_axes=BATCH_SEQ)
    return [
        Case("rope_interleaved_gptj", "rotary, interleaved pairs (GPT-J rotate_every_two)", "E=64, H=4, D=16: "
             "sin/cos of position_ids * inv_freq, each value twice; x * cos + rotate_every_two(x) * sin "
             "(x[..., ::2], x[..., 1::2], stack(-x2, x1).flatten) in [B, S, H, D]; causal bool tril buffer, "
             "torch.where(mask, scores, finfo.min), then / sqrt(D)", HAND,
             with_position_ids(lambda: rotary.InterleavedRotaryAttention(64, 4, stack_duplicate=True), 4407, 64),
             ["hidden_states", "position_ids"], ["y"],
             attention_fusion(attention(1, 4, head_dim=16, causal=True, rotary="interleaved", rotary_dim=16,
                                        note="positions from the position_ids input; set 1 starts at 5")),
             opset=17, seed=4407, dynamic_axes=pos_axes,
             notes=["sin/cos are duplicated with stack((t, t), -1).flatten(-2): with GPT-J's repeat_interleave(2) "
                    "torch 2.13's legacy exporter writes a wrong graph (onnxruntime: 'Attempting to broadcast an "
                    "axis by a dimension other than 1. 8 by 16'), or segfaults in the following permute; "
                    "rope_interleaved_gptj_dynamo keeps repeat_interleave"]),
        Case("rope_interleaved_gptj_dynamo", "rotary, interleaved pairs, dynamo exporter (dynamic shapes)", "the "
             "rope_interleaved_gptj module with GPT-J's repeat_interleave(2) for sin/cos, exported with "
             "torch.onnx.export(dynamo=True) at opset 18, dynamic batch and seq", HAND, with_position_ids(lambda: rotary.InterleavedRotaryAttention(64, 4), 4418, 64),
             ["hidden_states", "position_ids"], ["y"],
             attention_fusion(attention(1, 4, head_dim=16, causal=True, rotary="interleaved", rotary_dim=16)),
             opset=18, exporter="dynamo", seed=4418, dynamic_axes=pos_axes),
        Case("rope_neox_partial", "rotary, rotate-half on a partial dimension (GPT-NeoX)", "E=64, H=4, D=16, "
             "rotary_dim 8: packed query_key_value viewed [B, S, H, 3D] and sliced per head; cos/sin caches "
             "[64, 8] indexed by position_ids; cat(rotated first 8, pass-through 8); causal bool tril buffer "
             "with torch.where(mask, scores, finfo.min)", HAND,
             with_position_ids(lambda: rotary.PartialRotateHalfAttention(64, 4, 8), 4408, 64),
             ["hidden_states", "position_ids"], ["y"],
             attention_fusion(attention(1, 4, head_dim=16, causal=True, rotary="rotate-half", rotary_dim=8,
                                        note="partial rotary: features 8..15 of each head are not rotated")),
             opset=16, seed=4408, dynamic_axes=pos_axes),
        rope_complex,
        variant(rope_complex, "rope_complex_llama_ref_dynamo", "rotary via complex numbers, dynamo exporter", "the "
                "rope_complex_llama_ref module exported with torch.onnx.export(dynamo=True) at opset 18",
                hidden_only(lambda: rotary.ComplexRotaryAttention(64, 4), 4410, 64), 4410, opset=18,
                exporter="dynamo"),
    ]


def head_cases() -> list[Case]:
    chunk_loop = Case(
        "heads_chunk_loop", "per-head loop over torch.chunk", "E=32, H=4: q/k/v Linear, .chunk(4, -1) each, "
        "loop of softmax(bmm(q_h, k_h^T) / sqrt(8)) bmm v_h, torch.cat, output Linear", HAND,
        hidden_only(lambda: heads.ChunkLoopAttention(32, 4), 4411, 32), ["hidden_states"], ["y"],
        attention_fusion(attention(1, 4, head_dim=8, note="4 one-head attentions over chunks = one 4-head")),
        opset=14, seed=4411, dynamic_axes=BATCH_SEQ)
    return [
        chunk_loop,
        Case("heads_slice_loop_padding", "per-head loop slicing a packed qkv", "E=32, H=4: one qkv Linear [32 -> 96]; "
             "head h slices qkv[:, :, h*8:(h+1)*8], [32 + h*8 ...], [64 + h*8 ...]; * 8^-0.5; masked_fill(pad[:, None, "
             ":], -1e9) with a bool key padding input; softmax, @ v; cat; proj", HAND,
             with_key_padding(lambda: heads.SliceLoopAttention(32, 4), 4412, 32, as_bool_pad=True),
             ["hidden_states", "key_padding_mask"], ["y"],
             attention_fusion(attention(1, 4, head_dim=8, mask="padding")),
             opset=17, seed=4412, dynamic_axes=with_axes(key_padding_mask={0: "batch", 1: "seq"})),
        Case("heads_modulelist_causal", "nn.ModuleList of single-head modules (nanoGPT lecture)", "E=32, 4 Head "
             "modules each with its own key/query/value Linear(32, 8, bias=False), causal tril buffer [32, 32], "
             "masked_fill(tril[:T, :T] == 0, -inf), * k.shape[-1]^-0.5; cat; proj", HAND,
             hidden_only(lambda: heads.ModuleListHeads(32, 4), 4413, 32), ["hidden_states"], ["y"],
             attention_fusion(attention(1, 4, head_dim=8, causal=True,
                                        note="per-head projection weights: concatenate them into one packed "
                                             "projection")),
             opset=17, seed=4413, dynamic_axes=BATCH_SEQ),
        variant(chunk_loop, "heads_chunk_loop_dynamo", "per-head loop over torch.chunk, dynamo exporter", "the "
                "heads_chunk_loop module exported with torch.onnx.export(dynamo=True) at opset 18",
                hidden_only(lambda: heads.ChunkLoopAttention(32, 4), 4414, 32), 4414, opset=18, exporter="dynamo"),
        Case("gqa_repeat_interleave", "GQA via repeat_interleave", "E=64, 8 query heads, 2 KV heads, D=8: packed kv "
             "Linear split into 2*KV heads and chunk(2, dim=1); repeat_interleave(4, dim=1); causal "
             "full(-inf).triu(1) added", HAND,
             hidden_only(lambda: heads.RepeatInterleaveGqa(64, 8, 2), 4415, 64), ["hidden_states"], ["y"],
             attention_fusion(attention(1, 8, 2, 8, causal=True)), opset=17, seed=4415, dynamic_axes=BATCH_SEQ),
        Case("gqa_expand_reshape_sdpa", "GQA via expand + reshape into SDPA(is_causal)", "E=64, 4 query heads, 2 KV "
             "heads, D=16: k[:, :, None].expand(B, 2, 2, S, D).reshape(B, 4, S, D); "
             "F.scaled_dot_product_attention(q, k, v, is_causal=True) (legacy SDPA symbolic)", HAND,
             hidden_only(lambda: heads.ExpandReshapeGqaSdpa(64, 4, 2), 4416, 64), ["hidden_states"], ["y"],
             attention_fusion(attention(1, 4, 2, 16, causal=True)), opset=14, seed=4416, dynamic_axes=BATCH_SEQ),
        Case("distilbert_expand_as_mask", "DistilBERT 4.x layer: mask via expand_as(scores)", "transformers 4.x "
             "DistilBERT TransformerBlock transcribed (E=32, H=4, FFN 64): q / sqrt(d); mask = (mask == 0).view(B, 1, "
             "1, S).expand_as(scores); masked_fill(finfo.min); post-LN (eps 1e-12), GELU FFN; attn_mask int64 "
             "[B, S]", "hand-written after transformers 4.x modeling_distilbert.py (MultiHeadSelfAttention)",
             with_key_padding(lambda: heads.DistilBertLegacyLayer(32, 4, 64), 4417, 32, as_bool_pad=False),
             ["hidden_states", "attn_mask"], ["y"],
             attention_fusion(attention(1, 4, head_dim=8, mask="padding",
                                        note="the mask depends only on the scores' shape (expand_as)")),
             opset=14, seed=4417, dynamic_axes=with_axes(attn_mask={0: "batch", 1: "seq"})),
    ]


def cases() -> list[Case]:
    return alibi_cases() + bucket_cases() + rotary_cases() + head_cases()
