"""Shared machinery of the held-out generator: the Case record, weight
initialisation (torch default init + perturbation), export with either
exporter, the ONNX backend-test layout writer, and the onnxruntime check."""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import warnings
from collections import Counter
from typing import Any, Callable, Sequence

import numpy as np
import onnx
import torch
from onnx import numpy_helper


def _let_torchvision_import() -> None:
    """timm (and transformers, when it is installed) import torchvision. The
    only torchvision wheels the package index here has for torch 2.13 are CUDA
    builds whose _C.so cannot load against torch+cpu, and torchvision's import
    then fails registering fake kernels for ops that do not exist. Declaring
    the two op schemas it registers with register_fake lets it import; no
    torchvision op is ever run by this generator."""
    if hasattr(torch.ops.torchvision, "nms"):
        return
    library = torch.library.Library("torchvision", "DEF")  # noqa: F841 - kept alive below
    library.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    library.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    _KEEP_ALIVE.append(library)


_KEEP_ALIVE: list[Any] = []
_let_torchvision_import()

# Comparison rule of the shared fixtures: |got - expected| <= atol + rtol * |expected|.
DEFAULT_TOLERANCE = {"rtol": 1e-4, "atol": 1e-4}
PERTURB_STD = 0.1


@dataclasses.dataclass
class Case:
    """One held-out export.

    build(seed) returns (module, data_sets) where data_sets is a list of input
    tuples (test_data_set_0, test_data_set_1, ...) in graph-input order."""

    name: str
    style: str
    description: str
    source: str  # which library code the module comes from
    build: Callable[[], tuple[torch.nn.Module, list[tuple[torch.Tensor, ...]]]]
    input_names: Sequence[str]
    output_names: Sequence[str]
    fusion: dict[str, Any]
    opset: int = 17
    exporter: str = "legacy"  # "legacy" (dynamo=False) | "dynamo"
    dynamic_axes: dict[str, dict[int, str]] | None = None
    tolerance: dict[str, float] = dataclasses.field(default_factory=lambda: dict(DEFAULT_TOLERANCE))
    constant_folding: bool = True
    keep_batchnorm: bool = False  # legacy exporter: training=PRESERVE (eval-mode BatchNormalization nodes stay)
    seed: int = 0
    notes: list[str] = dataclasses.field(default_factory=list)


def variant(base: Case, name: str, style: str, description: str, build: Callable, seed: int, **changes: Any) -> Case:
    """The same module as `base` (its inputs, outputs, expected fusion, axes
    and notes) exported another way: another exporter, opset or attention
    implementation, built by `build` under `seed`."""
    return dataclasses.replace(base, name=name, style=style, description=description, build=build, seed=seed,
                               **changes)


def reset_to_torch_default_init(module: torch.nn.Module) -> None:
    """Re-runs every submodule's reset_parameters(): torch's default init, in
    place of a library's own (HF initialises with N(0, 0.02), which makes
    every attention nearly uniform and hides a wrong scale or mask)."""
    for sub in module.modules():
        reset = getattr(sub, "reset_parameters", None)
        if callable(reset) and isinstance(sub, (torch.nn.Linear, torch.nn.Conv1d, torch.nn.Conv2d,
                                                torch.nn.Embedding, torch.nn.LayerNorm,
                                                torch.nn.modules.batchnorm._BatchNorm)):
            reset()


def perturb_constant_parameters(module: torch.nn.Module, generator: torch.Generator) -> list[str]:
    """Adds N(0, 0.1^2) noise to every parameter that is all zero or all one
    (biases, norm affines, BatchNorm running mean) and 1 + |N(0, 0.1^2)| to
    all-one BatchNorm running variances, so a dropped or misplaced bias or
    affine changes the output. Returns the names that were perturbed."""
    perturbed = []
    with torch.no_grad():
        tensors = list(module.named_parameters())
        tensors += [(n, b) for n, b in module.named_buffers()
                    if n.endswith("running_mean") or n.endswith("running_var")]
        for name, tensor in tensors:
            if not tensor.is_floating_point() or tensor.numel() == 0:
                continue
            is_zero = bool((tensor == 0).all())
            is_one = bool((tensor == 1).all())
            if not (is_zero or is_one):
                continue
            noise = torch.randn(tensor.shape, generator=generator) * PERTURB_STD
            if name.endswith("running_var"):
                noise = noise.abs()
            tensor.add_(noise.to(tensor.dtype))
            perturbed.append(name)
    return perturbed


