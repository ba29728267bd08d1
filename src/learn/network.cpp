// SPDX-License-Identifier: MIT
#include "deepnvm/learn/network.h"

#include <string>

#include <fmt/format.h>

#include "deepnvm/core/error.h"
#include "deepnvm/workload/zoo.h"

namespace deepnvm::learn {

namespace {

// Activation range: an exponential moving average of max|x| over training batches (the first batch
// sets it), as TensorFlow's QAT does; evaluation uses it frozen.
constexpr double kRangeMomentum = 0.9;

}  // namespace

QuantLayerImpl::QuantLayerImpl(const Conv2d& conv, const QuantSpec& spec) : conv_(true), conv_op_(conv), spec_(spec) {
  // torch's own module for PyTorch's default initialization (Kaiming-uniform weights, uniform bias).
  torch::nn::Conv2d init(torch::nn::Conv2dOptions(conv.in_channels, conv.out_channels, {conv.kernel.h, conv.kernel.w})
                             .stride({conv.stride.h, conv.stride.w})
                             .padding({conv.padding.h, conv.padding.w})
                             .bias(conv.bias));
  weight_ = register_parameter("weight", init->weight.detach().clone());
  if (conv.bias) bias_ = register_parameter("bias", init->bias.detach().clone());
  act_range_ = register_buffer("act_range", torch::zeros({}, torch::kFloat64));
}

QuantLayerImpl::QuantLayerImpl(const Linear& linear, const QuantSpec& spec) : spec_(spec) {
  torch::nn::Linear init(torch::nn::LinearOptions(linear.in_features, linear.out_features).bias(linear.bias));
  weight_ = register_parameter("weight", init->weight.detach().clone());
  if (linear.bias) bias_ = register_parameter("bias", init->bias.detach().clone());
  act_range_ = register_buffer("act_range", torch::zeros({}, torch::kFloat64));
}

torch::Tensor QuantLayerImpl::deployed_weight() const {
  const torch::NoGradGuard no_grad;
  return fake_quantize_weights(weight_, spec_).detach().clone();
}

torch::Tensor QuantLayerImpl::apply(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b) const {
  if (conv_)
    return torch::conv2d(x, w, b, {conv_op_.stride.h, conv_op_.stride.w}, {conv_op_.padding.h, conv_op_.padding.w});
  return torch::linear(x, w, b);
}

torch::Tensor QuantLayerImpl::forward(const torch::Tensor& x) {
  torch::Tensor xq = x;
  if (spec_.act_bits > 0) {
    if (is_training()) {
      const torch::NoGradGuard no_grad;
      const double m = x.detach().abs().max().item<double>();
      const double r = act_range_.item<double>();
      act_range_.fill_(r == 0.0 ? m : kRangeMomentum * r + (1 - kRangeMomentum) * m);
    }
    xq = fake_quantize_activations(x, act_range_.item<double>(), spec_.act_bits);
  }
  const torch::Tensor wq = fake_quantize_weights(weight_, spec_);
  torch::Tensor y;
  last_energy_ = torch::Tensor();
  if (analog_ && is_training() && (analog_->noise || analog_->energy)) {
    const imc::ImcDevice& d = analog_->device;
    // k per layer from the current weights, detached (as imc's AnalogNetwork maps a trained network).
    const double wmax = wq.detach().abs().max().item<double>();
    const double k = analog_->scale_fraction * (d.g_max - d.g_min) / (wmax > 0 ? wmax : 1.0);
    torch::Tensor w = wq;
    if (analog_->noise && d.programming > 0) w = wq * torch::exp(d.programming * torch::randn_like(wq));
    y = apply(xq, w, bias_);
    const torch::Tensor x2 = xq * xq;
    if (analog_->noise && (d.additive > 0 || d.proportional > 0 || d.shot > 0)) {
      // Var Ĝ± = σ_a² + σ_p²·G±² + c·G±, G± = g_min + k·w±; in weight units divided by k².
      const torch::Tensor gp = d.g_min + k * torch::relu(w), gn = d.g_min + k * torch::relu(-w);
      const auto read_var = [&](const torch::Tensor& g) {
        return d.additive * d.additive + d.proportional * d.proportional * g * g + d.shot * g;
      };
      const torch::Tensor var_w = (read_var(gp) + read_var(gn)) / (k * k);
      const torch::Tensor var_y = apply(x2, var_w, torch::Tensor());
      // The floor keeps sqrt's gradient finite where an output's variance is 0.
      y = y + torch::sqrt(var_y.clamp_min(1e-30)) * torch::randn_like(y);
    }
    if (analog_->energy) {
      const double range = xq.detach().abs().max().item<double>();
      const double v = d.read_voltage / (range > 0 ? range : 1.0);
      const torch::Tensor g_sum = 2 * d.g_min + k * wq.abs();  // G⁺ + G⁻ (one of them at g_min)
      const torch::Tensor per_sample = apply(x2, g_sum, torch::Tensor()).flatten(1).sum(1);
      last_energy_ = d.read_time * v * v * per_sample.mean();
    }
  } else {
    y = apply(xq, wq, bias_);
  }
  last_macs_ = (y.numel() / std::max<std::int64_t>(1, y.size(0))) * (weight_.numel() / weight_.size(0));
  return y;
}

ClassifierImpl::ClassifierImpl(const Network& net, Quantization quantization) {
  if (net.inputs.size() != 1 || net.outputs.size() != 1)
    throw ModelError("network {}: the learn layer trains single-input, single-output graphs", net.name);
  input_shape_ = net.tensor(net.inputs[0]).shape;
  const QuantSpec spec = quant_spec(quantization);
  TensorId previous = net.inputs[0];
  for (const Layer& l : net.layers) {
    if (l.inputs.size() != 1 || l.inputs[0] != previous)
      throw ModelError("network {}: layer {} does not continue a chain (the learn layer trains sequential graphs)",
                       net.name, l.name);
    previous = l.output;
    std::string name = l.name;
    for (char& c : name)
      if (c == '.') c = '_';  // torch module names may not contain dots
    if (const auto* c = std::get_if<Conv2d>(&l.op)) {
      if (c->groups != 1 || c->dilation != Hw{1, 1})
        throw ModelError("network {}: layer {}: grouped or dilated convolutions are not supported", net.name, l.name);
      layers_.push_back(register_module(name, QuantLayer(*c, spec)));
      steps_.push_back({layers_.size() - 1});
    } else if (const auto* f = std::get_if<Linear>(&l.op)) {
      if (!f->tied_to.empty())
        throw ModelError("network {}: layer {}: tied weights are not supported", net.name, l.name);
      layers_.push_back(register_module(name, QuantLayer(*f, spec)));
      steps_.push_back({layers_.size() - 1});
    } else if (const auto* p = std::get_if<Pool2d>(&l.op); p && p->kind == PoolKind::max) {
      steps_.push_back({*p});
    } else if (const auto* a = std::get_if<Activation>(&l.op); a && a->kind == ActivationKind::relu) {
      steps_.push_back({*a});
    } else if (const auto* r = std::get_if<Reshape>(&l.op)) {
      steps_.push_back({*r});
    } else {
      throw ModelError(
          "network {}: layer {} is a {}: the learn layer trains conv2d, linear, relu, max pool2d and "
          "reshape",
          net.name, l.name, op_name(l.op));
    }
  }
  if (net.outputs[0] != previous) throw ModelError("network {}: the output is not the last layer's", net.name);
}

torch::Tensor ClassifierImpl::forward(torch::Tensor x) {
  for (const Step& s : steps_) {
    if (const auto* i = std::get_if<std::size_t>(&s.op)) {
      x = layers_[*i]->forward(x);
    } else if (const auto* p = std::get_if<Pool2d>(&s.op)) {
      x = torch::max_pool2d(x, {p->kernel.h, p->kernel.w}, {p->stride.h, p->stride.w}, {p->padding.h, p->padding.w},
                            {1, 1}, p->ceil_mode);
    } else if (std::holds_alternative<Activation>(s.op)) {
      x = torch::relu(x);
    } else if (const auto* r = std::get_if<Reshape>(&s.op)) {
      std::vector<std::int64_t> shape{x.size(0)};
      shape.insert(shape.end(), r->shape.begin(), r->shape.end());
      x = x.reshape(shape);
    }
  }
  return x;
}

void ClassifierImpl::set_analog(const std::shared_ptr<const AnalogTraining>& analog) {
  for (QuantLayer& l : layers_) l->set_analog(analog);
}

torch::Tensor ClassifierImpl::cell_energy() const {
  torch::Tensor e = torch::zeros({}, torch::kFloat32);
  for (const QuantLayer& l : layers_)
    if (l->last_energy().defined()) e = e + l->last_energy();
  return e;
}

Classifier make_classifier(std::string_view name, Quantization quantization, std::uint64_t seed) {
  const Network net = zoo_network(name);
  torch::manual_seed(seed);
  return Classifier(net, quantization);
}

std::int64_t count_macs(Classifier& model) {
  const bool was_training = model->is_training();
  model->eval();
  {
    const torch::NoGradGuard no_grad;
    std::vector<std::int64_t> shape{1};
    shape.insert(shape.end(), model->input_shape().begin(), model->input_shape().end());
    model->forward(torch::zeros(shape));
  }
  model->train(was_training);
  std::int64_t macs = 0;
  for (const QuantLayer& l : model->layers()) macs += l->last_macs();
  return macs;
}

std::int64_t count_parameters(Classifier& model) {
  std::int64_t n = 0;
  for (const torch::Tensor& p : model->parameters()) n += p.numel();
  return n;
}

}  // namespace deepnvm::learn
