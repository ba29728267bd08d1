#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Measures the L2 and DRAM traffic of zoo networks on an NVIDIA GPU with Nsight Compute.

For each network it runs one warm-up iteration unprofiled (cuDNN picks its algorithms, lazy
initialisation happens), then profiles exactly one iteration: the second, steady-state one, as
`deepnvm traffic` models it. Every layer's forward kernels run inside an NVTX range named after the
layer, and the backward and optimizer kernels in one range each, so the importer can attribute
kernels to layers.

Output per network and cache-control setting: `<out>/<network>-<mode>-b<batch>-<dtype>-cc_<cc>.csv`
(Nsight Compute's details page, base units, one row per launch and metric: what
`deepnvm::import_profile` reads) and a `.json` beside it with the settings and versions.

Nsight Compute's default `--cache-control all` flushes L1 and L2 before every kernel, so reuse
between kernels is invisible; `--cache-control none` keeps it (gpus.md pitfall P1). Clocks are not
locked (`--clock-control none`) so durations are those of normal operation.

Needs PyTorch with torchvision and `ncu` on the PATH (or --ncu). Nothing is downloaded: weights are
random (weights=None). Run on the GPU machine:
    python3 tools/profile_gpu.py --networks resnet18,resnet50 --mode inference --batch 16 --out prof/
