// SPDX-License-Identifier: MIT
#pragma once

// Shorthands for the zoo builders (private to src/workload): each takes its input channels or
// features from the input tensor's shape, so a builder states only what torchvision's code states.

#include <cstdint>
#include <string>
#include <vector>

#include "deepnvm/workload/graph.h"

namespace deepnvm::zoo {

/// The 224x224 RGB image every torchvision classifier of the zoo takes.
inline TensorId image(GraphBuilder& g) { return g.input("image", {3, 224, 224}); }

struct ConvArgs {
  std::int64_t kernel = 1;
  std::int64_t stride = 1;
  std::int64_t padding = 0;
  std::int64_t groups = 1;
  bool bias = true;
};

inline TensorId conv(GraphBuilder& g, std::string name, TensorId x, std::int64_t out, ConvArgs a) {
  return g.add(std::move(name),
               Conv2d{.in_channels = g.shape(x).at(0),
                      .out_channels = out,
                      .kernel = {a.kernel, a.kernel},
                      .stride = {a.stride, a.stride},
                      .padding = {a.padding, a.padding},
                      .groups = a.groups,
                      .bias = a.bias},
               {x});
}

inline TensorId batch_norm(GraphBuilder& g, std::string name, TensorId x) {
  return g.add(std::move(name), BatchNorm{g.shape(x).at(0)}, {x});
}

inline TensorId layer_norm(GraphBuilder& g, std::string name, TensorId x) {
  return g.add(std::move(name), LayerNorm{g.shape(x).back()}, {x});
}

inline TensorId activation(GraphBuilder& g, std::string name, TensorId x, ActivationKind kind) {
  return g.add(std::move(name), Activation{kind}, {x});
}

inline TensorId relu(GraphBuilder& g, std::string name, TensorId x) {
  return activation(g, std::move(name), x, ActivationKind::relu);
}

inline TensorId max_pool(GraphBuilder& g, std::string name, TensorId x, std::int64_t kernel, std::int64_t stride,
                         std::int64_t padding = 0, bool ceil_mode = false) {
  return g.add(std::move(name),
               Pool2d{.kind = PoolKind::max,
                      .kernel = {kernel, kernel},
                      .stride = {stride, stride},
                      .padding = {padding, padding},
                      .ceil_mode = ceil_mode},
               {x});
}

inline TensorId adaptive_avg_pool(GraphBuilder& g, std::string name, TensorId x, std::int64_t size) {
  return g.add(std::move(name), AdaptivePool2d{.kind = PoolKind::avg, .output = {size, size}}, {x});
}

inline TensorId flatten(GraphBuilder& g, std::string name, TensorId x) {
  return g.add(std::move(name), Reshape{{element_count(g.shape(x))}}, {x});
}

inline TensorId linear(GraphBuilder& g, std::string name, TensorId x, std::int64_t out, bool bias = true) {
  return g.add(std::move(name), Linear{.in_features = g.shape(x).back(), .out_features = out, .bias = bias}, {x});
}

inline TensorId add(GraphBuilder& g, std::string name, std::vector<TensorId> xs) {
  return g.add(std::move(name), Add{}, std::move(xs));
}

inline TensorId concat(GraphBuilder& g, std::string name, std::vector<TensorId> xs, std::int64_t axis = 0) {
  return g.add(std::move(name), Concat{axis}, std::move(xs));
}

inline TensorId slice(GraphBuilder& g, std::string name, TensorId x, std::int64_t axis, std::int64_t start,
                      std::int64_t length) {
  return g.add(std::move(name), Slice{.axis = axis, .start = start, .length = length}, {x});
}

}  // namespace deepnvm::zoo
