#!/usr/bin/env python3
"""Generates Ladon's held-out corpus of real PyTorch ONNX exports.

Each case is a small module written with real library code (HuggingFace
transformers, timm) or in a style public model code uses (CBAM variants,
ALiBi, T5 buckets, rotary, per-head loops, GQA), random weights (torch's
default init under a fixed seed; every all-zero or all-one parameter
perturbed), exported with torch.onnx.export and written in the ONNX
backend-test layout with torch's eager outputs as the reference. The folder
is data for tests of issues 11-13; the cases are not in ../shared/.

Rerun (from the repository root; about 2-4 minutes on 2 cores):

    pip install transformers==5.18.0 timm==1.0.29 onnxscript==0.7.2 onnxruntime==1.30.0
    python3 tests/held-out/generate.py            # every case
    python3 tests/held-out/generate.py hf_bert_eager cbam_resnet_conv_mlp   # some cases
    python3 tests/held-out/generate.py --readme   # README.md from index.json only

Versions used for the committed files: python 3.11.7, torch 2.13.0+cpu,
onnx 1.23.1, numpy 2.4.6, transformers 5.18.0, timm 1.0.29, onnxscript 0.7.2
(dynamo exporter), onnxruntime 1.30.0 (the ORT check). The generator records
the versions it ran with in index.json; rerunning with the same versions
reproduces the same bytes for the legacy exporter (seeded inputs and weights).

Outputs: <case>/model.onnx, <case>/test_data_set_<k>/{input,output}_<i>.pb,
index.json (one record per case, plus the failures), ort_check.json and
README.md (a table generated from index.json).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import shutil
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from generator import common  # noqa: E402  (sets up torchvision before transformers/timm import)
from generator import hf_cases, position_cases, timm_cases, vision_cases  # noqa: E402
from generator.readme import write_readme  # noqa: E402


def versions() -> dict[str, str]:
    import numpy
    import onnx
    import onnxruntime
    import onnxscript
    import timm
    import torch
    import transformers
    return {"python": platform.python_version(), "torch": torch.__version__, "onnx": onnx.__version__,
            "numpy": numpy.__version__, "transformers": transformers.__version__, "timm": timm.__version__,
            "onnxscript": onnxscript.__version__, "onnxruntime": onnxruntime.__version__}


def all_cases() -> list[common.Case]:
    return hf_cases.cases() + timm_cases.cases() + vision_cases.cases() + position_cases.cases()


def export_in_child(case: common.Case, connection) -> None:
    try:
        connection.send((common.run_case(case, HERE), None))
    except Exception as error:  # noqa: BLE001 - a case that does not export is recorded, not fatal
        traceback.print_exc(limit=3)
        text = str(error).strip()
        connection.send((None, f"{type(error).__name__}: {text.splitlines()[0] if text else ''}"))


def run_isolated(case: common.Case) -> tuple[dict | None, str]:
    """Runs one case in a forked process: the legacy exporter can crash the
    interpreter (segfault) on some graphs, which must not stop the others."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=export_in_child, args=(case, child))
    process.start()
    child.close()
    result = None
    try:
        if parent.poll(900):
            result = parent.recv()
    except EOFError:  # the child died before sending
        result = None
    if process.is_alive():
        process.kill()
    process.join()
    if result is not None:
        return result
    case_dir = os.path.join(HERE, case.name)
    if os.path.isdir(case_dir):
        shutil.rmtree(case_dir)
    return None, f"the exporting process died (exit code {process.exitcode}; negative = killed by that signal)"


def load_index(path: str) -> dict:
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return {"cases": [], "failed": []}


def main(selected: list[str]) -> int:
    index_path = os.path.join(HERE, "index.json")
    previous = load_index(index_path)
    if selected == ["--readme"]:
        write_readme(previous, os.path.join(HERE, "README.md"))
        return 0
    cases = all_cases()
    known = {case.name for case in cases}
    unknown = [name for name in selected if name not in known]
    if unknown:
        print(f"unknown case(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    records = {r["name"]: r for r in previous.get("cases", []) if r["name"] in known}
    failed = {r["name"]: r for r in previous.get("failed", []) if r["name"] in known}
    for case in cases:
        if selected and case.name not in selected:
            continue
        print(f"{case.name} ...", flush=True)
        record, message = run_isolated(case)
        if record is not None:
            records[case.name] = record
            failed.pop(case.name, None)
            print(f"  {record['node_count']} nodes, {record['bytes']} bytes, ORT {record['ort_check']['status']}")
        else:
            records.pop(case.name, None)
            failed[case.name] = {"name": case.name, "style": case.style, "description": case.description,
                                 "exporter": case.exporter, "opset": case.opset, "error": message[:400]}
            print(f"  FAILED {message[:400]}")
    order = [case.name for case in cases]
    index = {
        "generator": "tests/held-out/generate.py",
        **versions(),
        "layout": "<name>/model.onnx, <name>/test_data_set_<k>/input_<i>.pb, output_<i>.pb",
        "tolerance_rule": "|got - expected| <= atol + rtol * |expected|",
        "cases": [records[name] for name in order if name in records],
        "failed": [failed[name] for name in order if name in failed],
    }
    with open(index_path, "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")
    ort = [{"name": r["name"], **r["ort_check"]} for r in index["cases"]]
    with open(os.path.join(HERE, "ort_check.json"), "w") as f:
        json.dump({"onnxruntime": index["onnxruntime"], "provider": "CPUExecutionProvider", "threads": 1,
                   "cases": ort}, f, indent=1)
        f.write("\n")
    write_readme(index, os.path.join(HERE, "README.md"))
    bad = [r["name"] for r in index["cases"] if r["ort_check"]["status"] != "pass"]
    print(f"{len(index['cases'])} cases written, {len(index['failed'])} failed to export, ORT not passing: {bad}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
