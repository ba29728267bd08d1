// SPDX-License-Identifier: MIT
// Crossbar MVMs against their closed forms: GEMM without noise, half an LSB with converters, the
// analytic variance, per-output draws against per-cell draws, RTN correlation, energy, the 1/T
// decomposition law, determinism, and the device files.
#include "deepnvm/imc/crossbar.h"

#include <unistd.h>

#include <cmath>
#include <fstream>

#include <gtest/gtest.h>

#include "expect_config_error.h"

namespace deepnvm::imc {
namespace {

namespace fs = std::filesystem;

ImcDevice quiet_device() {
  ImcDevice d;
  d.name = "test";
  d.g_min = 0;
  d.g_max = 20e-6;
  d.read_voltage = 0.2;
  d.read_time = 10e-9;
  return d;
}

Matrix random_matrix(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed, double lo = -1, double hi = 1) {
  Rng rng(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  return Matrix::NullaryExpr(rows, cols, [&] { return u(rng); });
}

// The batched Box–Muller deviates: moments of a standard normal (mean 0, variance 1, no skew,
// kurtosis 3, P(|z| > 2) = 4.55 %), odd and one-element sizes filled, and a fill of 1025 beginning
// like a fill of 1024 from the same seed (one batch of 512 draws).
TEST(Normal, BatchedDeviatesAreStandardNormal) {
  Rng rng(5);
  Eigen::ArrayXf z(2'000'001);
  fill_normal(rng, z);
  const Eigen::ArrayXd d = z.cast<double>();
  const double n = static_cast<double>(d.size()), mean = d.mean();
  const double var = (d - mean).square().sum() / (n - 1);
  EXPECT_NEAR(mean, 0.0, 4 / std::sqrt(n));
  EXPECT_NEAR(var, 1.0, 4 * std::sqrt(2 / n));
  EXPECT_NEAR(d.cube().mean(), 0.0, 4 * std::sqrt(15 / n));
  EXPECT_NEAR(d.square().square().mean(), 3.0, 4 * std::sqrt(96 / n));
  const double tails = static_cast<double>((d.abs() > 2.0).count()) / n;
  EXPECT_NEAR(tails, 0.0455, 4 * std::sqrt(0.0455 / n));
  EXPECT_LT(d.abs().maxCoeff(), 5.9);

  Rng whole(9), split(9);
  Eigen::ArrayXf a(1025), b(1025);
  fill_normal(whole, a);
  fill_normal(split, b.head(1024));
  Eigen::ArrayXf last(1);
  fill_normal(split, last);
  EXPECT_TRUE((a.head(1024) == b.head(1024)).all());
  EXPECT_TRUE(std::isfinite(last(0)));
}

// Empirical variance of each output over `draws` MVMs of one input.
Eigen::VectorXd output_variance(const CrossbarLayer& layer, const Eigen::VectorXd& x, int draws, bool per_cell,
                                std::uint64_t seed) {
  Rng rng(seed);
  Matrix xs = x.replicate(1, draws);
  const Matrix y = per_cell ? layer.forward_per_cell(xs, rng) : layer.forward(xs, rng);
  const Eigen::VectorXd mean = y.rowwise().mean();
  return (y.colwise() - mean).array().square().rowwise().sum() / (draws - 1);
}

TEST(Crossbar, WithoutNoiseAndWithIdealConvertersItIsAGemm) {
  const Matrix w = random_matrix(40, 300, 1), x = random_matrix(300, 17, 2);
  const Matrix exact = w * x;
  for (int steps : {1, 4}) {
    ImcDevice d = quiet_device();
    d.g_min = 1e-6;  // the differential pair cancels it
    CrossbarSpec spec;
    spec.tile_rows = 64;
    spec.time_steps = steps;
    const CrossbarLayer layer(w, d, spec);
    Rng rng(3);
    EXPECT_LE((layer.forward(x, rng) - exact).cwiseAbs().maxCoeff(), 1e-12 * exact.cwiseAbs().maxCoeff()) << steps;
    EXPECT_LE((layer.forward_per_cell(x, rng) - exact).cwiseAbs().maxCoeff(), 1e-12 * exact.cwiseAbs().maxCoeff());
  }
}

TEST(Crossbar, ConvertersErrWithinHalfAnLsbInsideTheirRange) {
  const Matrix w = random_matrix(30, 50, 4), x = random_matrix(50, 40, 5);
  CrossbarSpec spec;
  spec.adc.bits = 8;
  const CrossbarLayer layer(w, quiet_device(), spec);
  Rng rng(6);
  const double range = w.cwiseAbs().rowwise().sum().maxCoeff();  // one tile, worst-case full scale
  const double lsb = range / 127;
  EXPECT_LE((layer.forward(x, rng) - w * x).cwiseAbs().maxCoeff(), lsb / 2 * (1 + 1e-9));
  // The DAC alone: the MVM of the quantized inputs.
  spec.adc.bits = 0;
  spec.dac.bits = 6;
  const CrossbarLayer dac_only(w, quiet_device(), spec);
  const Matrix xq = x.unaryExpr([](double v) { return quantize(v, 6, 1.0); });
  EXPECT_LE((xq - x).cwiseAbs().maxCoeff(), 1.0 / 31 / 2 * (1 + 1e-9));
  EXPECT_LE((dac_only.forward(x, rng) - w * xq).cwiseAbs().maxCoeff(), 1e-12);
  // Outside the range the ADC clips to its last level.
  EXPECT_DOUBLE_EQ(quantize(5.0, 4, 1.0), 1.0);
  EXPECT_DOUBLE_EQ(quantize(-5.0, 4, 1.0), -1.0);
}

TEST(Crossbar, ReadNoiseVarianceIsTheAnalyticSumAndPerOutputEqualsPerCell) {
  ImcDevice d = quiet_device();
  d.additive = 0.2e-6;
  d.proportional = 0.05;
  d.shot = 1e-10;
  const Matrix w = random_matrix(3, 20, 7);
  CrossbarSpec spec;
  const CrossbarLayer layer(w, d, spec);
  const Eigen::VectorXd x = random_matrix(20, 1, 8);
  // Var y_i = Σ_j x_j² (Var G⁺_ij + Var G⁻_ij) / k².
  Eigen::VectorXd analytic = Eigen::VectorXd::Zero(3);
  const double k = layer.scale();
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 20; ++j)
      analytic(i) += x(j) * x(j) *
                     (d.read_variance(k * std::max(w(i, j), 0.0)) + d.read_variance(k * std::max(-w(i, j), 0.0))) /
                     (k * k);
  const int n = 20000;
  const Eigen::VectorXd fast = output_variance(layer, x, n, false, 9), slow = output_variance(layer, x, n, true, 10);
  // The sample variance of n Gaussian draws has a relative sd of sqrt(2/n) = 1 %: allow 5 sd.
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(fast(i) / analytic(i), 1.0, 0.05) << i;
    EXPECT_NEAR(slow(i) / analytic(i), 1.0, 0.05) << i;
  }
}

TEST(Crossbar, RtnAutocorrelationFollowsItsRates) {
  RtnNoise rtn;
  rtn.amplitude = 0.1;
  rtn.capture_rate = 2e6;
  rtn.emission_rate = 6e6;
  const double dt = 50e-9;  // (c + e) dt = 0.4
  Rng rng(11);
  const std::size_t n = 400000;
  const std::vector<int> s = rtn_chain(rtn, n, dt, rng);
  double mean = 0;
  for (int v : s) mean += v;
  mean /= n;
  const double pi = rtn.occupancy();
  EXPECT_NEAR(mean, pi, 0.01);
  for (int lag : {1, 2, 5}) {
    double cov = 0;
    for (std::size_t t = 0; t + lag < n; ++t) cov += (s[t] - mean) * (s[t + lag] - mean);
    cov /= static_cast<double>(n - lag);
    const double expected = pi * (1 - pi) * std::exp(-(rtn.capture_rate + rtn.emission_rate) * dt * lag);
    EXPECT_NEAR(cov, expected, 0.01) << lag;
  }
}

TEST(Crossbar, EnergyClosedFormEqualsTheSumOverReadsAndGrowsWithScale) {
  ImcDevice d = quiet_device();
  d.g_min = 0.5e-6;
  d.rtn = {0.05, 1e6, 1e6};
  const Matrix w = random_matrix(12, 70, 12), x = random_matrix(70, 5, 13, 0, 1);
  CrossbarSpec spec;
  spec.tile_rows = 32;
  spec.tile_cols = 8;
  spec.time_steps = 3;
  spec.dac = {6, 1e-15};
  spec.adc = {8, 2e-14};
  spec.scale = 5e-6;
  CrossbarLayer layer(w, d, spec);
  layer.program(14);
  EXPECT_NEAR(layer.energy(x) / layer.energy_per_read(x), 1.0, 1e-12);
  // Converters: 70 inputs x 2 column tiles and 12 outputs x 3 row tiles, 3 steps, 5 samples.
  d.g_min = 0;
  d.rtn = {};
  spec.dac.energy = spec.adc.energy = 0;
  const CrossbarLayer base(w, d, spec);
  spec.scale = 10e-6;
  const CrossbarLayer doubled(w, d, spec);
  EXPECT_NEAR(doubled.energy(x) / base.energy(x), 2.0, 1e-12);  // E ∝ k Σ|w| V²
  spec.dac = {6, 1e-15};
  spec.adc = {8, 2e-14};
  const CrossbarLayer converting(w, d, spec);
  EXPECT_NEAR(converting.energy(x) - doubled.energy(x), 3 * 5 * (70 * 2 * 1e-15 + 12 * 3 * 2e-14), 1e-24);
}

TEST(Crossbar, DecompositionDividesProportionalNoiseByTAndLeavesEnergy) {
  const Matrix w = random_matrix(4, 30, 15);
  const Eigen::VectorXd x = random_matrix(30, 1, 16);
  const auto variance = [&](const ImcDevice& d, int steps) {
    CrossbarSpec spec;
    spec.time_steps = steps;
    const CrossbarLayer layer(w, d, spec);
    return std::pair{output_variance(layer, x, 20000, false, 17 + steps).sum(), layer.energy(x)};
  };
  ImcDevice prop = quiet_device();
  prop.proportional = 0.05;
  const auto [v1, e1] = variance(prop, 1);
  const auto [v4, e4] = variance(prop, 4);
  EXPECT_NEAR(v4 / v1, 0.25, 0.02);
  EXPECT_NEAR(e4 / e1, 1.0, 1e-12);
  ImcDevice add = quiet_device();
  add.additive = 0.1e-6;
  EXPECT_NEAR(variance(add, 4).first / variance(add, 1).first, 4.0, 0.3);  // additive noise grows T times
  ImcDevice shot = quiet_device();
  shot.shot = 1e-10;
  EXPECT_NEAR(variance(shot, 4).first / variance(shot, 1).first, 1.0, 0.08);  // shot-like noise does not change
}

TEST(Crossbar, ResultsAreDeterministicUnderASeed) {
  ImcDevice d = quiet_device();
  d.proportional = 0.03;
  d.programming = 0.1;
  d.rtn = {0.05, 1e6, 3e6};
  const Matrix w = random_matrix(8, 40, 18), x = random_matrix(40, 6, 19);
  CrossbarSpec spec;
  spec.time_steps = 2;
  CrossbarLayer a(w, d, spec), b(w, d, spec);
  a.program(5);
  b.program(5);
  Rng ra(21), rb(21);
  EXPECT_EQ(a.forward(x, ra), b.forward(x, rb));
  b.program(6);
  Rng rc(21);
  EXPECT_NE(a.forward(x, rc), b.forward(x, rb));
}

TEST(Crossbar, CompensatedDriftRestoresTheWeights) {
  ImcDevice d = quiet_device();
  d.drift = {0.05, 0.0, 20, 3600, true};
  const Matrix w = random_matrix(5, 10, 22);
  const Matrix x = Matrix::Identity(10, 10);
  CrossbarLayer layer(w, d, CrossbarSpec{});
  layer.program(1);
  Rng rng(2);
  // One exponent for every cell: global compensation restores the weights exactly.
  EXPECT_LE((layer.forward(x, rng) - w).cwiseAbs().maxCoeff(), 1e-12);
  d.drift.compensated = false;
  CrossbarLayer raw(w, d, CrossbarSpec{});
  EXPECT_NEAR(raw.forward(x, rng)(0, 0) / w(0, 0), std::pow(3600.0 / 20, -0.05), 1e-12);
}

TEST(Crossbar, BadLayersAreConfigErrors) {
  ImcDevice d = quiet_device();
  CrossbarSpec spec;
  spec.scale = 1.0;  // 1 S per unit weight: far above g_max
  EXPECT_THROW(CrossbarLayer(random_matrix(2, 2, 1), d, spec), ConfigError);
  spec = {};
  spec.time_steps = 0;
  EXPECT_THROW(CrossbarLayer(random_matrix(2, 2, 1), d, spec), ConfigError);
  const CrossbarLayer layer(random_matrix(2, 3, 1), d, CrossbarSpec{});
  Rng rng(1);
  EXPECT_THROW(layer.forward(Matrix::Zero(4, 1), rng), ConfigError);
}

TEST(ImcDevice, ShippedFilesLoadAndBadFilesNameLineAndKey) {
  for (const char* tech : {"pcm", "reram", "stt_mram", "fefet"}) {
    const ImcDevice d = load_imc_device(fs::path(DEEPNVM_DATA_DIR) / "imc" / (std::string(tech) + ".yaml"));
    EXPECT_EQ(d.name, tech);
    EXPECT_GT(d.g_max, d.g_min);
    EXPECT_GT(d.shot, 0.0);
  }
  const fs::path dir = fs::temp_directory_path() / ("deepnvm-imc-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string head = "kind: imc_device\nname: x\nsource: test\nread_voltage: 0.2 V\nread_time: 10 ns\n";
  const struct {
    std::string text;
    std::size_t line;
    std::string key, expected;
  } cases[] = {
      {head + "g_min: 1 uS\ng_max: 1 uSS\n", 7, "g_max", "uSS"},
      {head + "g_min: 2 uS\ng_max: 1 uS\n", 6, "g_min", "below g_max"},
      {head + "g_min: 0 S\ng_max: 1 uS\nrtn: {amplitude: 2}\n", 8, "amplitude", "2"},
      {head + "g_min: 0 S\ng_max: 1 uS\nshoot: 1 S\n", 8, "shoot", "shot"},
  };
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    const fs::path file = dir / ("bad" + std::to_string(i) + ".yaml");
    std::ofstream(file) << cases[i].text;
    testing::expect_config_error([&] { load_imc_device(file); }, file.string(), cases[i].line, cases[i].key,
                                 cases[i].expected);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace deepnvm::imc