def prepare(module: torch.nn.Module, seed: int, reset: bool = True) -> torch.nn.Module:
    """Seeds torch, applies default init (optionally) and the perturbation; eval mode."""
    if reset:
        torch.manual_seed(seed)
        reset_to_torch_default_init(module)
    perturb_constant_parameters(module, torch.Generator().manual_seed(seed + 7))
    return module.eval()


def randn(seed: int, *shape: int) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def randint(seed: int, high: int, *shape: int) -> torch.Tensor:
    return torch.randint(0, high, shape, generator=torch.Generator().manual_seed(seed), dtype=torch.int64)


def padding_mask(lengths: Sequence[int], seq: int) -> torch.Tensor:
    """int64 [B, S]: 1 for a token, 0 for padding at the end of each row."""
    mask = torch.zeros(len(lengths), seq, dtype=torch.int64)
    for row, length in enumerate(lengths):
        mask[row, :length] = 1
    return mask


def flatten_outputs(result: Any) -> list[torch.Tensor]:
    if isinstance(result, torch.Tensor):
        return [result]
    if isinstance(result, (tuple, list)):
        out = []
        for item in result:
            out.extend(flatten_outputs(item))
        return out
    raise TypeError(f"unexpected output type {type(result)}")


def export_model(case: Case, module: torch.nn.Module, example: tuple[torch.Tensor, ...], path: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if case.exporter == "legacy":
            torch.onnx.export(module, example, path, dynamo=False, opset_version=case.opset,
                              input_names=list(case.input_names), output_names=list(case.output_names),
                              dynamic_axes=case.dynamic_axes or None,
                              do_constant_folding=case.constant_folding,
                              training=torch.onnx.TrainingMode.PRESERVE if case.keep_batchnorm
                              else torch.onnx.TrainingMode.EVAL)
        elif case.exporter == "dynamo":
            dynamic_shapes = None
            if case.dynamic_axes:
                dims: dict[str, Any] = {}
                dynamic_shapes = tuple(
                    {axis: dims.setdefault(dim, torch.export.Dim(dim, min=1, max=4096))
                     for axis, dim in case.dynamic_axes.get(name, {}).items()} or None
                    for name in case.input_names)
                if takes_varargs(module):
                    dynamic_shapes = (dynamic_shapes,)
            program = torch.onnx.export(module, example, dynamo=True, opset_version=case.opset,
                                        input_names=list(case.input_names),
                                        output_names=list(case.output_names),
                                        dynamic_shapes=dynamic_shapes, external_data=False)
            program.save(path, external_data=False)
            strip_trace_metadata(path)
        else:
            raise ValueError(case.exporter)


def strip_trace_metadata(path: str) -> None:
    """Drops the dynamo exporter's per-node metadata_props (stack traces, FX
    node dumps, module namespaces: a third to half of a tiny file, and they
    name this machine's paths). Nodes, attributes and value_info stay."""
    model = onnx.load(path)
    for graph in [model.graph, *model.functions]:
        for node in graph.node:
            del node.metadata_props[:]
    onnx.save(model, path)


def takes_varargs(module: torch.nn.Module) -> bool:
    import inspect
    return any(p.kind is inspect.Parameter.VAR_POSITIONAL
               for p in inspect.signature(module.forward).parameters.values())


def tensor_proto(array: np.ndarray, name: str) -> onnx.TensorProto:
    return numpy_helper.from_array(np.ascontiguousarray(array), name=name)


def value_info(v: onnx.ValueInfoProto) -> dict[str, Any]:
    t = v.type.tensor_type
    dims = [d.dim_value if d.HasField("dim_value") else (d.dim_param or "?") for d in t.shape.dim]
    return {"name": v.name, "dtype": onnx.helper.tensor_dtype_to_string(t.elem_type).split(".")[-1].lower(),
            "shape": dims}


def describe(array: np.ndarray, name: str) -> dict[str, Any]:
    return {"name": name, "dtype": str(array.dtype), "shape": list(array.shape)}


def ort_check(model_path: str, sets: list[tuple[list[np.ndarray], list[np.ndarray]]],
              input_names: Sequence[str], output_names: Sequence[str], tolerance: dict[str, float]) -> dict[str, Any]:
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    try:
        session = ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
    except Exception as error:  # noqa: BLE001 - recorded, not raised
        return {"status": "load-error", "error": str(error).splitlines()[0][:300], "sets": []}
    results = []
    status = "pass"
    for index, (inputs, outputs) in enumerate(sets):
        got = session.run(list(output_names), dict(zip(input_names, inputs)))
        for name, expected, actual in zip(output_names, outputs, got):
            expected64 = expected.astype(np.float64)
            diff = np.abs(actual.astype(np.float64) - expected64)
            allowed = tolerance["atol"] + tolerance["rtol"] * np.abs(expected64)
            bad = int((diff > allowed).sum()) if actual.shape == expected.shape else -1
            nonzero = np.abs(expected64) > 0
            max_rel = float((diff[nonzero] / np.abs(expected64[nonzero])).max()) if nonzero.any() else 0.0
            if bad != 0:
                status = "fail"
            results.append({"set": f"test_data_set_{index}", "output": name, "bad": bad,
                            "maxAbs": float(diff.max()) if diff.size else 0.0, "maxRel": max_rel})
    return {"status": status, "sets": results}


def run_case(case: Case, out_dir: str) -> dict[str, Any]:
    """Builds, exports and writes one case; returns its index.json record."""
    case_dir = os.path.join(out_dir, case.name)
    if os.path.isdir(case_dir):
        shutil.rmtree(case_dir)
    os.makedirs(case_dir)
    torch.manual_seed(case.seed)
    module, data_sets = case.build()
    model_path = os.path.join(case_dir, "model.onnx")
    export_model(case, module, data_sets[0], model_path)
    model = onnx.load(model_path)
    onnx.checker.check_model(model)
    graph_inputs = [value_info(v) for v in model.graph.input]
    graph_outputs = [value_info(v) for v in model.graph.output]
    real_inputs = [v["name"] for v in graph_inputs]
    real_outputs = [v["name"] for v in graph_outputs]
    if real_inputs != list(case.input_names) or real_outputs != list(case.output_names):
        raise RuntimeError(f"{case.name}: graph inputs/outputs {real_inputs} -> {real_outputs} differ from "
                           f"{list(case.input_names)} -> {list(case.output_names)}")
    sets = []
    records = []
    for index, inputs in enumerate(data_sets):
        with torch.no_grad():
            outputs = flatten_outputs(module(*inputs))
        if len(outputs) != len(case.output_names):
            raise RuntimeError(f"{case.name}: {len(outputs)} outputs, expected {len(case.output_names)}")
        set_dir = os.path.join(case_dir, f"test_data_set_{index}")
        os.makedirs(set_dir)
        in_arrays = [t.detach().numpy() for t in inputs]
        out_arrays = [t.detach().numpy() for t in outputs]
        for i, (name, array) in enumerate(zip(case.input_names, in_arrays)):
            with open(os.path.join(set_dir, f"input_{i}.pb"), "wb") as f:
                f.write(tensor_proto(array, name).SerializeToString())
        for i, (name, array) in enumerate(zip(case.output_names, out_arrays)):
            with open(os.path.join(set_dir, f"output_{i}.pb"), "wb") as f:
                f.write(tensor_proto(array, name).SerializeToString())
        sets.append((in_arrays, out_arrays))
        records.append({"inputs": [describe(a, n) for a, n in zip(in_arrays, case.input_names)],
                        "outputs": [describe(a, n) for a, n in zip(out_arrays, case.output_names)]})
    ops = Counter(node.op_type for node in model.graph.node)
    functions = [f.name for f in model.functions]
    parameters = sum(int(np.prod(init.dims)) for init in model.graph.initializer)
    record = {
        "name": case.name,
        "set": "held-out",
        "style": case.style,
        "description": case.description,
        "source": case.source,
        "torch_seed": case.seed,
        "exporter": "torch.onnx.export(dynamo=False)" if case.exporter == "legacy" else "torch.onnx.export(dynamo=True)",
        "do_constant_folding": case.constant_folding if case.exporter == "legacy" else None,
        "training_mode": "PRESERVE (module in eval mode)" if case.keep_batchnorm else "EVAL",
        "opset": next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx")),
        "ir_version": model.ir_version,
        "producer": f"{model.producer_name} {model.producer_version}".strip(),
        "dynamic_axes": {k: {str(a): n for a, n in v.items()} for k, v in (case.dynamic_axes or {}).items()},
        "graph_inputs": graph_inputs,
        "graph_outputs": graph_outputs,
        "initializers": len(model.graph.initializer),
        "parameters": parameters,
        "node_count": len(model.graph.node),
        "op_counts": dict(sorted(ops.items(), key=lambda kv: (-kv[1], kv[0]))),
        "local_functions": functions,
        "data_sets": records,
        "bytes": os.path.getsize(model_path),
        "tolerance": case.tolerance,
        "expected_fusion": case.fusion,
        "expected_attention": summarize_fusion(case.fusion),
        "notes": case.notes,
    }
    record["ort_check"] = ort_check(model_path, sets, case.input_names, case.output_names, case.tolerance)
    return record


def attention(count: int, heads: int, kv_heads: int | None = None, head_dim: int | None = None, *,
              causal: bool = False, rotary: str = "none", rotary_dim: int | None = None,
              bias: str = "none", kv_cache: bool = False, mask: str = "none",
              cross: bool = False, note: str | None = None, **details: Any) -> dict[str, Any]:
    """One group of identical attentions a good compiler should fuse. bias is
    alibi | relative-buckets | none; rotary is none | rotate-half |
    interleaved; mask says what else masks the scores (padding: a key padding
    mask from a graph input). details: e.g. bias_variant, scale."""
    entry = {"count": count, "heads": heads, "kv_heads": kv_heads or heads, "head_dim": head_dim,
             "causal": causal, "rotary": rotary, "bias": bias, "kv_cache": kv_cache, "mask": mask,
             "cross": cross, **details}
    if rotary_dim is not None:
        entry["rotary_dim"] = rotary_dim
    if note:
        entry["note"] = note
    return entry


def attention_fusion(*groups: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "attention", "attention_count": sum(g["count"] for g in groups),
            "softmax_left": 0, "attentions": list(groups)}


def cbam(count: int, channels: int, *, channel: bool, spatial: bool, reduction: int | None = None,
         kernel: int | None = None, mlp: str | None = None, pooling_order: str | None = None,
         note: str | None = None) -> dict[str, Any]:
    entry = {"count": count, "channels": channels, "channel": channel, "spatial": spatial,
             "reduction": reduction, "spatial_kernel": kernel, "mlp": mlp,
             "spatial_pool_order": pooling_order}
    if note:
        entry["note"] = note
    return entry


def cbam_fusion(*groups: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "cbam", "cbam_count": sum(g["count"] for g in groups), "sigmoid_left": 0,
            "modules": list(groups)}


def summarize_fusion(fusion: dict[str, Any]) -> str:
    kind = fusion["kind"]
    if kind == "none":
        return "0 (no attention: " + fusion.get("note", "plain network") + ")"
    if kind == "cbam":
        parts = []
        for g in fusion["modules"]:
            what = "+".join(w for w, on in (("channel", g["channel"]), ("spatial", g["spatial"])) if on)
            parts.append(f"{g['count']} CBAM ({what}, C={g['channels']})")
        extra = f"; {fusion['attention_count']} Attention" if fusion.get("attention_count") else ""
        return f"{fusion['cbam_count']} CBAM: " + ", ".join(parts) + extra
    parts = []
    for g in fusion["attentions"]:
        bits = [f"{g['heads']}h"]
        if g["kv_heads"] != g["heads"]:
            bits.append(f"{g['kv_heads']}kv")
        if g["causal"]:
            bits.append("causal")
        if g["rotary"] != "none":
            bits.append(f"rotary {g['rotary']}")
        if g["bias"] != "none":
            bits.append(g["bias"])
        if g["kv_cache"]:
            bits.append("KV cache")
        if g["cross"]:
            bits.append("cross")
        if g["mask"] != "none":
            bits.append(f"{g['mask']} mask")
        parts.append(f"{g['count']} x ({', '.join(bits)})")
    return f"{fusion['attention_count']} Attention: " + "; ".join(parts)
