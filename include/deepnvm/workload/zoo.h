// SPDX-License-Identifier: MIT
#pragma once

// The model zoo: networks built by C++ builders, one per network, registered by name.
//
// Builders rather than data files: ResNet-50 is 16 bottleneck blocks and GoogLeNet 9 inception
// modules; written out as YAML they would be ~1,000 lines with no way to say "the same block, four
// times", and a loop in code is easier to check against torchvision's own loop. Each builder's
// `source` names the torchvision file and version, or the paper, it follows. User-defined networks
// come in through ONNX import instead.

#include <cstdint>
#include <functional>
#include <string_view>

#include "deepnvm/core/registry.h"
#include "deepnvm/workload/graph.h"

namespace deepnvm {

/// Options common to every zoo network.
struct ZooOptions {
  DType dtype = DType::fp32;           // of activations and weights
  std::int64_t sequence_length = 128;  // tokens, for bert_base and gpt2_small (ViT's 197 is fixed by its patches)
  bool operator==(const ZooOptions&) const = default;
};

using NetworkFactory = std::function<Network(const ZooOptions&)>;

/// Adds the zoo: alexnet, vgg16, googlenet, resnet18, resnet50, squeezenet1_1, mobilenet_v2,
/// vit_b_16 (torchvision 0.14 shapes, 224x224 input), bert_base and gpt2_small, and the two
/// Fashion-MNIST networks the learn layer trains, fmnist_lenet5, fmnist_cnn and fmnist_mlp (1x28x28 input).
void register_builtin_workload(Registry<NetworkFactory>& networks);

/// A registry holding just the zoo: for callers that need no other registry.
Registry<NetworkFactory> builtin_networks();

/// The zoo network called `name`; an unknown name is a ConfigError listing the known ones.
Network zoo_network(std::string_view name, const ZooOptions& options = {});

// The builders, for direct use.
Network alexnet(const ZooOptions& options = {});
Network vgg16(const ZooOptions& options = {});
Network googlenet(const ZooOptions& options = {});
Network resnet18(const ZooOptions& options = {});
Network resnet50(const ZooOptions& options = {});
Network squeezenet1_1(const ZooOptions& options = {});
Network mobilenet_v2(const ZooOptions& options = {});
Network vit_b_16(const ZooOptions& options = {});
Network bert_base(const ZooOptions& options = {});
Network gpt2_small(const ZooOptions& options = {});
Network fmnist_lenet5(const ZooOptions& options = {});
Network fmnist_cnn(const ZooOptions& options = {});
Network fmnist_mlp(const ZooOptions& options = {});

}  // namespace deepnvm
