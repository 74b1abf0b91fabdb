"""Hand-written head layouts: per-head loops (torch.chunk, slicing in a loop,
an nn.ModuleList of single-head modules), GQA via repeat_interleave and via
expand + reshape, and the transformers 4.x DistilBERT layer whose mask is
built with expand_as(scores)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from .attention_blocks import merge_heads, split_heads


class ChunkLoopAttention(nn.Module):
    """q, k, v projections, torch.chunk into heads along the features, a
    Python loop of single-head attention, torch.cat, output projection."""

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(dim, dim) for _ in range(4))

    def forward(self, x):
        outputs = []
        for q, k, v in zip(self.q(x).chunk(self.heads, -1), self.k(x).chunk(self.heads, -1),
                           self.v(x).chunk(self.heads, -1)):
            weights = torch.softmax(torch.bmm(q, k.transpose(1, 2)) / math.sqrt(q.size(-1)), dim=-1)
            outputs.append(torch.bmm(weights, v))
        return self.o(torch.cat(outputs, dim=-1))


class SliceLoopAttention(nn.Module):
    """Packed qkv projection; head h reads qkv[:, :, h*d:(h+1)*d] (and the
    k/v offsets) in a loop; key padding mask (bool, True = pad) applied per
    head with masked_fill(-1e9)."""

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.dim, self.heads, self.head_dim = dim, heads, dim // heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, key_padding_mask):
        qkv = self.qkv(x)
        d, outputs = self.head_dim, []
        for h in range(self.heads):
            q = qkv[:, :, h * d:(h + 1) * d]
            k = qkv[:, :, self.dim + h * d:self.dim + (h + 1) * d]
            v = qkv[:, :, 2 * self.dim + h * d:2 * self.dim + (h + 1) * d]
            scores = q @ k.transpose(-2, -1) * d ** -0.5
            scores = scores.masked_fill(key_padding_mask.unsqueeze(1), -1e9)
            outputs.append(scores.softmax(dim=-1) @ v)
        return self.proj(torch.cat(outputs, dim=-1))


class Head(nn.Module):
    """One head of self-attention (the nanoGPT lecture's Head): its own
    key/query/value Linear, causal via a tril buffer and masked_fill(-inf)."""

    def __init__(self, dim: int, head_size: int, block_size: int) -> None:
        super().__init__()
        self.key = nn.Linear(dim, head_size, bias=False)
        self.query = nn.Linear(dim, head_size, bias=False)
        self.value = nn.Linear(dim, head_size, bias=False)
        self.register_buffer("tril", torch.tril(torch.ones(block_size, block_size)))

    def forward(self, x):
        _, seq, _ = x.shape
        k, q = self.key(x), self.query(x)
        wei = q @ k.transpose(-2, -1) * k.shape[-1] ** -0.5
        wei = wei.masked_fill(self.tril[:seq, :seq] == 0, float("-inf"))
        return F.softmax(wei, dim=-1) @ self.value(x)


class ModuleListHeads(nn.Module):
    def __init__(self, dim: int, heads: int, block_size: int = 32) -> None:
        super().__init__()
        self.heads = nn.ModuleList([Head(dim, dim // heads, block_size) for _ in range(heads)])
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        return self.proj(torch.cat([h(x) for h in self.heads], dim=-1))


class RepeatInterleaveGqa(nn.Module):
    """Grouped-query attention: KV heads repeated with repeat_interleave on
    the head axis; causal mask full(-inf).triu(1) added."""

    def __init__(self, dim: int, heads: int, kv_heads: int) -> None:
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = heads, kv_heads, dim // heads
        self.q = nn.Linear(dim, dim, bias=False)
        self.kv = nn.Linear(dim, 2 * kv_heads * self.head_dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x):
        seq = x.shape[1]
        q = split_heads(self.q(x), self.heads)
        k, v = split_heads(self.kv(x), 2 * self.kv_heads).chunk(2, dim=1)
        k = k.repeat_interleave(self.heads // self.kv_heads, dim=1)
        v = v.repeat_interleave(self.heads // self.kv_heads, dim=1)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim)
        scores = scores + torch.full((seq, seq), float("-inf"), device=x.device).triu(1)
        return self.o(merge_heads(scores.softmax(-1) @ v))


class ExpandReshapeGqaSdpa(nn.Module):
    """Grouped-query attention: k[:, :, None].expand(B, KV, rep, S, D)
    .reshape(B, H, S, D), then F.scaled_dot_product_attention(is_causal=True)."""

    def __init__(self, dim: int, heads: int, kv_heads: int) -> None:
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = heads, kv_heads, dim // heads
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, kv_heads * self.head_dim)
        self.v = nn.Linear(dim, kv_heads * self.head_dim)
        self.o = nn.Linear(dim, dim)

    def repeat_kv(self, x: torch.Tensor) -> torch.Tensor:
        batch, kv_heads, seq, dim = x.shape
        rep = self.heads // kv_heads
        return x[:, :, None, :, :].expand(batch, kv_heads, rep, seq, dim).reshape(batch, kv_heads * rep, seq, dim)

    def forward(self, x):
        q = split_heads(self.q(x), self.heads)
        k = self.repeat_kv(split_heads(self.k(x), self.kv_heads))
        v = self.repeat_kv(split_heads(self.v(x), self.kv_heads))
        return self.o(merge_heads(F.scaled_dot_product_attention(q, k, v, is_causal=True)))


class DistilBertLegacyLayer(nn.Module):
    """transformers 4.x DistilBERT TransformerBlock: MultiHeadSelfAttention
    with q / sqrt(d) before the product, mask = (mask == 0).view(B, 1, 1, S)
    .expand_as(scores), masked_fill(finfo.min), softmax; post-LN, GELU FFN."""

    def __init__(self, dim: int, heads: int, hidden: int) -> None:
        super().__init__()
        self.n_heads, self.dim = heads, dim
        self.q_lin, self.k_lin, self.v_lin, self.out_lin = (nn.Linear(dim, dim) for _ in range(4))
        self.sa_layer_norm = nn.LayerNorm(dim, eps=1e-12)
        self.lin1, self.lin2 = nn.Linear(dim, hidden), nn.Linear(hidden, dim)
        self.output_layer_norm = nn.LayerNorm(dim, eps=1e-12)

    def attention(self, query, key, value, mask):
        bs, q_length, dim = query.size()
        k_length = key.size(1)
        dim_per_head = self.dim // self.n_heads
        mask_reshp = (bs, 1, 1, k_length)

        def shape(x):
            return x.view(bs, -1, self.n_heads, dim_per_head).transpose(1, 2)

        def unshape(x):
            return x.transpose(1, 2).contiguous().view(bs, -1, self.n_heads * dim_per_head)

        q = shape(self.q_lin(query)) / math.sqrt(dim_per_head)
        k, v = shape(self.k_lin(key)), shape(self.v_lin(value))
        scores = torch.matmul(q, k.transpose(2, 3))
        mask = (mask == 0).view(mask_reshp).expand_as(scores)
        scores = scores.masked_fill(mask, torch.tensor(torch.finfo(scores.dtype).min))
        weights = nn.functional.softmax(scores, dim=-1)
        return self.out_lin(unshape(torch.matmul(weights, v)))

    def forward(self, x, attn_mask):
        sa_output = self.sa_layer_norm(self.attention(x, x, x, attn_mask) + x)
        ffn_output = self.lin2(F.gelu(self.lin1(sa_output)))
        return self.output_layer_norm(ffn_output + sa_output)
