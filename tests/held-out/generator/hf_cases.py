"""Held-out cases from HuggingFace transformers' own model code, tiny configs,
random init (torch default init, all-zero/all-one parameters perturbed)."""

from __future__ import annotations

from typing import Callable

import torch
import transformers
from transformers import (BertConfig, BertModel, BloomConfig, BloomModel, DistilBertConfig, DistilBertModel,
                          DynamicCache, GPT2Config, GPT2Model, GPTBigCodeConfig, GPTBigCodeModel, LlamaConfig,
                          LlamaModel, T5Config, T5EncoderModel, T5Model, WhisperConfig)
from transformers.models.whisper.modeling_whisper import WhisperEncoder

from .common import Case, attention, attention_fusion, padding_mask, prepare, randint, randn, variant

VOCAB = 96
HF = f"transformers {transformers.__version__}"


class Wrapped(torch.nn.Module):
    """A module calling `forward_fn(model, *inputs)`: positional graph inputs
    mapped to a HF model's keyword arguments, outputs as a tuple."""

    def __init__(self, model: torch.nn.Module, forward_fn: Callable) -> None:
        super().__init__()
        self.model = model
        self.forward_fn = forward_fn

    def forward(self, *inputs):
        return self.forward_fn(self.model, *inputs)


def ids_and_mask(seed: int, batch: int, seq: int, lengths: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    return randint(seed, VOCAB, batch, seq), padding_mask(lengths, seq)


def batch_seq(*names: str) -> dict[str, dict[int, str]]:
    return {name: {0: "batch", 1: "seq"} for name in names}


# --- BERT ---------------------------------------------------------------------

def bert(impl: str, seed: int) -> Callable:
    def build():
        config = BertConfig(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                            intermediate_size=64, max_position_embeddings=32, attn_implementation=impl)
        model = prepare(BertModel(config, add_pooling_layer=False), seed)
        module = Wrapped(model, lambda m, ids, mask, types: m(input_ids=ids, attention_mask=mask,
                                                             token_type_ids=types).last_hidden_state).eval()
        sets = []
        for k, (batch, seq, lengths) in enumerate([(2, 12, [12, 7]), (3, 9, [9, 4, 1])]):
            ids, mask = ids_and_mask(seed + k, batch, seq, lengths)
            sets.append((ids, mask, randint(seed + 10 + k, 2, batch, seq)))
        return module, sets
    return build


# --- DistilBERT (transformers 5 code: the shared attention interface) ---------

def distilbert(seed: int) -> Callable:
    def build():
        config = DistilBertConfig(vocab_size=VOCAB, dim=32, n_layers=2, n_heads=4, hidden_dim=64,
                                  max_position_embeddings=32, attn_implementation="eager")
        model = prepare(DistilBertModel(config), seed)
        module = Wrapped(model, lambda m, ids, mask: m(input_ids=ids, attention_mask=mask).last_hidden_state).eval()
        sets = [ids_and_mask(seed, 2, 10, [10, 6]), ids_and_mask(seed + 1, 3, 7, [7, 3, 5])]
        return module, sets
    return build


# --- GPT-2 with a KV cache ------------------------------------------------------

GPT2_LAYERS, GPT2_HEADS, GPT2_HEAD_DIM = 2, 4, 8


def gpt2_with_past(impl: str, seed: int) -> Callable:
    def forward(model, ids, mask, *past):
        pairs = [(past[2 * i], past[2 * i + 1]) for i in range(GPT2_LAYERS)]
        cache = DynamicCache(ddp_cache_data=pairs, config=model.config)
        out = model(input_ids=ids, attention_mask=mask, past_key_values=cache, use_cache=True)
        present = []
        for layer in out.past_key_values.layers:
            present += [layer.keys, layer.values]
        return (out.last_hidden_state, *present)

    def build():
        config = GPT2Config(vocab_size=VOCAB, n_embd=GPT2_HEADS * GPT2_HEAD_DIM, n_layer=GPT2_LAYERS, n_head=GPT2_HEADS, n_positions=64,
                            bos_token_id=0, eos_token_id=0, attn_implementation=impl)
        model = prepare(GPT2Model(config), seed)
        sets = []
        for k, (seq, past_len) in enumerate([(4, 6), (1, 11)]):
            ids = randint(seed + k, VOCAB, 2, seq)
            mask = torch.ones(2, past_len + seq, dtype=torch.int64)
            mask[1, :2] = 0  # row 1 is left-padded by two tokens
            past = [randn(seed + 20 + 4 * k + i, 2, GPT2_HEADS, past_len, GPT2_HEAD_DIM) for i in range(2 * GPT2_LAYERS)]
            sets.append((ids, mask, *past))
        return Wrapped(model, forward).eval(), sets
    return build


def gpt2_names() -> tuple[list[str], list[str], dict]:
    inputs = ["input_ids", "attention_mask"]
    outputs = ["last_hidden_state"]
    axes = {"input_ids": {1: "seq"}, "attention_mask": {1: "total_seq"}, "last_hidden_state": {1: "seq"}}
    for i in range(GPT2_LAYERS):
        for kind in ("key", "value"):
            inputs.append(f"past_{kind}_{i}")
            outputs.append(f"present_{kind}_{i}")
            axes[f"past_{kind}_{i}"] = {2: "past_seq"}
            axes[f"present_{kind}_{i}"] = {2: "total_seq"}
    return inputs, outputs, axes


# --- LLaMA: rotary, GQA, causal ------------------------------------------------

def llama(impl: str, seed: int, layers: int = 1) -> Callable:
    def build():
        config = LlamaConfig(vocab_size=VOCAB, hidden_size=64, intermediate_size=96, num_hidden_layers=layers,
                             num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
                             bos_token_id=0, eos_token_id=0, pad_token_id=0, attn_implementation=impl)
        model = prepare(LlamaModel(config), seed)
        module = Wrapped(model, lambda m, ids, mask: m(input_ids=ids, attention_mask=mask,
                                                       use_cache=False).last_hidden_state).eval()
        return module, [ids_and_mask(seed, 2, 12, [12, 9]), ids_and_mask(seed + 1, 1, 16, [16])]
    return build


# --- BLOOM: ALiBi ---------------------------------------------------------------

def bloom(seed: int) -> Callable:
    def build():
        config = BloomConfig(vocab_size=VOCAB, hidden_size=32, n_layer=2, n_head=4, bos_token_id=0,
                             eos_token_id=0, pad_token_id=0, attn_implementation="eager")
        model = prepare(BloomModel(config), seed)
        module = Wrapped(model, lambda m, ids, mask: m(input_ids=ids, attention_mask=mask,
                                                       use_cache=False).last_hidden_state).eval()
        return module, [ids_and_mask(seed, 2, 12, [12, 8]), ids_and_mask(seed + 1, 3, 9, [9, 9, 5])]
    return build


# --- T5: relative position buckets ----------------------------------------------

def t5(impl: str, seed: int) -> Callable:
    def build():
        config = T5Config(vocab_size=VOCAB, d_model=32, d_kv=8, d_ff=64, num_layers=2, num_decoder_layers=2,
                          num_heads=4, relative_attention_num_buckets=16, relative_attention_max_distance=32,
                          decoder_start_token_id=0, pad_token_id=0, eos_token_id=1, attn_implementation=impl)
        model = prepare(T5Model(config), seed)

        def forward(m, ids, mask, decoder_ids):
            out = m(input_ids=ids, attention_mask=mask, decoder_input_ids=decoder_ids, use_cache=False)
            return out.last_hidden_state, out.encoder_last_hidden_state
        sets = []
        for k, (batch, seq, lengths, dec) in enumerate([(2, 12, [12, 7], 8), (1, 16, [16], 5)]):
            ids, mask = ids_and_mask(seed + k, batch, seq, lengths)
            sets.append((ids, mask, randint(seed + 5 + k, VOCAB, batch, dec)))
        return Wrapped(model, forward).eval(), sets
    return build


def t5_encoder(impl: str, seed: int) -> Callable:
    def build():
        config = T5Config(vocab_size=VOCAB, d_model=32, d_kv=8, d_ff=64, num_layers=2, num_heads=4,
                          relative_attention_num_buckets=32, relative_attention_max_distance=64,
                          pad_token_id=0, eos_token_id=1, attn_implementation=impl)
        model = prepare(T5EncoderModel(config), seed)
        module = Wrapped(model, lambda m, ids, mask: m(input_ids=ids, attention_mask=mask).last_hidden_state).eval()
        return module, [ids_and_mask(seed, 2, 12, [12, 5]), ids_and_mask(seed + 1, 3, 16, [16, 16, 9])]
    return build


# --- Whisper encoder: conv front end + attention ----------------------------------

def whisper_encoder(impl: str, seed: int) -> Callable:
    def build():
        config = WhisperConfig(num_mel_bins=16, d_model=32, encoder_layers=2, encoder_attention_heads=4,
                               encoder_ffn_dim=64, max_source_positions=16, decoder_layers=1,
                               decoder_attention_heads=4, decoder_ffn_dim=64, vocab_size=VOCAB, pad_token_id=0,
                               bos_token_id=0, eos_token_id=0, decoder_start_token_id=0,
                               attn_implementation=impl)
        encoder = prepare(WhisperEncoder(config), seed)
        module = Wrapped(encoder, lambda m, features: m(input_features=features).last_hidden_state).eval()
        return module, [(randn(seed, 2, 16, 32),), (randn(seed + 1, 1, 16, 32),)]
    return build


# --- GPTBigCode: multi-query attention --------------------------------------------

def gpt_bigcode(impl: str, seed: int) -> Callable:
    def build():
        config = GPTBigCodeConfig(vocab_size=VOCAB, n_embd=32, n_layer=2, n_head=4, n_positions=64,
                                  multi_query=True, bos_token_id=0, eos_token_id=0, attn_implementation=impl)
        model = prepare(GPTBigCodeModel(config), seed)
        module = Wrapped(model, lambda m, ids, mask: m(input_ids=ids, attention_mask=mask,
                                                       use_cache=False).last_hidden_state).eval()
        return module, [ids_and_mask(seed, 2, 10, [10, 6]), ids_and_mask(seed + 1, 1, 14, [14])]
    return build


def cases() -> list[Case]:
    gpt2_in, gpt2_out, gpt2_axes = gpt2_names()
    bert_note = ("extended mask from transformers 5's masking_utils (create_bidirectional_mask): "
                 "Range/GreaterOrEqual/And/Where build a [B,1,S,S] boolean or additive mask from attention_mask")
    bert_eager = Case(
        "hf_bert_eager", "HF BERT encoder, eager attention", "BertModel (2 layers, E=32, H=4, I=64), "
        "attention_mask int64 [B,S] padding + token_type_ids; eager_attention_forward: matmul * scaling, "
        "+ additive mask, softmax, matmul", f"{HF} BertModel",
        bert("eager", 4101), ["input_ids", "attention_mask", "token_type_ids"], ["last_hidden_state"],
        attention_fusion(attention(2, 4, head_dim=8, mask="padding")), opset=14, seed=4101,
        dynamic_axes=batch_seq("input_ids", "attention_mask", "token_type_ids", "last_hidden_state"),
        notes=[bert_note])
    gpt2_eager = Case(
        "hf_gpt2_past_eager", "HF GPT-2 with KV cache, eager", "GPT2Model (2 layers, E=32, H=4) with "
        "use_cache: past_key/value_<i> [B,4,P,8] graph inputs wrapped in a DynamicCache, torch.cat on dim -2 "
        "(present_* outputs); attention_mask [B,P+S] (row 1 left-padded by 2); causal mask with offset P "
        "from masking_utils; Conv1D (addmm) projections", f"{HF} GPT2Model",
        gpt2_with_past("eager", 4104), gpt2_in, gpt2_out,
        attention_fusion(attention(2, 4, head_dim=8, causal=True, kv_cache=True, mask="padding")),
        opset=16, seed=4104, dynamic_axes=gpt2_axes,
        notes=["test_data_set_0: S=4, P=6; test_data_set_1: S=1 (one decode step), P=11"])
    llama_eager = Case(
        "hf_llama_eager", "HF LLaMA decoder: rotary (rotate-half), GQA, causal, eager", "LlamaModel (1 layer, "
        "E=64, 4 query heads, 2 KV heads, head_dim 16, SwiGLU I=96), RMSNorm, rotary from inv_freq @ "
        "position ids (computed from cache_position, not a graph input), repeat_kv (expand + reshape), causal + "
        "padding mask from masking_utils", f"{HF} LlamaModel", llama("eager", 4106),
        ["input_ids", "attention_mask"], ["last_hidden_state"],
        attention_fusion(attention(1, 4, 2, 16, causal=True, rotary="rotate-half", mask="padding")),
        opset=17, seed=4106, dynamic_axes=batch_seq("input_ids", "attention_mask", "last_hidden_state"))
    return [
        bert_eager,
        variant(bert_eager, "hf_bert_sdpa", "HF BERT encoder, SDPA attention", "BertModel as hf_bert_eager with "
                "attn_implementation='sdpa' (F.scaled_dot_product_attention with a boolean/additive attn_mask, "
                "exported by the legacy SDPA symbolic)", bert("sdpa", 4102), 4102, opset=17),
        Case("hf_distilbert_eager", "HF DistilBERT encoder (transformers 5 code)", "DistilBertModel (2 layers, "
             "E=32, H=4, FFN 64); in transformers 5 DistilBERT uses the shared eager_attention_forward and "
             "create_bidirectional_mask (the 4.x expand_as mask is in distilbert_expand_as_mask)",
             f"{HF} DistilBertModel", distilbert(4103), ["input_ids", "attention_mask"], ["last_hidden_state"],
             attention_fusion(attention(2, 4, head_dim=8, mask="padding")), opset=15, seed=4103,
             dynamic_axes=batch_seq("input_ids", "attention_mask", "last_hidden_state")),
        gpt2_eager,
        variant(gpt2_eager, "hf_gpt2_past_sdpa", "HF GPT-2 with KV cache, SDPA", "GPT2Model as hf_gpt2_past_eager "
                "with attn_implementation='sdpa'", gpt2_with_past("sdpa", 4105), 4105, opset=17),
        llama_eager,
        variant(llama_eager, "hf_llama_sdpa", "HF LLaMA decoder, SDPA", "LlamaModel as hf_llama_eager with "
                "attn_implementation='sdpa'", llama("sdpa", 4107), 4107, opset=18),
        variant(llama_eager, "hf_llama_dynamo", "HF LLaMA decoder, dynamo exporter", "LlamaModel as hf_llama_eager "
                "(eager attention), exported with torch.onnx.export(dynamo=True) at opset 18", llama("eager", 4108),
                4108, opset=18, exporter="dynamo"),
        Case("hf_bloom_alibi", "HF BLOOM decoder: ALiBi", "BloomModel (2 layers, E=32, H=4): ALiBi slopes times "
             "key position from cumsum(attention_mask) (no query offset), baddbmm(alibi, q, k^T, beta=1, "
             "alpha=1/sqrt(d)), causal + padding mask, fused qkv", f"{HF} BloomModel", bloom(4109),
             ["input_ids", "attention_mask"], ["last_hidden_state"],
             attention_fusion(attention(2, 4, head_dim=8, causal=True, bias="alibi", mask="padding",
                                        note="ALiBi positions = cumsum(attention_mask) - 1 over keys")),
             opset=15, seed=4109, dynamic_axes=batch_seq("input_ids", "attention_mask", "last_hidden_state")),
        Case("hf_t5_eager", "HF T5 encoder-decoder: relative position buckets", "T5Model (2+2 layers, E=32, "
             "H=4, d_kv=8, 16 buckets, max distance 32): encoder self-attention with bidirectional buckets, decoder "
             "self-attention with causal buckets, cross-attention without bias; no 1/sqrt(d) scaling; the bias is "
             "computed in the first layer and reused by the second", f"{HF} T5Model", t5("eager", 4110),
             ["input_ids", "attention_mask", "decoder_input_ids"], ["last_hidden_state", "encoder_last_hidden_state"],
             attention_fusion(
                 attention(2, 4, head_dim=8, bias="relative-buckets", mask="padding",
                           note="encoder: bidirectional, 16 buckets, max distance 32, scale 1"),
                 attention(2, 4, head_dim=8, causal=True, bias="relative-buckets",
                           note="decoder self-attention: causal buckets, scale 1"),
                 attention(2, 4, head_dim=8, cross=True, mask="padding", note="cross-attention, scale 1")),
             opset=17, seed=4110,
             dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                           "decoder_input_ids": {0: "batch", 1: "dec_seq"},
                           "last_hidden_state": {0: "batch", 1: "dec_seq"},
                           "encoder_last_hidden_state": {0: "batch", 1: "seq"}}),
        Case("hf_t5_encoder_sdpa", "HF T5 encoder, SDPA: bucket bias passed as SDPA's attn_mask",
             "T5EncoderModel (2 layers, E=32, H=4, d_kv=8, 32 buckets, max distance 64) with "
             "attn_implementation='sdpa': position bias + padding mask added into one float mask given to "
             "F.scaled_dot_product_attention(scale=1.0)", f"{HF} T5EncoderModel", t5_encoder("sdpa", 4113),
             ["input_ids", "attention_mask"], ["last_hidden_state"],
             attention_fusion(attention(2, 4, head_dim=8, bias="relative-buckets", mask="padding",
                                        note="bidirectional, 32 buckets, max distance 64, scale 1")),
             opset=17, seed=4113, dynamic_axes=batch_seq("input_ids", "attention_mask", "last_hidden_state")),
        Case("hf_whisper_encoder", "HF Whisper encoder: conv front end + attention", "WhisperEncoder (2 layers, "
             "E=32, H=4, 16 mel bins, 32 frames -> Conv1d k3 + GELU, Conv1d k3 stride 2 + GELU -> 16 positions), "
             "pre-LN, no mask; q scaled before QK^T", f"{HF} WhisperEncoder", whisper_encoder("eager", 4111),
             ["input_features"], ["last_hidden_state"],
             attention_fusion(attention(2, 4, head_dim=8)), opset=17, seed=4111,
             dynamic_axes={"input_features": {0: "batch"}, "last_hidden_state": {0: "batch"}},
             notes=["the frame count is fixed by the model (2 * max_source_positions); only batch is dynamic"]),
        Case("hf_gpt_bigcode_mqa", "HF GPTBigCode: multi-query attention", "GPTBigCodeModel (2 layers, E=32, "
             "4 query heads, multi_query=True: 1 KV head of 8), causal + padding mask", f"{HF} GPTBigCodeModel",
             gpt_bigcode("eager", 4112), ["input_ids", "attention_mask"], ["last_hidden_state"],
             attention_fusion(attention(2, 4, 1, 16, causal=True, mask="padding")), opset=17, seed=4112,
             dynamic_axes=batch_seq("input_ids", "attention_mask", "last_hidden_state")),
    ]
