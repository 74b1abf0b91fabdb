"""Held-out CBAM exports written the ways public CBAM code writes them (not
the shared cnn-cbam's Linear-MLP style), and a plain small CNN.

- luuuyi/CBAM.PyTorch style (ResNet BasicBlock): AdaptiveAvg/MaxPool2d(1),
  shared MLP as two 1x1 Conv2d without bias, torch.mean/torch.max over
  channels (mean first), 7x7 conv without bias.
- Jongchan/attention-module style (the authors' repo): ChannelGate with
  F.avg_pool2d/F.max_pool2d over the full (H, W) window, Flatten + Linear
  MLP with biases, sigmoid(...).unsqueeze(2).unsqueeze(3).expand_as(x);
  SpatialGate ChannelPool = cat(max, mean) (max first), BasicConv = conv +
  BatchNorm, no ReLU.
- channel-only (x.view(b, c, -1).mean / .max, Linear MLP) and spatial-only
  modules with kernel 3 and 7.
"""

from __future__ import annotations

from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn

from .common import Case, cbam, cbam_fusion, prepare, randn, variant

BATCH = {"pixel_values": {0: "batch"}, "logits": {0: "batch"}}


# --- luuuyi/CBAM.PyTorch style --------------------------------------------------

class ConvChannelAttention(nn.Module):
    def __init__(self, channels: int, ratio: int) -> None:
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.max_pool = nn.AdaptiveMaxPool2d(1)
        self.fc = nn.Sequential(nn.Conv2d(channels, channels // ratio, 1, bias=False), nn.ReLU(),
                                nn.Conv2d(channels // ratio, channels, 1, bias=False))
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        return self.sigmoid(self.fc(self.avg_pool(x)) + self.fc(self.max_pool(x)))


class MeanMaxSpatialAttention(nn.Module):
    def __init__(self, kernel_size: int, bias: bool = False) -> None:
        super().__init__()
        self.conv = nn.Conv2d(2, 1, kernel_size, padding=kernel_size // 2, bias=bias)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        avg_out = torch.mean(x, dim=1, keepdim=True)
        max_out, _ = torch.max(x, dim=1, keepdim=True)
        return self.sigmoid(self.conv(torch.cat([avg_out, max_out], dim=1)))


class CbamBasicBlock(nn.Module):
    """ResNet BasicBlock with CBAM before the residual add (CBAM.PyTorch)."""

    def __init__(self, inplanes: int, planes: int, stride: int, ratio: int, kernel: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.ca = ConvChannelAttention(planes, ratio)
        self.sa = MeanMaxSpatialAttention(kernel)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        residual = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out = self.ca(out) * out
        out = self.sa(out) * out
        return self.relu(out + residual)


class CbamResNet(nn.Module):
    def __init__(self, ratio: int, kernel: int) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(inplace=True))
        self.layer1 = CbamBasicBlock(16, 16, 1, ratio, kernel)
        self.layer2 = CbamBasicBlock(16, 32, 2, ratio, kernel)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, 5)

    def forward(self, x):
        x = self.layer2(self.layer1(self.stem(x)))
        return self.fc(torch.flatten(self.avgpool(x), 1))


# --- Jongchan/attention-module style ----------------------------------------------

class ChannelGate(nn.Module):
    def __init__(self, gate_channels: int, reduction_ratio: int) -> None:
        super().__init__()
        self.mlp = nn.Sequential(nn.Flatten(), nn.Linear(gate_channels, gate_channels // reduction_ratio), nn.ReLU(),
                                 nn.Linear(gate_channels // reduction_ratio, gate_channels))

    def forward(self, x):
        avg_pool = F.avg_pool2d(x, (x.size(2), x.size(3)), stride=(x.size(2), x.size(3)))
        max_pool = F.max_pool2d(x, (x.size(2), x.size(3)), stride=(x.size(2), x.size(3)))
        channel_att_sum = self.mlp(avg_pool) + self.mlp(max_pool)
        scale = torch.sigmoid(channel_att_sum).unsqueeze(2).unsqueeze(3).expand_as(x)
        return x * scale


class ChannelPool(nn.Module):
    def forward(self, x):
        return torch.cat((torch.max(x, 1)[0].unsqueeze(1), torch.mean(x, 1).unsqueeze(1)), dim=1)


class BasicConv(nn.Module):
    def __init__(self, in_planes: int, out_planes: int, kernel_size: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_planes, out_planes, kernel_size, padding=(kernel_size - 1) // 2, bias=False)
        self.bn = nn.BatchNorm2d(out_planes, eps=1e-5, momentum=0.01, affine=True)

    def forward(self, x):
        return self.bn(self.conv(x))


class SpatialGate(nn.Module):
    def __init__(self, kernel_size: int) -> None:
        super().__init__()
        self.compress = ChannelPool()
        self.spatial = BasicConv(2, 1, kernel_size)

    def forward(self, x):
        return x * torch.sigmoid(self.spatial(self.compress(x)))


class GateCbam(nn.Module):
    def __init__(self, channels: int, reduction: int, kernel: int) -> None:
        super().__init__()
        self.channel_gate = ChannelGate(channels, reduction)
        self.spatial_gate = SpatialGate(kernel)

    def forward(self, x):
        return self.spatial_gate(self.channel_gate(x))


def conv_bn_relu(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class GateCbamNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(conv_bn_relu(3, 24), GateCbam(24, 4, 3), conv_bn_relu(24, 24, 2),
                                      GateCbam(24, 4, 3))
        self.head = nn.Linear(24, 5)

    def forward(self, x):
        return self.head(self.features(x).mean((2, 3)))


# --- channel-only and spatial-only modules ----------------------------------------

class FlatChannelAttention(nn.Module):
    """Channel attention on flattened pools: view(b, c, -1).mean/.max, Linear MLP."""

    def __init__(self, channels: int, ratio: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(channels, channels // ratio)
        self.fc2 = nn.Linear(channels // ratio, channels)

    def forward(self, x):
        b, c = x.shape[0], x.shape[1]
        flat = x.view(b, c, -1)
        avg = self.fc2(F.relu(self.fc1(flat.mean(-1))))
        mx = self.fc2(F.relu(self.fc1(flat.max(-1)[0])))
        return x * torch.sigmoid(avg + mx).view(b, c, 1, 1)


class ChannelOnlyNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = conv_bn_relu(3, 32)
        self.attention = FlatChannelAttention(32, 16)
        self.head = nn.Linear(32, 5)

    def forward(self, x):
        return self.head(self.attention(self.conv(x)).mean((2, 3)))


class SpatialOnlyNet(nn.Module):
    """Two spatial-only attentions: kernel 7 then kernel 3 (conv with bias)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = conv_bn_relu(3, 16)
        self.sa1 = MeanMaxSpatialAttention(7, bias=True)
        self.conv2 = conv_bn_relu(16, 16, 2)
        self.sa2 = MeanMaxSpatialAttention(3, bias=True)
        self.head = nn.Linear(16, 5)

    def forward(self, x):
        x = self.conv1(x)
        x = x * self.sa1(x)
        x = self.conv2(x)
        x = x * self.sa2(x)
        return self.head(x.mean((2, 3)))


# --- a plain small CNN ---------------------------------------------------------------

class PlainCnn(nn.Module):
    """Conv, BatchNorm, ReLU, MaxPool, AvgPool, global average pool, Flatten, Linear (Gemm)."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(conv_bn_relu(3, 16), nn.MaxPool2d(2), conv_bn_relu(16, 32),
                                      nn.AvgPool2d(3, stride=2, padding=1), conv_bn_relu(32, 32),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.classifier = nn.Sequential(nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 5))

    def forward(self, x):
        return self.classifier(self.features(x))


def images(make: Callable[[], nn.Module], seed: int, size: int = 16, second_batch: int = 1) -> Callable:
    def build():
        torch.manual_seed(seed)
        model = prepare(make(), seed)
        return model, [(randn(seed, 2, 3, size, size),), (randn(seed + 1, second_batch, 3, size, size),)]
    return build


def resnet_cbam_fusion(reduction: int, kernel: int) -> dict:
    """Both CbamBasicBlocks of CbamResNet (16 and 32 channels)."""
    return cbam_fusion(*(cbam(1, channels, channel=True, spatial=True, reduction=reduction, kernel=kernel,
                              mlp="conv1x1", pooling_order="mean,max") for channels in (16, 32)))


def cases() -> list[Case]:
    resnet = Case(
        "cbam_resnet_conv_mlp", "CBAM in ResNet BasicBlocks, 1x1-conv MLP (CBAM.PyTorch style)",
        "stem Conv3x3(3->16)+BN+ReLU; two BasicBlocks (16->16, 16->32 stride 2 with 1x1 conv+BN downsample), "
        "each conv-BN-ReLU-conv-BN -> channel attention (AdaptiveAvgPool2d(1)/AdaptiveMaxPool2d(1) -> shared "
        "MLP Conv1x1(C->C/8, no bias)-ReLU-Conv1x1 -> add -> sigmoid) * out -> spatial attention "
        "(cat[mean_c, max_c] -> Conv7x7 no bias -> sigmoid) * out -> + residual -> ReLU; GAP + Linear. "
        "BatchNormalization nodes kept (exported with training=PRESERVE in eval mode)",
        "hand-written after luuuyi/CBAM.PyTorch (model/resnet_cbam.py)", images(lambda: CbamResNet(8, 7), 4301),
        ["pixel_values"], ["logits"], resnet_cbam_fusion(8, 7), opset=17, seed=4301, dynamic_axes=BATCH,
        keep_batchnorm=True)
    return [
        resnet,
        Case("cbam_gate_linear_k3", "CBAM gates with Flatten+Linear MLP, max-first ChannelPool, conv+BN (authors' "
             "repo style)", "conv-BN-ReLU(3->24), GateCbam(24, reduction 4, kernel 3), conv-BN-ReLU stride 2, "
             "GateCbam(24, 4, 3), mean pool + Linear. ChannelGate: F.avg_pool2d / F.max_pool2d with the full (H, W) "
             "window, Flatten + Linear(24->6)+ReLU+Linear(6->24) with biases, sum, sigmoid, unsqueeze x2, "
             "expand_as(x); SpatialGate: cat(max_c, mean_c) (max first) -> Conv3x3 + BatchNorm (folded by the "
             "exporter) -> sigmoid", "hand-written after Jongchan/attention-module (MODELS/cbam.py)",
             images(GateCbamNet, 4302, second_batch=2), ["pixel_values"], ["logits"],
             cbam_fusion(cbam(2, 24, channel=True, spatial=True, reduction=4, kernel=3, mlp="linear",
                              pooling_order="max,mean")),
             opset=16, seed=4302,
             notes=["static shapes: F.avg_pool2d's kernel comes from x.size(2), x.size(3), which the legacy exporter "
                    "cannot export as a run-time value with dynamic axes (SymbolicValueError in Gather); both data "
                    "sets have batch 2"]),
        Case("cbam_channel_only_flat", "channel attention only, Linear MLP on flattened pools",
             "conv-BN-ReLU(3->32), channel attention: x.view(b, c, -1).mean(-1) and .max(-1)[0] through one "
             "shared Linear(32->2)+ReLU+Linear(2->32) (reduction 16), sigmoid, view(b, c, 1, 1), x * gate; mean "
             "pool + Linear", "hand-written", images(ChannelOnlyNet, 4303), ["pixel_values"], ["logits"],
             cbam_fusion(cbam(1, 32, channel=True, spatial=False, reduction=16, mlp="linear")),
             opset=17, seed=4303, dynamic_axes=BATCH),
        Case("cbam_spatial_only_k7_k3", "spatial attention only, kernels 7 and 3",
             "conv-BN-ReLU(3->16) -> x * sigmoid(Conv7x7(cat[mean_c, max_c]) with bias) -> conv-BN-ReLU stride 2 "
             "-> x * sigmoid(Conv3x3(cat[mean_c, max_c]) with bias) -> mean pool + Linear", "hand-written",
             images(SpatialOnlyNet, 4304), ["pixel_values"], ["logits"],
             cbam_fusion(cbam(1, 16, channel=False, spatial=True, kernel=7, pooling_order="mean,max"),
                         cbam(1, 16, channel=False, spatial=True, kernel=3, pooling_order="mean,max")),
             opset=17, seed=4304, dynamic_axes=BATCH),
        variant(resnet, "cbam_resnet_dynamo", "CBAM ResNet blocks, dynamo exporter", "the cbam_resnet_conv_mlp "
                "network with reduction 4 and spatial kernel 3, exported with torch.onnx.export(dynamo=True) at "
                "opset 18", images(lambda: CbamResNet(4, 3), 4305), 4305, opset=18, exporter="dynamo",
                fusion=resnet_cbam_fusion(4, 3), keep_batchnorm=False, source="hand-written after luuuyi/CBAM.PyTorch"),
        Case("plain_cnn", "plain small CNN (no attention)", "conv-BN-ReLU(3->16), MaxPool2d(2), conv-BN-ReLU(16->32), "
             "AvgPool2d(3, stride 2, pad 1), conv-BN-ReLU(32->32), AdaptiveAvgPool2d(1), Flatten, Linear(32->16), "
             "ReLU, Linear(16->5); BatchNormalization nodes kept (training=PRESERVE in eval mode)", "hand-written",
             images(PlainCnn, 4306), ["pixel_values"], ["logits"],
             {"kind": "none", "attention_count": 0, "cbam_count": 0, "note": "Conv/BN/pool/Gemm only"},
             opset=17, seed=4306, dynamic_axes=BATCH, keep_batchnorm=True),
    ]
