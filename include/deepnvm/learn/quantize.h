// SPDX-License-Identifier: MIT
#pragma once

// Quantizers for quantization-aware training, as fake quantization: the forward pass computes with
// the values the accelerator's PEs (include/deepnvm/accel/pe.h) would hold, the backward pass uses the
// straight-through estimator (Bengio et al. 2013, arXiv:1308.3432): d q(w) / d w := 1.
//
// Weights (per tensor, i.e. per layer; docs/models/learn.md §1):
// - int n (16, 8, 4): symmetric, q = clamp(round(w / s), -(2^(n-1)-1), 2^(n-1)-1) · s, s = max|w| / (2^(n-1)-1).
// - light1 (LightNN k = 1): q = ±2^e · s, e = clamp(round(log2(|w| / s)), 0, 2^b - 1), b = 3 exponent bits,
//   s = 2^(round(log2 max|w|) - (2^b - 1)): the largest weight sits on the top exponent. Zero is not a value.
// - light2 (LightNN k = 2): q = (±2^e1 ± 2^e2) · s, e1, e2 in [0, 2^b - 1], the two-term value nearest w / s,
//   s = 2^(round(log2 max|w|) - 2^b): the largest weight lands on [1.5, 2] · 2^(2^b - 1) · s, up to the
//   largest sum 2 · 2^(2^b - 1) · s. Zero is a value (the two terms cancel).
// Activations (every conv/linear input): signed n-bit symmetric, q = clamp(round(x / t), ±(2^(n-1)-1)) · t,
// t = range / (2^(n-1)-1), `range` an exponential moving average of max|x| while training, frozen at
// evaluation; the STE passes gradients inside the range and blocks them where x was clipped.

#include <array>
#include <string>
#include <string_view>

#include <torch/torch.h>

#include "deepnvm/core/error.h"

namespace deepnvm::learn {

enum class Quantization { fp32, int16, int8, int4, light1, light2 };

inline constexpr std::array<Quantization, 6> kQuantizations{Quantization::fp32,   Quantization::int16,
                                                            Quantization::int8,   Quantization::int4,
                                                            Quantization::light1, Quantization::light2};

/// "fp32", "int16", "int8", "int4", "light1", "light2" (the accel layer's named PE types, and fp32).
std::string_view quantization_name(Quantization q);

/// The quantization called `text`; a ConfigError at `where` (key `key`) listing the names otherwise.
Quantization parse_quantization(std::string_view text, const SourceLocation& where = {"<command line>", 0},
                                const std::string& key = "--quant");

enum class WeightKind { none, int_symmetric, light1, light2 };

/// @brief What one quantization does to weights and activations (bits 0: left in fp32).
struct QuantSpec {
  WeightKind weights = WeightKind::none;
  int weight_bits = 0;  ///< int: signed width; light: exponent bits per term
  int act_bits = 0;     ///< signed activation width
  bool operator==(const QuantSpec&) const = default;
};

/// The spec of `q`, matching accel's named_pe(): int16/8/4 quantize weights and activations to that
/// width; light1 and light2 use 3 exponent bits and 8-bit activations; fp32 does nothing.
QuantSpec quant_spec(Quantization q);

/// @brief The per-tensor scale the weight quantizer uses for `w` (a power of two for light kinds);
/// 1 for an all-zero tensor or no weight quantization.
double weight_scale(const torch::Tensor& w, const QuantSpec& spec);

/// @brief The quantized values of `w` (no autograd history), in `w`'s dtype: every element is
/// weight_scale(w) times an integer the PE's weight code can hold.
torch::Tensor quantize_weights(const torch::Tensor& w, const QuantSpec& spec);

/// @brief Fake-quantized weights with the straight-through estimator: forward quantize_weights(w),
/// gradient passed to `w` unchanged.
torch::Tensor fake_quantize_weights(const torch::Tensor& w, const QuantSpec& spec);

/// @brief Fake-quantized activations: signed `bits`-bit symmetric over [-range, range]; the gradient
/// passes where |x| <= range and is zero where x was clipped. `bits` 0 returns x.
torch::Tensor fake_quantize_activations(const torch::Tensor& x, double range, int bits);

/// The sorted distinct two-term LightNN-2 values ±2^e1 ± 2^e2, e in [0, 2^exponent_bits - 1] (in units of
/// the scale), as a float tensor.
torch::Tensor light2_values(int exponent_bits);

}  // namespace deepnvm::learn
