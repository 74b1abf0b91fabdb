"""Hand-written attention blocks in position-bias and head-layout styles
public model code uses, without HuggingFace: ALiBi (key position only, with
the query offset, symmetric), T5-style bucketed relative bias, rotary
(interleaved GPT-J style, rotate-half NeoX style with partial rotary, complex
LLaMA-reference style), per-head loops, GQA."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def split_heads(x: torch.Tensor, heads: int) -> torch.Tensor:
    batch, seq, width = x.shape
    return x.view(batch, seq, heads, width // heads).transpose(1, 2)


def merge_heads(x: torch.Tensor) -> torch.Tensor:
    batch, heads, seq, dim = x.shape
    return x.transpose(1, 2).reshape(batch, seq, heads * dim)


def alibi_slopes(heads: int) -> list[float]:
    """The ALiBi paper's slopes (ofirpress/attention_with_linear_biases, power-of-2 head counts)."""
    start = 2 ** (-2 ** -(math.log2(heads) - 3))
    return [start * start ** i for i in range(heads)]


class AlibiKeyPositionAttention(nn.Module):
    """fairseq ALiBi style: a precomputed [H, 1, max_pos] buffer of slope *
    key position (no query offset) sliced to the sequence, plus a causal
    future mask buffer (-inf above the diagonal), added to the scores."""

    def __init__(self, dim: int, heads: int, max_positions: int = 64) -> None:
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        slopes = torch.tensor(alibi_slopes(heads))
        positions = torch.arange(max_positions).unsqueeze(0).unsqueeze(0).expand(heads, -1, -1)
        self.register_buffer("alibi", slopes.unsqueeze(1).unsqueeze(1) * positions, persistent=False)
        future = torch.triu(torch.full((max_positions, max_positions), float("-inf")), 1)
        self.register_buffer("future_mask", future, persistent=False)

    def forward(self, x):
        batch, seq, _ = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q, k, v = (split_heads(t, self.heads) for t in (q, k, v))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
        scores = scores + self.alibi[:, :, :seq].unsqueeze(0) + self.future_mask[:seq, :seq]
        return self.out(merge_heads(torch.matmul(F.softmax(scores, dim=-1), v)))


class AlibiRelativeAttention(nn.Module):
    """ALiBi with the query offset, computed in forward: slope * (j - i),
    causal by masked_fill(-inf) above the diagonal."""

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.q_proj, self.k_proj, self.v_proj = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.o_proj = nn.Linear(dim, dim)
        self.register_buffer("slopes", torch.tensor(alibi_slopes(heads)).view(1, heads, 1, 1), persistent=False)

    def forward(self, x):
        seq = x.shape[1]
        q, k, v = (split_heads(p(x), self.heads) for p in (self.q_proj, self.k_proj, self.v_proj))
        scores = q @ k.transpose(-2, -1) * q.shape[-1] ** -0.5
        positions = torch.arange(seq, device=x.device)
        relative = positions[None, :] - positions[:, None]  # j - i
        scores = scores + self.slopes * relative
        causal = torch.ones(seq, seq, dtype=torch.bool, device=x.device).tril()
        scores = scores.masked_fill(~causal, float("-inf"))
        return self.o_proj(merge_heads(scores.softmax(-1) @ v))


class AlibiSymmetricAttention(nn.Module):
    """Bidirectional ALiBi for encoders: -slope * |j - i|, with a boolean
    key padding mask (masked_fill with finfo.min)."""

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.register_buffer("slopes", torch.tensor(alibi_slopes(heads)), persistent=False)

    def forward(self, x, key_padding_mask):
        seq = x.shape[1]
        q, k, v = split_heads(self.qkv(x), 3 * self.heads).split(self.heads, dim=1)
        scores = torch.einsum("bhqd,bhkd->bhqk", q, k) / math.sqrt(q.shape[-1])
        positions = torch.arange(seq, device=x.device)
        distance = (positions[None, :] - positions[:, None]).abs()
        scores = scores - self.slopes[:, None, None] * distance
        scores = scores.masked_fill(key_padding_mask[:, None, None, :], torch.finfo(scores.dtype).min)
        return self.out(merge_heads(torch.einsum("bhqk,bhkd->bhqd", scores.softmax(-1), v)))


def relative_position_bucket(relative_position: torch.Tensor, bidirectional: bool, num_buckets: int,
                             max_distance: int) -> torch.Tensor:
    """T5's bucketing (Mesh TensorFlow): exact buckets for small distances,
    logarithmic ones up to max_distance, sign split when bidirectional."""
    buckets = torch.zeros_like(relative_position)
    if bidirectional:
        num_buckets //= 2
        buckets += (relative_position > 0).to(torch.long) * num_buckets
        relative_position = torch.abs(relative_position)
    else:
        relative_position = -torch.min(relative_position, torch.zeros_like(relative_position))
    max_exact = num_buckets // 2
    is_small = relative_position < max_exact
    large = max_exact + (torch.log(relative_position.float() / max_exact) / math.log(max_distance / max_exact)
                         * (num_buckets - max_exact)).to(torch.long)
    large = torch.min(large, torch.full_like(large, num_buckets - 1))
    return buckets + torch.where(is_small, relative_position, large)


class BucketBiasAttention(nn.Module):
    """T5-style relative position bias written by hand: bucket(k - q) looks
    up a learned [buckets, H] table, permuted to [1, H, Sq, Sk] and added to
    the scores. `scaled` picks 1/sqrt(d) scaling (T5 itself has none)."""

    def __init__(self, dim: int, heads: int, *, bidirectional: bool, num_buckets: int, max_distance: int,
                 scaled: bool) -> None:
        super().__init__()
        self.heads, self.bidirectional, self.scaled = heads, bidirectional, scaled
        self.num_buckets, self.max_distance = num_buckets, max_distance
        self.q, self.k, self.v, self.o = (nn.Linear(dim, dim, bias=False) for _ in range(4))
        self.relative_attention_bias = nn.Embedding(num_buckets, heads)

    def position_bias(self, query_length: int, key_length: int) -> torch.Tensor:
        context = torch.arange(query_length, dtype=torch.long)[:, None]
        memory = torch.arange(key_length, dtype=torch.long)[None, :]
        buckets = relative_position_bucket(memory - context, self.bidirectional, self.num_buckets, self.max_distance)
        return self.relative_attention_bias(buckets).permute([2, 0, 1]).unsqueeze(0)

    def forward(self, x, attention_mask):
        seq = x.shape[1]
        q, k, v = (split_heads(p(x), self.heads) for p in (self.q, self.k, self.v))
        scores = torch.matmul(q, k.transpose(3, 2))
        if self.scaled:
            scores = scores / math.sqrt(q.shape[-1])
        bias = self.position_bias(seq, seq)
        if not self.bidirectional:
            causal = torch.tril(torch.ones(seq, seq, dtype=attention_mask.dtype))
            attention_mask = attention_mask[:, None, :] * causal[None, :, :]
            extended = (1.0 - attention_mask[:, None, :, :].float()) * torch.finfo(torch.float32).min
        else:
            extended = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        scores = scores + (bias + extended)
        weights = F.softmax(scores.float(), dim=-1).type_as(scores)
        return self.o(merge_heads(torch.matmul(weights, v)))
