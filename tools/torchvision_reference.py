#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Writes tests/workload/torchvision_reference.json: what the workload zoo must reproduce exactly.

For each torchvision model of the zoo it records the parameter count and, in execution order, every
convolution and linear layer with its hyper-parameters and per-sample input/output shapes, taken
from forward hooks on one 1x3x224x224 image (execution order, not registration order, is what the
zoo graph lists). nn.MultiheadAttention does not call its out_proj module, so it is recorded as the
two GEMMs it runs: the packed Q/K/V input projection, then the output projection.

It also builds BERT-base and GPT-2 small encoders from plain torch.nn modules (no HuggingFace) to
cross-check the parameter counts the C++ tests derive from the papers' hyper-parameters.

Run with Debian's interpreter (python3-torch, python3-torchvision; nothing is downloaded):
    /usr/bin/python3 tools/torchvision_reference.py [OUTPUT]
CI never runs this: the tests read the committed JSON.
"""

import json
import pathlib
import subprocess
import sys

import torch
import torchvision
from torch import nn

MODELS = {
    "alexnet": lambda: torchvision.models.alexnet(weights=None),
    "vgg16": lambda: torchvision.models.vgg16(weights=None),
    # As torchvision builds it for inference: no auxiliary classifiers (they only run in training).
    "googlenet": lambda: torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=False),
    "resnet18": lambda: torchvision.models.resnet18(weights=None),
    "resnet50": lambda: torchvision.models.resnet50(weights=None),
    "squeezenet1_1": lambda: torchvision.models.squeezenet1_1(weights=None),
    "mobilenet_v2": lambda: torchvision.models.mobilenet_v2(weights=None),
    "vit_b_16": lambda: torchvision.models.vit_b_16(weights=None),
}


def per_sample(shape):
    return list(shape)[1:]


def trace(model):
    layers = []

    def conv_hook(m, inputs, output):
        layers.append({
            "kind": "conv2d",
            "in_channels": m.in_channels,
            "out_channels": m.out_channels,
            "kernel": list(m.kernel_size),
            "stride": list(m.stride),
            "padding": list(m.padding),
            "dilation": list(m.dilation),
            "groups": m.groups,
            "bias": m.bias is not None,
            "input": per_sample(inputs[0].shape),
            "output": per_sample(output.shape),
        })

    def linear_hook(m, inputs, output):
        layers.append({
            "kind": "linear",
            "in_features": m.in_features,
            "out_features": m.out_features,
            "bias": m.bias is not None,
            "input": per_sample(inputs[0].shape),
            "output": per_sample(output.shape),
        })

    def mha_hook(m, inputs, output):
        # torchvision passes query/key/value as keywords, which 1.13 hooks do not see; self-attention
        # keeps the embedding width, so the output has the input's shape.
        assert m.batch_first and m._qkv_same_embed_dim
        x = per_sample(output[0].shape)
        e = m.embed_dim
        layers.append({"kind": "linear", "in_features": e, "out_features": 3 * e,
                       "bias": m.in_proj_bias is not None, "input": x, "output": x[:-1] + [3 * e]})
        layers.append({"kind": "linear", "in_features": e, "out_features": e,
                       "bias": m.out_proj.bias is not None, "input": x, "output": x})

    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            module.register_forward_hook(conv_hook)
        elif isinstance(module, nn.MultiheadAttention):
            module.register_forward_hook(mha_hook)
        elif isinstance(module, nn.Linear):
            module.register_forward_hook(linear_hook)
    with torch.no_grad():
        out = model(torch.zeros(1, 3, 224, 224))
    return layers, per_sample(out.shape)


def count(model):
    return sum(p.numel() for p in model.parameters())


def bert_base():
    # BERT-base (Devlin et al. 2019, §3): L=12, H=768, A=12, FFN 4H; WordPiece vocab 30522, 512
    # positions, 2 segment types; embedding LayerNorm; pooler dense layer on [CLS].
    h = 768
    layer = lambda: nn.TransformerEncoderLayer(h, 12, 3072)  # QKV + out proj, 2 FFN linears, 2 LayerNorms
    return nn.ModuleList([nn.Embedding(30522, h), nn.Embedding(512, h), nn.Embedding(2, h), nn.LayerNorm(h),
                          *[layer() for _ in range(12)], nn.Linear(h, h)])


def gpt2_small():
    # GPT-2 small (Radford et al. 2019, Table 2, 117M row; 124M as released): 12 layers, 768, 12
    # heads, FFN 3072, vocab 50257, context 1024, final LayerNorm; the LM head reuses the token
    # embedding, so it adds no parameters.
    h = 768
    layer = lambda: nn.TransformerEncoderLayer(h, 12, 3072, norm_first=True)
    return nn.ModuleList([nn.Embedding(50257, h), nn.Embedding(1024, h), *[layer() for _ in range(12)],
                          nn.LayerNorm(h)])


def debian_version(package):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True,
                              check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main():
    out_path = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                            pathlib.Path(__file__).resolve().parent.parent / "tests/workload/torchvision_reference.json")
    torch.manual_seed(0)
    doc = {
        "generator": "tools/torchvision_reference.py",
        "torch_version": torch.__version__,
        "torchvision_version": torchvision.__version__,
        "debian_packages": {"python3-torch": debian_version("python3-torch"),
                            "python3-torchvision": debian_version("python3-torchvision")},
        "input": [3, 224, 224],
        "transformers": {"bert_base": {"parameters": count(bert_base())},
                         "gpt2_small": {"parameters": count(gpt2_small())}},
        "models": {},
    }
    for name, make in MODELS.items():
        model = make().eval()
        layers, output = trace(model)
        doc["models"][name] = {"parameters": count(model), "output": output, "layers": layers}
        print(f"{name}: {count(model)} parameters, {len(layers)} conv/linear layers", file=sys.stderr)
    out_path.write_text(render(doc))


def render(doc):
    # One layer per line: reviewable in a diff, and still small.
    compact = lambda v: json.dumps(v, separators=(", ", ": "))
    lines = ["{"]
    for key, value in doc.items():
        if key != "models":
            lines.append(f"  {compact(key)}: {compact(value)},")
    lines.append('  "models": {')
    for i, (name, model) in enumerate(doc["models"].items()):
        lines.append(f'    {compact(name)}: {{"parameters": {model["parameters"]}, '
                     f'"output": {compact(model["output"])}, "layers": [')
        lines.append(",\n".join("      " + compact(layer) for layer in model["layers"]))
        lines.append("    ]}" + ("," if i + 1 < len(doc["models"]) else ""))
    lines.append("  }")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == doc
    return text


if __name__ == "__main__":
    main()
