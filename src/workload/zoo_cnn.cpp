// SPDX-License-Identifier: MIT
// The convolutional networks of the zoo, following torchvision 0.14.1 (Debian python3-torchvision
// 0.14.1-2) line by line: same layers, same execution order, layer names after torchvision's module
// names. tests/workload/torchvision_reference.json holds what torchvision itself reports.
#include <array>
#include <string>

#include <fmt/format.h>

#include "deepnvm/workload/zoo.h"
#include "zoo_helpers.h"

namespace deepnvm {

using namespace zoo;

namespace {

constexpr std::int64_t kClasses = 1000;

// torchvision's BasicConv2d (GoogLeNet): conv without bias, batch norm, ReLU.
TensorId basic_conv(GraphBuilder& g, const std::string& name, TensorId x, std::int64_t out, std::int64_t kernel,
                    std::int64_t stride = 1, std::int64_t padding = 0) {
  x = conv(g, name + ".conv", x, out, {.kernel = kernel, .stride = stride, .padding = padding, .bias = false});
  x = batch_norm(g, name + ".bn", x);
  return relu(g, name + ".relu", x);
}

struct InceptionSpec {
  std::int64_t ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj;
};

TensorId inception(GraphBuilder& g, const std::string& name, TensorId x, const InceptionSpec& s) {
  const TensorId b1 = basic_conv(g, name + ".branch1", x, s.ch1x1, 1);
  TensorId b2 = basic_conv(g, name + ".branch2.0", x, s.ch3x3red, 1);
  b2 = basic_conv(g, name + ".branch2.1", b2, s.ch3x3, 3, 1, 1);
  TensorId b3 = basic_conv(g, name + ".branch3.0", x, s.ch5x5red, 1);
  // The paper's 5x5 branch is 3x3 in torchvision (kept for weight compatibility; vision#906).
  b3 = basic_conv(g, name + ".branch3.1", b3, s.ch5x5, 3, 1, 1);
  TensorId b4 = max_pool(g, name + ".branch4.0", x, 3, 1, 1, true);
  b4 = basic_conv(g, name + ".branch4.1", b4, s.pool_proj, 1);
  return concat(g, name, {b1, b2, b3, b4});
}

// ResNet blocks; torchvision's ResNet-50 is "v1.5": the stride sits on the 3x3 conv.
TensorId downsample(GraphBuilder& g, const std::string& name, TensorId x, std::int64_t out, std::int64_t stride) {
  x = conv(g, name + ".downsample.0", x, out, {.kernel = 1, .stride = stride, .bias = false});
  return batch_norm(g, name + ".downsample.1", x);
}

TensorId basic_block(GraphBuilder& g, const std::string& name, TensorId x, std::int64_t planes, std::int64_t stride) {
  const bool project = stride != 1 || g.shape(x).at(0) != planes;
  TensorId y = conv(g, name + ".conv1", x, planes, {.kernel = 3, .stride = stride, .padding = 1, .bias = false});
  y = batch_norm(g, name + ".bn1", y);
  y = relu(g, name + ".relu1", y);
  y = conv(g, name + ".conv2", y, planes, {.kernel = 3, .padding = 1, .bias = false});
  y = batch_norm(g, name + ".bn2", y);
  const TensorId identity = project ? downsample(g, name, x, planes, stride) : x;
  return relu(g, name + ".relu2", add(g, name + ".add", {y, identity}));
}

TensorId bottleneck(GraphBuilder& g, const std::string& name, TensorId x, std::int64_t planes, std::int64_t stride) {
  const std::int64_t out = planes * 4;
  const bool project = stride != 1 || g.shape(x).at(0) != out;
  TensorId y = conv(g, name + ".conv1", x, planes, {.kernel = 1, .bias = false});
  y = relu(g, name + ".relu1", batch_norm(g, name + ".bn1", y));
  y = conv(g, name + ".conv2", y, planes, {.kernel = 3, .stride = stride, .padding = 1, .bias = false});
  y = relu(g, name + ".relu2", batch_norm(g, name + ".bn2", y));
  y = conv(g, name + ".conv3", y, out, {.kernel = 1, .bias = false});
  y = batch_norm(g, name + ".bn3", y);
  const TensorId identity = project ? downsample(g, name, x, out, stride) : x;
  return relu(g, name + ".relu3", add(g, name + ".add", {y, identity}));
}

template <class Block>
Network resnet(const std::string& name, const std::string& source, std::array<int, 4> blocks, Block block,
               const ZooOptions& o) {
  GraphBuilder g(name, source, o.dtype);
  TensorId x = conv(g, "conv1", image(g), 64, {.kernel = 7, .stride = 2, .padding = 3, .bias = false});
  x = relu(g, "relu", batch_norm(g, "bn1", x));
  x = max_pool(g, "maxpool", x, 3, 2, 1);
  const std::array<std::int64_t, 4> planes{64, 128, 256, 512};
  for (int stage = 0; stage < 4; ++stage)
    for (int i = 0; i < blocks[stage]; ++i)
      x = block(g, fmt::format("layer{}.{}", stage + 1, i), x, planes[stage], (stage > 0 && i == 0) ? 2 : 1);
  x = flatten(g, "flatten", adaptive_avg_pool(g, "avgpool", x, 1));
  return std::move(g).finish({linear(g, "fc", x, kClasses)});
}

// SqueezeNet's Fire module: squeeze 1x1, then parallel 1x1 and 3x3 expansions, concatenated.
TensorId fire(GraphBuilder& g, const std::string& name, TensorId x, std::int64_t squeeze, std::int64_t e1,
              std::int64_t e3) {
  x = relu(g, name + ".squeeze_activation", conv(g, name + ".squeeze", x, squeeze, {.kernel = 1}));
  const TensorId a = relu(g, name + ".expand1x1_activation", conv(g, name + ".expand1x1", x, e1, {.kernel = 1}));
  const TensorId b =
      relu(g, name + ".expand3x3_activation", conv(g, name + ".expand3x3", x, e3, {.kernel = 3, .padding = 1}));
  return concat(g, name, {a, b});
}

// torchvision's Conv2dNormActivation with ReLU6 (MobileNetV2): conv without bias, BN, ReLU6.
TensorId conv_bn_relu6(GraphBuilder& g, const std::string& name, TensorId x, std::int64_t out, std::int64_t kernel,
                       std::int64_t stride = 1, std::int64_t groups = 1) {
  x = conv(g, name + ".0", x, out,
           {.kernel = kernel, .stride = stride, .padding = (kernel - 1) / 2, .groups = groups, .bias = false});
  x = batch_norm(g, name + ".1", x);
  return activation(g, name + ".2", x, ActivationKind::relu6);
}

TensorId inverted_residual(GraphBuilder& g, const std::string& name, TensorId x, std::int64_t out, std::int64_t stride,
                           std::int64_t expand) {
  const std::int64_t in = g.shape(x).at(0);
  const std::int64_t hidden = in * expand;
  int index = 0;
  const auto next = [&] { return fmt::format("{}.conv.{}", name, index++); };
  TensorId y = x;
  if (expand != 1) y = conv_bn_relu6(g, next(), y, hidden, 1);
  y = conv_bn_relu6(g, next(), y, hidden, 3, stride, hidden);  // depthwise
  y = conv(g, next(), y, out, {.kernel = 1, .bias = false});
  y = batch_norm(g, next(), y);
  if (stride == 1 && in == out) y = add(g, name + ".add", {x, y});
  return y;
}

}  // namespace

Network alexnet(const ZooOptions& o) {
  GraphBuilder g("alexnet", "torchvision v0.14.1 torchvision/models/alexnet.py (Krizhevsky 2014, 'One weird trick')",
                 o.dtype);
  TensorId x = image(g);
  x = relu(g, "features.1", conv(g, "features.0", x, 64, {.kernel = 11, .stride = 4, .padding = 2}));
  x = max_pool(g, "features.2", x, 3, 2);
  x = relu(g, "features.4", conv(g, "features.3", x, 192, {.kernel = 5, .padding = 2}));
  x = max_pool(g, "features.5", x, 3, 2);
  x = relu(g, "features.7", conv(g, "features.6", x, 384, {.kernel = 3, .padding = 1}));
  x = relu(g, "features.9", conv(g, "features.8", x, 256, {.kernel = 3, .padding = 1}));
  x = relu(g, "features.11", conv(g, "features.10", x, 256, {.kernel = 3, .padding = 1}));
  x = max_pool(g, "features.12", x, 3, 2);
  x = flatten(g, "flatten", adaptive_avg_pool(g, "avgpool", x, 6));
  // Dropout layers are the identity at inference and are left out.
  x = relu(g, "classifier.2", linear(g, "classifier.1", x, 4096));
  x = relu(g, "classifier.5", linear(g, "classifier.4", x, 4096));
  return std::move(g).finish({linear(g, "classifier.6", x, kClasses)});
}

Network vgg16(const ZooOptions& o) {
  GraphBuilder g("vgg16", "torchvision v0.14.1 torchvision/models/vgg.py, configuration 'D' without batch norm",
                 o.dtype);
  constexpr std::int64_t M = 0;  // a max pool in torchvision's cfgs["D"]
  const std::array<std::int64_t, 18> cfg{64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M};
  TensorId x = image(g);
  int index = 0;
  for (const std::int64_t c : cfg) {
    if (c == M) {
      x = max_pool(g, fmt::format("features.{}", index++), x, 2, 2);
    } else {
      x = conv(g, fmt::format("features.{}", index++), x, c, {.kernel = 3, .padding = 1});
      x = relu(g, fmt::format("features.{}", index++), x);
    }
  }
  x = flatten(g, "flatten", adaptive_avg_pool(g, "avgpool", x, 7));
  x = relu(g, "classifier.1", linear(g, "classifier.0", x, 4096));
  x = relu(g, "classifier.4", linear(g, "classifier.3", x, 4096));
  return std::move(g).finish({linear(g, "classifier.6", x, kClasses)});
}

Network googlenet(const ZooOptions& o) {
  GraphBuilder g("googlenet",
                 "torchvision v0.14.1 torchvision/models/googlenet.py, inference graph (aux_logits=False; "
                 "transform_input only rescales the image)",
                 o.dtype);
  TensorId x = basic_conv(g, "conv1", image(g), 64, 7, 2, 3);
  x = max_pool(g, "maxpool1", x, 3, 2, 0, true);
  x = basic_conv(g, "conv2", x, 64, 1);
  x = basic_conv(g, "conv3", x, 192, 3, 1, 1);
  x = max_pool(g, "maxpool2", x, 3, 2, 0, true);
  x = inception(g, "inception3a", x, {64, 96, 128, 16, 32, 32});
  x = inception(g, "inception3b", x, {128, 128, 192, 32, 96, 64});
  x = max_pool(g, "maxpool3", x, 3, 2, 0, true);
  x = inception(g, "inception4a", x, {192, 96, 208, 16, 48, 64});
  x = inception(g, "inception4b", x, {160, 112, 224, 24, 64, 64});
  x = inception(g, "inception4c", x, {128, 128, 256, 24, 64, 64});
  x = inception(g, "inception4d", x, {112, 144, 288, 32, 64, 64});
  x = inception(g, "inception4e", x, {256, 160, 320, 32, 128, 128});
  x = max_pool(g, "maxpool4", x, 2, 2, 0, true);
  x = inception(g, "inception5a", x, {256, 160, 320, 32, 128, 128});
  x = inception(g, "inception5b", x, {384, 192, 384, 48, 128, 128});
  x = flatten(g, "flatten", adaptive_avg_pool(g, "avgpool", x, 1));
  return std::move(g).finish({linear(g, "fc", x, kClasses)});
}

Network resnet18(const ZooOptions& o) {
  return resnet("resnet18", "torchvision v0.14.1 torchvision/models/resnet.py, BasicBlock [2, 2, 2, 2]", {2, 2, 2, 2},
                basic_block, o);
}

Network resnet50(const ZooOptions& o) {
  return resnet("resnet50", "torchvision v0.14.1 torchvision/models/resnet.py, Bottleneck [3, 4, 6, 3] (v1.5)",
                {3, 4, 6, 3}, bottleneck, o);
}

Network squeezenet1_1(const ZooOptions& o) {
  GraphBuilder g("squeezenet1_1", "torchvision v0.14.1 torchvision/models/squeezenet.py, version 1_1", o.dtype);
  TensorId x = relu(g, "features.1", conv(g, "features.0", image(g), 64, {.kernel = 3, .stride = 2}));
  x = max_pool(g, "features.2", x, 3, 2, 0, true);
  x = fire(g, "features.3", x, 16, 64, 64);
  x = fire(g, "features.4", x, 16, 64, 64);
  x = max_pool(g, "features.5", x, 3, 2, 0, true);
  x = fire(g, "features.6", x, 32, 128, 128);
  x = fire(g, "features.7", x, 32, 128, 128);
  x = max_pool(g, "features.8", x, 3, 2, 0, true);
  x = fire(g, "features.9", x, 48, 192, 192);
  x = fire(g, "features.10", x, 48, 192, 192);
  x = fire(g, "features.11", x, 64, 256, 256);
  x = fire(g, "features.12", x, 64, 256, 256);
  x = relu(g, "classifier.2", conv(g, "classifier.1", x, kClasses, {.kernel = 1}));
  x = adaptive_avg_pool(g, "classifier.3", x, 1);
  return std::move(g).finish({flatten(g, "flatten", x)});
}

Network mobilenet_v2(const ZooOptions& o) {
  GraphBuilder g("mobilenet_v2", "torchvision v0.14.1 torchvision/models/mobilenetv2.py, width_mult 1.0", o.dtype);
  struct Stage {
    std::int64_t t, c, n, s;  // expansion, output channels, repeats, first stride (torchvision's table)
  };
  const std::array<Stage, 7> stages{
      {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}}};
  TensorId x = conv_bn_relu6(g, "features.0", image(g), 32, 3, 2);
  int index = 1;
  for (const Stage& st : stages)
    for (std::int64_t i = 0; i < st.n; ++i)
      x = inverted_residual(g, fmt::format("features.{}", index++), x, st.c, i == 0 ? st.s : 1, st.t);
  x = conv_bn_relu6(g, fmt::format("features.{}", index), x, 1280, 1);
  x = flatten(g, "flatten", adaptive_avg_pool(g, "avgpool", x, 1));
  return std::move(g).finish({linear(g, "classifier.1", x, kClasses)});
}

