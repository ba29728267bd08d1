// SPDX-License-Identifier: MIT
#include "deepnvm/workload/zoo.h"

namespace deepnvm {

void register_builtin_workload(Registry<NetworkFactory>& networks) {
  networks.add("alexnet", "AlexNet (torchvision), 224x224", alexnet);
  networks.add("vgg16", "VGG-16 without batch norm (torchvision), 224x224", vgg16);
  networks.add("googlenet", "GoogLeNet / Inception v1 (torchvision, inference: no aux classifiers), 224x224",
               googlenet);
  networks.add("resnet18", "ResNet-18 (torchvision), 224x224", resnet18);
  networks.add("resnet50", "ResNet-50 v1.5 (torchvision), 224x224", resnet50);
  networks.add("squeezenet1_1", "SqueezeNet 1.1 (torchvision), 224x224", squeezenet1_1);
  networks.add("mobilenet_v2", "MobileNetV2 (torchvision), 224x224", mobilenet_v2);
  networks.add("vit_b_16", "Vision Transformer B/16 (torchvision), 224x224, 197 tokens", vit_b_16);
  networks.add("bert_base", "BERT-base encoder with pooler (Devlin et al. 2019), sequence_length tokens", bert_base);
  networks.add("fmnist_lenet5", "LeNet-5 style CNN for Fashion-MNIST, 1x28x28 (trained by deepnvm learn)",
               fmnist_lenet5);
  networks.add("fmnist_cnn", "Three-stage 3x3 CNN for Fashion-MNIST, 1x28x28 (trained by deepnvm learn)", fmnist_cnn);
  networks.add("fmnist_mlp", "MLP 784-256-10 for Fashion-MNIST, 1x28x28 (trained by deepnvm learn)", fmnist_mlp);
  networks.add("gpt2_small", "GPT-2 small with tied LM head (Radford et al. 2019), sequence_length tokens", gpt2_small);
}

Registry<NetworkFactory> builtin_networks() {
  Registry<NetworkFactory> networks("network");
  register_builtin_workload(networks);
  return networks;
}

Network zoo_network(std::string_view name, const ZooOptions& options) {
  return builtin_networks().get(name, {}, "network")(options);
}

}  // namespace deepnvm
