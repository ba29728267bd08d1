// SPDX-License-Identifier: MIT
// Networks on crossbars: noise-free crossbars equal exact arithmetic, Monte-Carlo runs are the same on
// any thread count, noise lowers accuracy, the weight file round-trips and bad files are named.
#include "deepnvm/imc/network.h"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

namespace deepnvm::imc {
namespace {

namespace fs = std::filesystem;

// conv 1->3 (3x3, pad 1) - relu - maxpool 2 - flatten - linear 48->5 on 8x8 images.
Network small_cnn() {
  GraphBuilder g("small_cnn", "test");
  TensorId x = g.input("image", {1, 8, 8});
  Conv2d c;
  c.in_channels = 1;
  c.out_channels = 3;
  c.kernel = {3, 3};
  c.padding = {1, 1};
  x = g.add("conv1", c, {x});
  x = g.add("relu1", Activation{}, {x});
  Pool2d p;
  p.kernel = p.stride = {2, 2};
  x = g.add("pool1", p, {x});
  x = g.add("flatten", Reshape{{48}}, {x});
  Linear l;
  l.in_features = 48;
  l.out_features = 5;
  return std::move(g).finish({g.add("fc1", l, {x})});
}

WeightTensor random_tensor(std::vector<std::int64_t> shape, Rng& rng) {
  WeightTensor t;
  t.shape = std::move(shape);
  std::int64_t n = 1;
  for (auto d : t.shape) n *= d;
  std::normal_distribution<float> g(0.0f, 0.5f);
  for (std::int64_t i = 0; i < n; ++i) t.values.push_back(g(rng));
  return t;
}

WeightFile random_weights() {
  Rng rng(1);
  WeightFile w;
  w.network = "small_cnn";
  w.source = "test";
  w.tensors["conv1.weight"] = random_tensor({3, 1, 3, 3}, rng);
  w.tensors["conv1.bias"] = random_tensor({3}, rng);
  w.tensors["fc1.weight"] = random_tensor({5, 48}, rng);
  w.tensors["fc1.bias"] = random_tensor({5}, rng);
  return w;
}

Dataset random_data(int n) {
  Rng rng(2);
  std::uniform_real_distribution<double> u(0, 1);
  Dataset d;
  d.images = Matrix::NullaryExpr(64, n, [&] { return u(rng); });
  for (int i = 0; i < n; ++i) d.labels.push_back(i % 5);
  return d;
}

ImcDevice device(double proportional) {
  ImcDevice d;
  d.name = "test";
  d.g_min = 0.5e-6;
  d.g_max = 20e-6;
  d.read_voltage = 0.2;
  d.read_time = 10e-9;
  d.proportional = proportional;
  return d;
}

TEST(AnalogNetwork, NoiseFreeCrossbarsEqualExactArithmetic) {
  const Dataset data = random_data(40);
  const AnalogNetwork net(small_cnn(), random_weights(), device(0), {}, data.images);
  Rng rng(3);
  const Matrix exact = net.logits_exact(data.images);
  EXPECT_LE((net.logits(data.images, rng) - exact).cwiseAbs().maxCoeff(), 1e-12 * exact.cwiseAbs().maxCoeff());
  // Labels taken from the exact network: its accuracy is 1.
  Dataset labelled = data;
  for (Eigen::Index n = 0; n < exact.cols(); ++n) {
    Eigen::Index best = 0;
    exact.col(n).maxCoeff(&best);
    labelled.labels[static_cast<std::size_t>(n)] = static_cast<int>(best);
  }
  const MonteCarloResult r = monte_carlo(net, labelled, 3, 7, 1);
  EXPECT_DOUBLE_EQ(r.exact_accuracy, 1.0);
  EXPECT_DOUBLE_EQ(r.mean, 1.0);
  EXPECT_DOUBLE_EQ(r.ci95, 0.0);
  EXPECT_GT(r.cell_energy_per_inference, 0.0);
  EXPECT_DOUBLE_EQ(r.cell_energy_per_inference, r.energy_per_inference);  // ideal converters cost nothing
  const InferenceEnergy e = net.energy_per_inference(data.images);
  EXPECT_NEAR(e.total(), r.energy_per_inference, 1e-12 * r.energy_per_inference);
  EXPECT_NEAR(e.cells, r.cell_energy_per_inference, 1e-12 * r.cell_energy_per_inference);
}

TEST(AnalogNetwork, MonteCarloIsTheSameOnAnyThreadCountAndNoiseCostsAccuracy) {
  Dataset data = random_data(300);
  const AnalogNetwork exact(small_cnn(), random_weights(), device(0), {}, data.images);
  const Matrix logits = exact.logits_exact(data.images);
  for (Eigen::Index n = 0; n < logits.cols(); ++n) {
    Eigen::Index best = 0;
    logits.col(n).maxCoeff(&best);
    data.labels[static_cast<std::size_t>(n)] = static_cast<int>(best);
  }
  const AnalogNetwork noisy(small_cnn(), random_weights(), device(0.3), {}, data.images);
  const MonteCarloResult one = monte_carlo(noisy, data, 6, 11, 1), two = monte_carlo(noisy, data, 6, 11, 2);
  EXPECT_EQ(one.accuracy, two.accuracy);
  EXPECT_LT(one.mean, 0.99);
  EXPECT_GT(one.ci95, 0.0);
  EXPECT_NEAR(student_t95(19), 2.093, 0.001);
  EXPECT_NEAR(student_t95(1000), 1.962, 0.001);
}

TEST(AnalogNetwork, UnsupportedOperatorsAndMissingTensorsAreNamed) {
  WeightFile w = random_weights();
  w.tensors.erase("fc1.bias");
  EXPECT_THROW(AnalogNetwork(small_cnn(), w, device(0), {}, random_data(2).images), ConfigError);
  w = random_weights();
  w.tensors["fc1.weight"].shape = {48, 5};
  EXPECT_THROW(AnalogNetwork(small_cnn(), w, device(0), {}, random_data(2).images), ConfigError);
}

TEST(WeightFile, RoundTripsAndRejectsBadFiles) {
  const fs::path dir = fs::temp_directory_path() / ("deepnvm-imc-w-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const WeightFile w = random_weights();
  write_weights(dir / "w.bin", w);
  const WeightFile r = read_weights(dir / "w.bin");
  EXPECT_EQ(r.network, "small_cnn");
  ASSERT_EQ(r.tensors.size(), 4u);
  EXPECT_EQ(r.tensors.at("fc1.weight").values, w.tensors.at("fc1.weight").values);
  EXPECT_EQ(r.tensors.at("conv1.weight").shape, (std::vector<std::int64_t>{3, 1, 3, 3}));
  try {
    r.get("fc2.weight", {10, 5});
    ADD_FAILURE() << "a missing tensor was found";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.file(), (dir / "w.bin").string());
    EXPECT_EQ(e.key(), "fc2.weight");
  }
  std::string bytes;
  {
    std::ifstream in(dir / "w.bin", std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto expect_io_error = [&](const std::string& content, const std::string& mentions) {
    std::ofstream(dir / "bad.bin", std::ios::binary) << content;
    try {
      read_weights(dir / "bad.bin");
      ADD_FAILURE() << "accepted: " << mentions;
    } catch (const IoError& e) {
      EXPECT_NE(std::string(e.what()).find(mentions), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("bad.bin"), std::string::npos) << e.what();
    }
  };
  expect_io_error(bytes.substr(0, bytes.size() - 4), "truncated");
  expect_io_error(bytes + "x", "after the last tensor");
  expect_io_error("PICKLE\n" + bytes.substr(bytes.find('\n') + 1), "not a weight file");
  expect_io_error("DEEPNVM-WEIGHTS 1\n{\"network\": 1}\n", "malformed header");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace deepnvm::imc