// The two Fashion-MNIST networks the learn layer trains (docs/models/learn.md §2): 1x28x28 grey images,
// 10 classes. The learn layer builds its torch modules from these graphs, so the accuracy it measures
// belongs to exactly the network the accelerator maps. No batch norm: the weights the quantizers see
// are the weights the PEs hold (batch norm would fold into them after training).

Network fmnist_lenet5(const ZooOptions& o) {
  GraphBuilder g("fmnist_lenet5",
                 "LeNet-5 (LeCun et al. 1998, Proc. IEEE 86(11), Fig. 2) for 28x28 input: conv1 padded by 2, "
                 "ReLU and max pooling instead of tanh and subsampling; deepnvm learn layer",
                 o.dtype);
  TensorId x = g.input("image", {1, 28, 28});
  x = relu(g, "relu1", conv(g, "conv1", x, 6, {.kernel = 5, .padding = 2}));
  x = max_pool(g, "pool1", x, 2, 2);
  x = relu(g, "relu2", conv(g, "conv2", x, 16, {.kernel = 5}));
  x = max_pool(g, "pool2", x, 2, 2);
  x = flatten(g, "flatten", x);
  x = relu(g, "relu3", linear(g, "fc1", x, 120));
  x = relu(g, "relu4", linear(g, "fc2", x, 84));
  return std::move(g).finish({linear(g, "fc3", x, 10)});
}

