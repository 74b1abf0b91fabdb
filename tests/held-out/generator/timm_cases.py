"""Held-out cases from timm's own model code: a tiny ViT (eager and fused
attention, both exporters), a distilled DeiT, and timm's CbamModule."""

from __future__ import annotations

from typing import Callable

import timm
import torch
from timm.layers.cbam import CbamModule

from .common import Case, attention, attention_fusion, cbam, cbam_fusion, prepare, randn, variant

TIMM = f"timm {timm.__version__}"
VIT_ARGS = dict(pretrained=False, img_size=32, patch_size=8, embed_dim=32, depth=2, num_heads=2, mlp_ratio=2.0,
                num_classes=10)


def use_fused_attention(model: torch.nn.Module, fused: bool) -> None:
    """timm picks F.scaled_dot_product_attention (fused_attn) or the explicit
    q*scale @ k^T, softmax, @ v per Attention module."""
    for module in model.modules():
        if hasattr(module, "fused_attn"):
            module.fused_attn = fused


def randomize_tokens(model: torch.nn.Module, seed: int) -> None:
    """cls/dist tokens and position embeddings have no torch default init
    (timm draws them at std 0.02 or 1e-6); draw them at N(0, 0.5^2) so they matter."""
    generator = torch.Generator().manual_seed(seed + 3)
    with torch.no_grad():
        for name in ("cls_token", "dist_token", "pos_embed"):
            tensor = getattr(model, name, None)
            if isinstance(tensor, torch.nn.Parameter):
                tensor.copy_(torch.randn(tensor.shape, generator=generator) * 0.5)


def vit(variant: str, fused: bool, seed: int, heads: int = 2) -> Callable:
    def build():
        torch.manual_seed(seed)
        model = timm.create_model(variant, **{**VIT_ARGS, "num_heads": heads})
        use_fused_attention(model, fused)
        prepare(model, seed)
        randomize_tokens(model, seed)
        return model.eval(), [(randn(seed, 2, 3, 32, 32),), (randn(seed + 1, 3, 3, 32, 32),)]
    return build


class CbamNet(torch.nn.Module):
    """Conv-BN-ReLU stem, timm's CbamModule, global pooling, classifier."""

    def __init__(self) -> None:
        super().__init__()
        self.stem = torch.nn.Sequential(torch.nn.Conv2d(3, 32, 3, padding=1, bias=False), torch.nn.BatchNorm2d(32),
                                        torch.nn.ReLU())
        self.cbam = CbamModule(32, rd_ratio=1 / 8, spatial_kernel_size=7)
        self.head = torch.nn.Linear(32, 5)

    def forward(self, x):
        x = self.cbam(self.stem(x))
        return self.head(x.mean((2, 3)))


def timm_cbam(seed: int) -> Callable:
    def build():
        torch.manual_seed(seed)
        model = prepare(CbamNet(), seed)
        return model, [(randn(seed, 2, 3, 16, 16),), (randn(seed + 1, 1, 3, 16, 16),)]
    return build


def cases() -> list[Case]:
    vit_desc = ("timm VisionTransformer (vit_tiny_patch16_224 with img_size=32, patch_size=8, embed_dim=32, depth=2, "
                "num_heads=2, mlp_ratio=2, 10 classes): conv patch embedding, CLS token, learned position "
                "embeddings, pre-LN blocks with fused qkv Linear, exact GELU; ")
    batch = {"pixel_values": {0: "batch"}, "logits": {0: "batch"}}
    vit_eager = Case(
        "timm_vit_eager", "timm ViT, explicit attention", vit_desc + "fused_attn=False: q * scale @ "
        "k.transpose(-2, -1), softmax, @ v", f"{TIMM} vit_tiny_patch16_224",
        vit("vit_tiny_patch16_224", False, 4201), ["pixel_values"], ["logits"],
        attention_fusion(attention(2, 2, head_dim=16)), opset=17, seed=4201, dynamic_axes=batch)
    return [
        vit_eager,
        variant(vit_eager, "timm_vit_sdpa", "timm ViT, F.scaled_dot_product_attention", vit_desc + "fused_attn=True "
                "(timm's default): F.scaled_dot_product_attention, exported by the legacy SDPA symbolic",
                vit("vit_tiny_patch16_224", True, 4202), 4202, opset=14),
        variant(vit_eager, "timm_vit_dynamo", "timm ViT, dynamo exporter", vit_desc + "fused_attn=True, exported "
                "with torch.onnx.export(dynamo=True) at opset 18 (SDPA decomposed by the exporter)",
                vit("vit_tiny_patch16_224", True, 4203), 4203, opset=18, exporter="dynamo"),
        Case("timm_deit_distilled", "timm DeiT (distilled): CLS + distillation token", "timm "
             "VisionTransformerDistilled (deit_tiny_distilled_patch16_224 at img_size=32, patch_size=8, "
             "embed_dim=32, depth=2, num_heads=4, mlp_ratio=2, 10 classes): two prefix tokens, eval output = "
             "(head(cls) + head_dist(dist)) / 2; fused_attn=False", f"{TIMM} deit_tiny_distilled_patch16_224",
             vit("deit_tiny_distilled_patch16_224", False, 4204, heads=4), ["pixel_values"], ["logits"],
             attention_fusion(attention(2, 4, head_dim=8)), opset=17, seed=4204, dynamic_axes=batch),
        Case("timm_cbam_module", "timm CbamModule (1x1-conv MLP, mean/amax, ConvNormAct 7x7)", "Conv3x3(3->32)+BN"
             "+ReLU stem, timm.layers.cbam.CbamModule(32, rd_ratio=1/8, spatial_kernel_size=7): channel attention "
             "fc2(relu(fc1(x.mean((2,3), keepdim)))) + same on x.amax((2,3)), 1x1 Conv2d without bias, sigmoid; "
             "spatial attention cat[mean_c, amax_c] -> Conv7x7 + BatchNorm (folded by the exporter) -> sigmoid; "
             "mean pool + Linear head", f"{TIMM} timm.layers.cbam.CbamModule", timm_cbam(4205),
             ["pixel_values"], ["logits"],
             cbam_fusion(cbam(1, 32, channel=True, spatial=True, reduction=8, kernel=7, mlp="conv1x1",
                              pooling_order="mean,max")),
             opset=17, seed=4205, dynamic_axes=batch),
    ]
