// SPDX-License-Identifier: MIT
// Checkpoints to imc weight files: layer names from the zoo graph, values after the quantizer.
#include "deepnvm/learn/export.h"

#include <variant>

#include "deepnvm/core/error.h"
#include "deepnvm/workload/zoo.h"

namespace deepnvm::learn {

namespace {

imc::WeightTensor to_weight_tensor(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kFloat32).contiguous();
  imc::WeightTensor w;
  for (const std::int64_t d : c.sizes()) w.shape.push_back(d);
  const float* p = c.data_ptr<float>();
  w.values.assign(p, p + c.numel());
  return w;
}

}  // namespace

imc::WeightFile export_weights(const Checkpoint& checkpoint, const std::string& source) {
  const Network net = zoo_network(checkpoint.network);
  imc::WeightFile out;
  out.network = checkpoint.network;
  out.source = source;
  std::size_t index = 0;
  const auto& layers = checkpoint.model->layers();
  for (const Layer& l : net.layers) {
    if (!std::holds_alternative<Conv2d>(l.op) && !std::holds_alternative<Linear>(l.op)) continue;
    if (index >= layers.size())
      throw ModelError("checkpoint of {} has {} trainable layers, fewer than its graph", checkpoint.network,
                       layers.size());
    const QuantLayer& q = layers[index++];
    out.tensors[l.name + ".weight"] = to_weight_tensor(q->deployed_weight());
    if (q->bias().defined()) out.tensors[l.name + ".bias"] = to_weight_tensor(q->bias());
  }
  return out;
}

}  // namespace deepnvm::learn