Network fmnist_cnn(const ZooOptions& o) {
  GraphBuilder g("fmnist_cnn",
                 "deepnvm learn layer: three 3x3 conv-ReLU-maxpool stages (16, 32, 64 channels) and two fully "
                 "connected layers (128, 10), for 28x28 input",
                 o.dtype);
  TensorId x = g.input("image", {1, 28, 28});
  const std::array<std::int64_t, 3> channels{16, 32, 64};
  for (std::size_t i = 0; i < channels.size(); ++i) {
    x = conv(g, fmt::format("conv{}", i + 1), x, channels[i], {.kernel = 3, .padding = 1});
    x = relu(g, fmt::format("relu{}", i + 1), x);
    x = max_pool(g, fmt::format("pool{}", i + 1), x, 2, 2);
  }
  x = flatten(g, "flatten", x);
  x = relu(g, "relu4", linear(g, "fc1", x, 128));
  return std::move(g).finish({linear(g, "fc2", x, 10)});
}

Network fmnist_mlp(const ZooOptions& o) {
  GraphBuilder g("fmnist_mlp",
                 "MLP 784-256-10 for 28x28 input (the in-memory computing issue's network; deepnvm learn layer)",
                 o.dtype);
  TensorId x = flatten(g, "flatten", g.input("image", {1, 28, 28}));
  x = relu(g, "relu1", linear(g, "fc1", x, 256));
  return std::move(g).finish({linear(g, "fc2", x, 10)});
}

}  // namespace deepnvm
