#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Exports zoo networks to ONNX for tests/workload/onnx_test.cpp (and for trying `deepnvm network show`).

    /usr/bin/python3 tools/export_onnx.py OUT_DIR TAG NAME...

writes OUT_DIR/NAME-TAG.onnx for each NAME (the test passes the SHA-256 of this script and of
tools/torch_zoo.py as TAG, so an edit to either re-exports). The eight torchvision networks come from
torchvision 0.14 with weights=None; bert_base and gpt2_small from tools/torch_zoo.py. Nothing is
downloaded: export_params=False writes the graph and the parameter shapes (as graph inputs), not the
weights, so a file is a few hundred kB. The batch axis of every input is dynamic ("batch"), which
makes the exporter emit the shape arithmetic (Shape, Gather, Concat, Reshape) the importer folds;
constant folding is off because it would turn the transposed token embedding of the GPT-2 LM head
into a new, untied parameter.
Weights are initialized as usual even though they are not written: the exporter merges parameters
with equal values into one input, which would make untied weights look tied.
"""

import os
import pathlib
import sys

import torch
import torchvision

sys.dont_write_bytecode = True  # no tools/__pycache__ in the source tree
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import torch_zoo  # noqa: E402

SEQUENCE = 128  # the zoo's sequence length for bert_base and gpt2_small
OPSET = 14      # LayerNorm decomposed (the importer fuses it back); ViT uses 17 for LayerNormalization


def image():
    return {"image": torch.zeros(1, 3, 224, 224)}


def tokens(*names):
    return {n: torch.zeros(1, SEQUENCE, dtype=torch.long) for n in names}


MODELS = {
    "alexnet": (lambda: torchvision.models.alexnet(weights=None), image, OPSET),
    "vgg16": (lambda: torchvision.models.vgg16(weights=None), image, OPSET),
    "googlenet": (lambda: torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=False), image,
                  OPSET),
    "resnet18": (lambda: torchvision.models.resnet18(weights=None), image, OPSET),
    "resnet50": (lambda: torchvision.models.resnet50(weights=None), image, OPSET),
    "squeezenet1_1": (lambda: torchvision.models.squeezenet1_1(weights=None), image, OPSET),
    "mobilenet_v2": (lambda: torchvision.models.mobilenet_v2(weights=None), image, OPSET),
    "vit_b_16": (lambda: torchvision.models.vit_b_16(weights=None), image, 17),
    "bert_base": (torch_zoo.BertBase, lambda: tokens("input_ids", "token_type_ids", "position_ids"), OPSET),
    "gpt2_small": (torch_zoo.Gpt2Small, lambda: tokens("input_ids", "position_ids"), OPSET),
}


def export(name, path):
    make, inputs, opset = MODELS[name]
    model = make().eval()
    args = inputs()
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    # TrainingMode.PRESERVE (the model is in eval mode): the default, EVAL, folds each BatchNorm into
    # the convolution before it, and the zoo keeps batch norms as layers.
    # Not under torch.no_grad(): nn.MultiheadAttention (ViT) would take its fused fast path,
    # aten::_native_multi_head_attention, which has no ONNX export.
    torch.onnx.export(model, tuple(args.values()), str(tmp), export_params=False, opset_version=opset,
                      input_names=list(args), dynamic_axes={n: {0: "batch"} for n in args},
                      do_constant_folding=False, training=torch.onnx.TrainingMode.PRESERVE)
    tmp.replace(path)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out_dir, tag, names = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        sys.exit(f"export_onnx.py: unknown network(s) {unknown}; known: {list(MODELS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    for name in names:
        path = out_dir / f"{name}-{tag}.onnx"
        if path.exists():  # written meanwhile by another test process
            continue
        export(name, path)
        print(f"export_onnx.py: {name}", file=sys.stderr)


if __name__ == "__main__":
    main()