"""

import argparse
import contextlib
import json
import os
import pathlib
import platform
import subprocess
import sys
import time

# The counters of docs/models/profile.md. srcunit_tex: requests of the SMs; ltcfabric: lookups in
# the far L2 partition on A100/H100 (pitfall P4); op_* without srcunit: every client.
METRICS = [
    "lts__t_sectors_srcunit_tex_op_read.sum",
    "lts__t_sectors_srcunit_tex_op_write.sum",
    "lts__t_sectors_srcunit_tex_op_read_lookup_hit.sum",
    "lts__t_sectors_srcunit_tex_op_write_lookup_hit.sum",
    "lts__t_sectors_srcunit_ltcfabric_op_read.sum",
    "lts__t_sectors_srcunit_ltcfabric_op_read_lookup_hit.sum",
    "lts__t_sectors_op_read.sum",
    "lts__t_sectors_op_write.sum",
    "lts__t_sectors_op_atom.sum",
    "lts__t_sectors_op_red.sum",
    "dram__bytes_read.sum",
    "dram__bytes_write.sum",
    "gpu__time_duration.sum",
]

VISION = ["alexnet", "vgg16", "googlenet", "resnet18", "resnet50", "squeezenet1_1", "mobilenet_v2", "vit_b_16"]
TRANSFORMERS = ["bert_base", "gpt2_small"]


def build_model(name):
    """The network with random weights, and a function making one batch of inputs and labels."""
    import torch
    import torchvision

    if name in VISION:
        kwargs = {"weights": None}
        if name == "googlenet":
            # The zoo's GoogLeNet has no auxiliary classifiers (torchvision runs them only in training).
            kwargs.update(aux_logits=False, init_weights=True)
        model = getattr(torchvision.models, name)(**kwargs)

        def batch(n, device):
            return torch.randn(n, 3, 224, 224, device=device), torch.randint(0, 1000, (n,), device=device)

        return model, batch
    if name in TRANSFORMERS:
        sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
        import torch_zoo  # our own plain-PyTorch BERT-base and GPT-2 small (tools/torch_zoo.py)

        model = torch_zoo.BertBase() if name == "bert_base" else torch_zoo.Gpt2Small()
        vocab = model.word_embeddings.num_embeddings if name == "bert_base" else model.wte.num_embeddings
        sequence = 128

        def batch(n, device):
            ids = torch.randint(0, vocab, (n, sequence), device=device)
            positions = torch.arange(sequence, device=device).expand(n, sequence)
            inputs = (ids, torch.zeros_like(ids), positions) if name == "bert_base" else (ids, positions)
            # Labels for a per-token loss over the network's last dimension (BERT ends at its
            # 768 hidden features: it has no vocabulary head).
            classes = vocab if name == "gpt2_small" else model.pooler.out_features
            return inputs, torch.randint(0, classes, (n, sequence), device=device)

        return model, batch
    raise SystemExit(f"profile_gpu: unknown network '{name}'; known: {', '.join(VISION + TRANSFORMERS)}")


def add_nvtx_ranges(model, nvtx=None):
    """Wraps every leaf module's forward in an NVTX range named after the module.

    Backward kernels are only ranged as a whole ("backward"): full backward hooks break on the
    in-place ReLUs of torchvision's models.
    """
    import torch

    nvtx = nvtx or torch.cuda.nvtx

    # Hooks must return None: a value returned by a hook replaces the module's input or output.
    def push(label):
        def hook(*_):
            nvtx.range_push(label)

        return hook

    def pop(*_):
        nvtx.range_pop()

    for name, module in model.named_modules():
        if not name or any(True for _ in module.children()):
            continue
        module.register_forward_pre_hook(push("fwd:" + name))
        module.register_forward_hook(pop)


def worker(args):
    """Runs inside ncu: warm-up, then one profiled iteration between cudaProfilerStart/Stop."""
    import torch

    torch.manual_seed(0)
    device = torch.device("cuda")
    dtype = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[args.dtype]
    model, make_batch = build_model(args.network)
    model = model.to(device)
    if args.dtype != "fp32":
        model = model.to(dtype)
    inputs, labels = make_batch(args.batch, device)
    if not isinstance(inputs, tuple):
        inputs = (inputs.to(dtype),)
    if args.nvtx:
        add_nvtx_ranges(model)
    loss_fn = torch.nn.CrossEntropyLoss()
    if args.mode == "training":
        model.train()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    else:
        model.eval()

    def ranged(label):
        if args.nvtx:
            return torch.cuda.nvtx.range(label)
        return contextlib.nullcontext()

    def iteration():
        if args.mode == "training":
            optimizer.zero_grad(set_to_none=False)
            out = model(*inputs)
            if isinstance(out, tuple):
                out = out[0]
            loss = loss_fn(out.reshape(-1, out.shape[-1]).float(), labels.reshape(-1))
            with ranged("backward"):
                loss.backward()
            with ranged("optimizer"):
                optimizer.step()
        else:
            with torch.no_grad():
                model(*inputs)

    iteration()  # warm-up: algorithm selection, allocations, lazy init
    torch.cuda.synchronize()
    torch.cuda.cudart().cudaProfilerStart()
    iteration()
    torch.cuda.synchronize()
    torch.cuda.cudart().cudaProfilerStop()


def profile(args, network, cache_control, out_dir):
    stem = f"{network}-{args.mode}-b{args.batch}-{args.dtype}-cc_{cache_control}"
    log = out_dir / f"{stem}.log"
    csv = out_dir / f"{stem}.csv"
    command = [
        args.ncu, "--csv", "--print-units", "base", "--page", "details",
        "--profile-from-start", "off", "--cache-control", cache_control, "--clock-control", "none",
        "--metrics", ",".join(METRICS), "--log-file", str(log),
    ]
    if args.nvtx:
        command.append("--nvtx")
    command += [sys.executable, __file__, "--worker", "--network", network, "--mode", args.mode,
                "--batch", str(args.batch), "--dtype", args.dtype]
    if not args.nvtx:
        command.append("--no-nvtx")
    start = time.time()
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = time.time() - start
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"profile_gpu: ncu failed for {network} ({cache_control}), exit {result.returncode}")
    # The log holds ncu's ==PROF== lines before the CSV; keep the CSV, and the pass count for the record.
    lines = log.read_text().splitlines()
    table = [line for line in lines if line.startswith('"')]
    passes = sorted({line.split(" - ")[-1] for line in lines if "==PROF== Profiling" in line and " - " in line})
    csv.write_text("\n".join(table) + "\n")
    log.unlink()
    import torch

    meta = {
        "network": network, "mode": args.mode, "batch": args.batch, "dtype": args.dtype,
        "cache_control": cache_control, "clock_control": "none", "profiled": "second iteration (first is warm-up)",
        "gpu": torch.cuda.get_device_name(0), "torch": torch.__version__,
        "cudnn": torch.backends.cudnn.version(), "cudnn_allow_tf32": torch.backends.cudnn.allow_tf32,
        "matmul_allow_tf32": torch.backends.cuda.matmul.allow_tf32,
        "ncu": subprocess.run([args.ncu, "--version"], capture_output=True, text=True).stdout.strip().splitlines()[-1],
        "metrics": METRICS, "replay_passes": passes, "rows": len(table) - 1, "profile_seconds": round(seconds, 1),
        "host": platform.node(),
    }
    (out_dir / f"{stem}.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(f"profile_gpu: {stem}: {len(table) - 1} rows, passes {passes}, {seconds:.0f} s", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--networks", default="resnet18", help="comma-separated zoo names")
    parser.add_argument("--mode", choices=["inference", "training"], default="inference")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--dtype", choices=["fp32", "fp16", "bf16"], default="fp32")
    parser.add_argument("--cache-control", default="none,all", help="ncu --cache-control values to run")
    parser.add_argument("--out", default="profiles", help="output folder")
    parser.add_argument("--ncu", default="ncu")
    parser.add_argument("--no-nvtx", dest="nvtx", action="store_false", help="do not name kernels' layers")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--network", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    out_dir = pathlib.Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    for network in args.networks.split(","):
        for cache_control in args.cache_control.split(","):
            profile(args, network, cache_control, out_dir)


if __name__ == "__main__":
    main()
