// SPDX-License-Identifier: MIT
// The quantizers: levels, the values the accel PEs' weight codes hold (checked with accel's own
// decoder), the straight-through gradient, idempotence.
#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "deepnvm/accel/pe.h"
#include "deepnvm/core/error.h"
#include "deepnvm/learn/quantize.h"

namespace {

using namespace deepnvm;
using namespace deepnvm::learn;

torch::Tensor weights(std::int64_t n = 20000, double stddev = 0.05) {
  torch::manual_seed(7);
  return torch::randn({n}) * stddev;
}

std::set<float> distinct(const torch::Tensor& t) {
  const torch::Tensor c = t.contiguous();
  return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

TEST(Quantize, NamesParseAndUnknownOnesAreConfigErrors) {
  for (const Quantization q : kQuantizations) EXPECT_EQ(parse_quantization(quantization_name(q)), q);
  try {
    parse_quantization("int3");
    ADD_FAILURE() << "int3 accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("light2"), std::string::npos) << e.what();
  }
}

TEST(Quantize, SpecsMatchTheAccelNamedPes) {
  for (const Quantization q : kQuantizations) {
    if (q == Quantization::fp32) continue;
    const accel::PeSpec pe = accel::named_pe(quantization_name(q));
    EXPECT_EQ(quant_spec(q).weight_bits, pe.weight_bits) << quantization_name(q);
    EXPECT_EQ(quant_spec(q).act_bits, pe.act_bits) << quantization_name(q);
  }
  EXPECT_EQ(quant_spec(Quantization::fp32).weights, WeightKind::none);
}

TEST(Quantize, IntHasAtMostTwoToTheNMinusOneLevelsOnAnIntegerGrid) {
  const torch::Tensor w = weights();
  for (const Quantization q : {Quantization::int8, Quantization::int4, Quantization::int16}) {
    const QuantSpec spec = quant_spec(q);
    const torch::Tensor wq = quantize_weights(w, spec);
    const double s = weight_scale(w, spec);
    const double top = (1 << (spec.weight_bits - 1)) - 1;
    EXPECT_LE(distinct(wq).size(), static_cast<std::size_t>(2 * top + 1)) << quantization_name(q);
    const torch::Tensor k = wq.to(torch::kFloat64) / s;
    // float32 holds w / s to ~1e-7 relative: integers up to 32767 (INT16) to ~0.004.
    EXPECT_LT((k - k.round()).abs().max().item<double>(), 1e-3 + top * 1e-7) << quantization_name(q);
    EXPECT_NEAR(k.abs().max().item<double>(), top, 1e-3 + top * 1e-7);  // the largest weight on the top level
    // Rounding error at most half a step inside the range.
    EXPECT_LE((wq - w).abs().max().item<double>(), s / 2 * (1 + 1e-3)) << quantization_name(q);
  }
  EXPECT_EQ(distinct(quantize_weights(weights(), quant_spec(Quantization::int8))).size() <= 255u, true);
}

TEST(Quantize, StraightThroughGradientPassesUnchanged) {
  for (const Quantization q : kQuantizations) {
    const torch::Tensor w = weights(1000).requires_grad_(true);
    const torch::Tensor g = torch::linspace(-1, 1, 1000);
    (fake_quantize_weights(w, quant_spec(q)) * g).sum().backward();
    EXPECT_TRUE(torch::equal(w.grad(), g)) << quantization_name(q);
    // The forward value is the quantized one.
    EXPECT_TRUE(torch::equal(fake_quantize_weights(w, quant_spec(q)).detach(), quantize_weights(w, quant_spec(q))))
        << quantization_name(q);
  }
}

TEST(Quantize, ActivationsAreClippedWithZeroGradientOutsideTheRange) {
  const torch::Tensor x = torch::linspace(-2, 2, 4001).requires_grad_(true);
  const torch::Tensor y = fake_quantize_activations(x, 1.0, 8);
  EXPECT_LE(distinct(y.detach()).size(), 255u);
  EXPECT_FLOAT_EQ(y.max().item<float>(), 1.0f);
  y.sum().backward();
  const torch::Tensor inside = x.detach().abs() <= 1.0;
  EXPECT_TRUE(torch::equal(x.grad(), inside.to(torch::kFloat32)));
  EXPECT_TRUE(torch::equal(fake_quantize_activations(x, 1.0, 0), x));  // 0 bits: fp32
}

TEST(Quantize, Light1ValuesArePowersOfTwoInTheExponentWindowAsTheLightPeDecodesThem) {
  const torch::Tensor w = weights();
  const QuantSpec spec = quant_spec(Quantization::light1);
  const torch::Tensor wq = quantize_weights(w, spec);
  const double s = weight_scale(w, spec);
  EXPECT_EQ(std::exp2(std::round(std::log2(s))), s);  // a power of two: a binary point
  const accel::PeSpec pe = accel::named_pe("light1");
  std::set<int> exponents;
  for (const float v : distinct(wq)) {
    const double k = v / s;  // exact: s is a power of two
    ASSERT_NE(k, 0.0) << "light1 has no zero";
    const int e = static_cast<int>(std::log2(std::abs(k)));
    ASSERT_EQ(std::abs(k), std::exp2(e)) << v;
    ASSERT_GE(e, 0);
    ASSERT_LE(e, 7);
    exponents.insert(e);
    // The code {sign, e} the PE reads decodes to the same integer.
    const std::uint64_t code = (k < 0 ? 1u << pe.weight_bits : 0u) | static_cast<std::uint64_t>(e);
    ASSERT_EQ(accel::decode_weight(pe, code), static_cast<std::int64_t>(k));
  }
  EXPECT_EQ(exponents.size(), 8u);  // a Gaussian layer uses the whole window
  EXPECT_EQ(wq.abs().max().item<double>(), 128 * s);
  // Rounding in the log domain (3: log2 = 1.58 -> 4; 2.7: 1.43 -> 2); below the window, the smallest term.
  const torch::Tensor probe = torch::tensor({128.0f, 3.0f, -2.7f, 0.1f, 0.0f, -0.0001f});
  EXPECT_TRUE(torch::equal(quantize_weights(probe, spec), torch::tensor({128.0f, 4.0f, -2.0f, 1.0f, 1.0f, -1.0f})));
}

TEST(Quantize, Light2ValuesAreSumsOfTwoTermsTheLightPeDecodes) {
  const accel::PeSpec pe = accel::named_pe("light2");
  // Every code the PE reads decodes to a value of light2_values, and every value has a code.
  std::set<float> decoded;
  for (std::uint64_t code = 0; code < (1u << accel::weight_code_bits(pe)); ++code)
    decoded.insert(static_cast<float>(accel::decode_weight(pe, code)));
  EXPECT_EQ(decoded, distinct(light2_values(pe.weight_bits)));
  EXPECT_TRUE(decoded.contains(0.0f));

  const torch::Tensor w = weights();
  const QuantSpec spec = quant_spec(Quantization::light2);
  const torch::Tensor wq = quantize_weights(w, spec);
  const double s = weight_scale(w, spec);
  for (const float v : distinct(wq)) ASSERT_TRUE(decoded.contains(static_cast<float>(v / s))) << v;
  // Nearest: no representable value is closer to any weight.
  const torch::Tensor values = light2_values(3) * s;
  const torch::Tensor best = std::get<0>((w.unsqueeze(1) - values.unsqueeze(0)).abs().min(1));
  EXPECT_TRUE(torch::allclose((w - wq).abs(), best, 0, 1e-9));
  // Two terms are never worse than one.
  const torch::Tensor wq1 = quantize_weights(w, quant_spec(Quantization::light1));
  EXPECT_LT((w - wq).pow(2).mean().item<double>(), (w - wq1).pow(2).mean().item<double>());
}

TEST(Quantize, QuantizingTwiceChangesNothing) {
  for (const double stddev : {0.05, 3.0, 1e-4}) {
    const torch::Tensor w = weights(20000, stddev);
    for (const Quantization q : kQuantizations) {
      const QuantSpec spec = quant_spec(q);
      const torch::Tensor once = quantize_weights(w, spec);
      const torch::Tensor twice = quantize_weights(once, spec);
      if (spec.weights == WeightKind::int_symmetric) {
        // The scale is max|w| / (2^(n-1) - 1), recomputed from a value one rounding away.
        EXPECT_TRUE(torch::allclose(once, twice, 1e-6, 0)) << quantization_name(q) << " " << stddev;
      } else {
        EXPECT_TRUE(torch::equal(once, twice)) << quantization_name(q) << " " << stddev;  // powers of two: exact
      }
    }
  }
}

}  // namespace
