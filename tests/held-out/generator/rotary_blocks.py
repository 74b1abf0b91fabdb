"""Hand-written rotary attention in the three layouts public code uses:
GPT-J's interleaved pairs (rotate_every_two), GPT-NeoX's rotate-half on a
partial rotary dimension with a packed per-head qkv, and the LLaMA reference
implementation's complex multiplication (torch.polar / view_as_complex)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from .attention_blocks import merge_heads


def rotate_every_two(x: torch.Tensor) -> torch.Tensor:
    x1 = x[:, :, :, ::2]
    x2 = x[:, :, :, 1::2]
    return torch.stack((-x2, x1), dim=-1).flatten(-2)


class InterleavedRotaryAttention(nn.Module):
    """GPT-J style: sin/cos from position ids (a graph input) times inv_freq,
    duplicated to match interleaved pairs; rotary applied in the
    [B, S, H, D] layout before the head transpose; causal via a bool tril
    buffer and torch.where(mask, scores, finfo.min); scores computed in fp32
    then divided by sqrt(D)."""

    def __init__(self, dim: int, heads: int, max_positions: int = 64, stack_duplicate: bool = False) -> None:
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.stack_duplicate = stack_duplicate
        self.q_proj, self.k_proj, self.v_proj = (nn.Linear(dim, dim, bias=False) for _ in range(3))
        self.out_proj = nn.Linear(dim, dim, bias=False)
        inv_freq = 1.0 / (10000 ** (torch.arange(0, self.head_dim, 2, dtype=torch.float) / self.head_dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        causal = torch.tril(torch.ones(max_positions, max_positions, dtype=torch.bool)).view(1, 1, max_positions,
                                                                                              max_positions)
        self.register_buffer("bias", causal, persistent=False)

    def duplicate(self, table: torch.Tensor) -> torch.Tensor:
        """[..., D/2] -> [..., D], each value twice: GPT-J's repeat_interleave(2), or the same values as
        stack((t, t), -1).flatten(-2) (torch 2.13's legacy exporter mis-ranks repeat_interleave's output
        here: the graph it writes fails in onnxruntime, or the exporter segfaults in a later permute)."""
        if self.stack_duplicate:
            return torch.stack((table, table), dim=-1).flatten(-2)
        return table.repeat_interleave(2, dim=-1)

    def forward(self, x, position_ids):
        batch, seq, _ = x.shape
        q, k, v = (p(x).view(batch, seq, self.heads, self.head_dim) for p in (self.q_proj, self.k_proj, self.v_proj))
        sinusoid = position_ids.float()[..., None] * self.inv_freq  # [B, S, D/2]
        sin = self.duplicate(torch.sin(sinusoid))[:, :, None, :]
        cos = self.duplicate(torch.cos(sinusoid))[:, :, None, :]
        q = q * cos + rotate_every_two(q) * sin
        k = k * cos + rotate_every_two(k) * sin
        q, k, v = (t.permute(0, 2, 1, 3) for t in (q, k, v))
        scores = torch.matmul(q.to(torch.float32), k.to(torch.float32).transpose(-1, -2))
        mask = self.bias[:, :, :seq, :seq]
        scores = torch.where(mask, scores, torch.tensor(torch.finfo(scores.dtype).min, dtype=scores.dtype))
        scores = scores / math.sqrt(self.head_dim)
        return self.out_proj(merge_heads(torch.matmul(F.softmax(scores, dim=-1), v)))


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


class PartialRotateHalfAttention(nn.Module):
    """GPT-NeoX style: packed query_key_value Linear viewed as [B, S, H, 3D]
    (q, k, v interleaved per head), rotate-half rotary on the first
    `rotary_dim` features only (cos/sin caches [max_pos, rotary_dim] gathered
    by position ids), causal from a bool tril buffer with torch.where."""

    def __init__(self, dim: int, heads: int, rotary_dim: int, max_positions: int = 64) -> None:
        super().__init__()
        self.heads, self.head_dim, self.rotary_dim = heads, dim // heads, rotary_dim
        self.query_key_value = nn.Linear(dim, 3 * dim)
        self.dense = nn.Linear(dim, dim)
        inv_freq = 1.0 / (10000 ** (torch.arange(0, rotary_dim, 2).float() / rotary_dim))
        freqs = torch.einsum("i,j->ij", torch.arange(max_positions).float(), inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        self.register_buffer("cos_cached", emb.cos(), persistent=False)
        self.register_buffer("sin_cached", emb.sin(), persistent=False)
        self.register_buffer("bias", torch.tril(torch.ones(max_positions, max_positions, dtype=torch.bool)),
                             persistent=False)
        self.norm_factor = math.sqrt(self.head_dim)

    def forward(self, x, position_ids):
        batch, seq, _ = x.shape
        qkv = self.query_key_value(x).view(batch, seq, self.heads, 3 * self.head_dim).permute(0, 2, 1, 3)
        q, k, v = qkv[..., : self.head_dim], qkv[..., self.head_dim: 2 * self.head_dim], qkv[..., 2 * self.head_dim:]
        cos = self.cos_cached[position_ids].unsqueeze(1)
        sin = self.sin_cached[position_ids].unsqueeze(1)
        q_rot, q_pass = q[..., : self.rotary_dim], q[..., self.rotary_dim:]
        k_rot, k_pass = k[..., : self.rotary_dim], k[..., self.rotary_dim:]
        q = torch.cat((q_rot * cos + rotate_half(q_rot) * sin, q_pass), dim=-1)
        k = torch.cat((k_rot * cos + rotate_half(k_rot) * sin, k_pass), dim=-1)
        scores = torch.matmul(q, k.transpose(2, 3)) / self.norm_factor
        causal = self.bias[:seq, :seq]
        scores = torch.where(causal, scores, torch.tensor(torch.finfo(scores.dtype).min))
        return self.dense(merge_heads(torch.matmul(torch.softmax(scores, dim=-1), v)))


class ComplexRotaryAttention(nn.Module):
    """The LLaMA reference implementation's rotary: freqs_cis = torch.polar(1,
    freqs), q/k viewed as complex pairs, multiplied, view_as_real; causal
    mask full(-inf).triu(1)."""

    def __init__(self, dim: int, heads: int, max_positions: int = 64) -> None:
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.wq, self.wk, self.wv, self.wo = (nn.Linear(dim, dim, bias=False) for _ in range(4))
        freqs = 1.0 / (10000.0 ** (torch.arange(0, self.head_dim, 2)[: self.head_dim // 2].float() / self.head_dim))
        angles = torch.outer(torch.arange(max_positions).float(), freqs)
        self.register_buffer("freqs_cis", torch.polar(torch.ones_like(angles), angles), persistent=False)

    def forward(self, x):
        batch, seq, _ = x.shape
        q, k, v = (p(x).view(batch, seq, self.heads, self.head_dim) for p in (self.wq, self.wk, self.wv))
        freqs = self.freqs_cis[:seq].view(1, seq, 1, self.head_dim // 2)
        q = torch.view_as_real(torch.view_as_complex(q.float().reshape(batch, seq, self.heads, -1, 2)) * freqs)
        k = torch.view_as_real(torch.view_as_complex(k.float().reshape(batch, seq, self.heads, -1, 2)) * freqs)
        q, k = q.flatten(3).transpose(1, 2), k.flatten(3).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
        scores = scores + torch.full((seq, seq), float("-inf")).triu(1)
        out = torch.matmul(F.softmax(scores.float(), dim=-1), v.transpose(1, 2))
        return self.wo(merge_heads(out))
