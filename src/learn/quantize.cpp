// SPDX-License-Identifier: MIT
#include "deepnvm/learn/quantize.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "deepnvm/core/text.h"

namespace deepnvm::learn {

std::string_view quantization_name(Quantization q) {
  switch (q) {
    case Quantization::fp32:
      return "fp32";
    case Quantization::int16:
      return "int16";
    case Quantization::int8:
      return "int8";
    case Quantization::int4:
      return "int4";
    case Quantization::light1:
      return "light1";
    case Quantization::light2:
      return "light2";
  }
  return "?";
}

Quantization parse_quantization(std::string_view text, const SourceLocation& where, const std::string& key) {
  std::vector<std::string> names;
  for (const Quantization q : kQuantizations) {
    if (quantization_name(q) == text) return q;
    names.emplace_back(quantization_name(q));
  }
  throw ConfigError(where, key, "unknown quantization '{}'{}: expected one of {}", text,
                    did_you_mean(std::string(text), names), quoted_list(names, ", "));
}

QuantSpec quant_spec(Quantization q) {
  switch (q) {
    case Quantization::fp32:
      return {};
    case Quantization::int16:
      return {WeightKind::int_symmetric, 16, 16};
    case Quantization::int8:
      return {WeightKind::int_symmetric, 8, 8};
    case Quantization::int4:
      return {WeightKind::int_symmetric, 4, 4};
    case Quantization::light1:
      return {WeightKind::light1, 3, 8};
    case Quantization::light2:
      return {WeightKind::light2, 3, 8};
  }
  return {};
}

namespace {

double max_abs(const torch::Tensor& w) { return w.numel() == 0 ? 0.0 : w.detach().abs().max().item<double>(); }

// The largest exponent of a LightNN term: 2^bits - 1 (accel: e in [0, 2^weight_bits - 1]).
int top_exponent(int exponent_bits) { return (1 << exponent_bits) - 1; }

// ±2^clamp(round(log2|a|), 0, top): one LightNN term in units of the scale; sign(0) is +.
torch::Tensor light_term(const torch::Tensor& a, int top) {
  const torch::Tensor e = torch::clamp(torch::round(torch::log2(a.abs())), 0, top);  // log2(0) = -inf -> 0
  return torch::where(a < 0, -torch::exp2(e), torch::exp2(e));
}

}  // namespace

double weight_scale(const torch::Tensor& w, const QuantSpec& spec) {
  const double m = max_abs(w);
  if (spec.weights == WeightKind::none || m == 0.0) return 1.0;
  switch (spec.weights) {
    case WeightKind::int_symmetric:
      return m / static_cast<double>((1 << (spec.weight_bits - 1)) - 1);
    case WeightKind::light1:
      // round(log2 max) lands on the top exponent: the largest weight quantizes to ±2^top·s.
      return std::exp2(std::round(std::log2(m)) - top_exponent(spec.weight_bits));
    case WeightKind::light2:
      // One octave higher: the largest weights reach the largest sum 2^top + 2^top. With this choice
      // the largest quantized weight keeps the scale (quantization is idempotent): max|w|/s is in
      // [2^(top+0.5), 2^(top+1.5)), whose nearest two-term values are in [1.5·2^top, 2^(top+1)].
      return std::exp2(std::round(std::log2(m)) - top_exponent(spec.weight_bits) - 1);
    case WeightKind::none:
      break;
  }
  return 1.0;
}

torch::Tensor light2_values(int exponent_bits) {
  const int top = top_exponent(exponent_bits);
  std::set<double> values;
  for (int e1 = 0; e1 <= top; ++e1)
    for (int e2 = 0; e2 <= top; ++e2)
      for (const double s1 : {-1.0, 1.0})
        for (const double s2 : {-1.0, 1.0}) values.insert(s1 * std::exp2(e1) + s2 * std::exp2(e2));
  const std::vector<float> v(values.begin(), values.end());
  return torch::tensor(v, torch::kFloat32);
}

torch::Tensor quantize_weights(const torch::Tensor& w_in, const QuantSpec& spec) {
  const torch::NoGradGuard no_grad;
  const torch::Tensor w = w_in.detach();
  if (spec.weights == WeightKind::none) return w.clone();
  const double s = weight_scale(w, spec);
  switch (spec.weights) {
    case WeightKind::int_symmetric: {
      const double n = (1 << (spec.weight_bits - 1)) - 1;
      return torch::clamp(torch::round(w / s), -n, n) * s;
    }
    case WeightKind::light1:
      // s is a power of two: w / s and the product below are exact.
      return light_term(w / s, top_exponent(spec.weight_bits)) * s;
    case WeightKind::light2: {
      // The nearest of all two-term values (ties to the lower). The greedy residual rule (round the
      // weight to one term, then the residual to another) is not idempotent at the bottom of the
      // window: 1.5 -> 2 - 1 = 1 -> 1 + 1 = 2. The nearest value is, and is never farther.
      const torch::Tensor values = light2_values(spec.weight_bits).to(w.dtype());
      const torch::Tensor mid = (values.slice(0, 1) + values.slice(0, 0, values.size(0) - 1)) / 2;
      const torch::Tensor index = torch::bucketize(w / s, mid);
      return values.index_select(0, index.flatten()).view(w.sizes()) * s;
    }
    case WeightKind::none:
      break;
  }
  return w.clone();
}

torch::Tensor fake_quantize_weights(const torch::Tensor& w, const QuantSpec& spec) {
  if (spec.weights == WeightKind::none) return w;
  // Straight-through estimator: the value of q, the gradient of w.
  return w + (quantize_weights(w, spec) - w).detach();
}

torch::Tensor fake_quantize_activations(const torch::Tensor& x, double range, int bits) {
  if (bits == 0 || range <= 0.0) return x;
  const double n = (1 << (bits - 1)) - 1;
  const double t = range / n;
  const torch::Tensor clipped = torch::clamp(x, -range, range);  // gradient 0 where clipped
  return clipped + (torch::round(clipped / t) * t - clipped).detach();
}

}  // namespace deepnvm::learn
