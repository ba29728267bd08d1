// SPDX-License-Identifier: MIT
// Training end to end on a slice of Fashion-MNIST: it learns, it checkpoints, a resumed run equals
// an uninterrupted one bit for bit (one thread), the budget stops it, mismatched resumes are refused.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "deepnvm/core/error.h"
#include "deepnvm/learn/train.h"
#include "learn_test_support.h"

namespace {

using namespace deepnvm;
using namespace deepnvm::learn;
using deepnvm_learn_test::ScratchDir;

const FashionMnist& data() {
  static const FashionMnist f = load_fashion_mnist(kDebianFashionMnistDir);
  return f;
}

TrainOptions small(const std::filesystem::path& out, Quantization q = Quantization::int8) {
  TrainOptions o;
  o.network = "fmnist_lenet5";
  o.quantization = q;
  o.epochs = 2;
  o.seed = 5;
  o.out = out;
  o.threads = 1;
  o.limit_train = 512;
  o.limit_test = 1000;
  o.batch_size = 32;
  o.quiet = true;
  return o;
}

void expect_same_weights(const std::filesystem::path& a, const std::filesystem::path& b) {
  Checkpoint ca = load_checkpoint(a), cb = load_checkpoint(b);
  const auto pa = ca.model->named_parameters(), pb = cb.model->named_parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (const auto& item : pa) EXPECT_TRUE(torch::equal(item.value(), pb[item.key()])) << item.key();
  const auto ba = ca.model->named_buffers(), bb = cb.model->named_buffers();
  for (const auto& item : ba) EXPECT_TRUE(torch::equal(item.value(), bb[item.key()])) << item.key();
}

TEST(Train, SmokeRunLearnsAndWritesItsCurve) {
  DEEPNVM_REQUIRE_FASHION_MNIST();
  const ScratchDir dir("smoke");
  const TrainResult r = train(small(dir.path()), data());
  ASSERT_EQ(r.curve.size(), 2u);
  EXPECT_EQ(r.train_images, 512);
  EXPECT_EQ(r.test_images, 1000);
  EXPECT_LT(r.curve[1].train_loss, r.curve[0].train_loss);
  EXPECT_LT(r.curve[0].train_loss, 2.31);  // below ln 10, a uniform guess
  EXPECT_GT(r.accuracy(), 0.4);            // chance is 0.1
  EXPECT_GT(r.wall_time(), 0.0);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "checkpoint.pt"));
  std::ifstream csv(dir.path() / "curve.csv");
  std::stringstream buffer;
  buffer << csv.rdbuf();
  const std::string text = buffer.str();
  EXPECT_TRUE(text.starts_with("epoch,train_loss,test_accuracy,wall_time_s,total_wall_time_s\n1,")) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3) << text;
  const Checkpoint c = load_checkpoint(dir.path() / "checkpoint.pt");
  EXPECT_EQ(c.network, "fmnist_lenet5");
  EXPECT_EQ(c.quantization, Quantization::int8);
  EXPECT_EQ(c.curve, r.curve);
}

TEST(Train, ResumedRunEqualsAnUninterruptedOneBitForBit) {
  DEEPNVM_REQUIRE_FASHION_MNIST();
  const ScratchDir whole("whole"), split("split");
  for (const Quantization q : {Quantization::light2, Quantization::fp32}) {
    std::filesystem::remove_all(whole.path() / "q");
    std::filesystem::remove_all(split.path() / "q");
    TrainOptions o = small(whole.path() / "q", q);
    const TrainResult uninterrupted = train(o, data());
    o.out = split.path() / "q";
    o.epochs = 2;
    o.time_budget = 1e-9;  // stops after the first epoch, as an interrupted run would
    const TrainResult first = train(o, data());
    ASSERT_EQ(first.curve.size(), 1u);
    EXPECT_TRUE(first.stopped_by_budget);
    o.time_budget = 0;
    EXPECT_THROW(train(o, data()), ConfigError);  // a checkpoint exists and --resume is not given
    o.resume = true;
    const TrainResult resumed = train(o, data());
    EXPECT_EQ(resumed.resumed_from, 1);
    ASSERT_EQ(resumed.curve.size(), 2u);
    EXPECT_EQ(resumed.curve[1].train_loss, uninterrupted.curve[1].train_loss);
    EXPECT_EQ(resumed.curve[1].test_accuracy, uninterrupted.curve[1].test_accuracy);
    expect_same_weights(whole.path() / "q" / "checkpoint.pt", split.path() / "q" / "checkpoint.pt");
  }
}

TEST(Train, ResumingAnotherRunsCheckpointIsRefused) {
  DEEPNVM_REQUIRE_FASHION_MNIST();
  const ScratchDir dir("mismatch");
  TrainOptions o = small(dir.path());
  o.epochs = 1;
  o.limit_train = 64;
  train(o, data());
  o.resume = true;
  o.quantization = Quantization::int4;
  EXPECT_THROW(train(o, data()), ConfigError);
  o.quantization = Quantization::int8;
  o.seed = 6;
  EXPECT_THROW(train(o, data()), ConfigError);
  o.seed = 5;
  o.epochs = 1;
  const TrainResult r = train(o, data());  // nothing left to do
  EXPECT_EQ(r.resumed_from, 1);
  EXPECT_EQ(r.curve.size(), 1u);
  o.network = "resnet18";
  EXPECT_THROW(train(o, data()), ConfigError);
}

TEST(Train, CheckpointThatIsNotOneIsAnIoError) {
  const ScratchDir dir("badckpt");
  std::ofstream(dir.path() / "checkpoint.pt") << "not a zip";
  EXPECT_THROW(load_checkpoint(dir.path() / "checkpoint.pt"), IoError);
  EXPECT_THROW(load_checkpoint(dir.path() / "none.pt"), IoError);
}

// The crossbar techniques (docs/models/imc.md, "Training techniques").

const std::filesystem::path kPcm = std::filesystem::path(DEEPNVM_DATA_DIR) / "imc" / "pcm.yaml";

TrainOptions crossbar(const std::filesystem::path& out) {
  TrainOptions o = small(out, Quantization::fp32);
  o.network = "fmnist_mlp";
  o.epochs = 1;
  return o;
}

bool same_weights(const std::filesystem::path& a, const std::filesystem::path& b) {
  Checkpoint ca = load_checkpoint(a), cb = load_checkpoint(b);
  for (const auto& item : ca.model->named_parameters())
    if (!torch::equal(item.value(), cb.model->named_parameters()[item.key()])) return false;
  return true;
}

TEST(TrainTechniques, NoiseAwareTrainingChangesTheResult) {
  DEEPNVM_REQUIRE_FASHION_MNIST();
  const ScratchDir plain("t1-plain"), noisy("t1-noisy");
  train(crossbar(plain.path()), data());
  TrainOptions o = crossbar(noisy.path());
  o.device = kPcm;
  o.noise_aware = true;
  const TrainResult r = train(o, data());
  EXPECT_FALSE(same_weights(plain.path() / "checkpoint.pt", noisy.path() / "checkpoint.pt"));
  EXPECT_GT(r.accuracy(), 0.3);  // it still learns (chance is 0.1)
  const Checkpoint c = load_checkpoint(noisy.path() / "checkpoint.pt");
  EXPECT_EQ(c.device, "pcm");
  EXPECT_TRUE(c.noise_aware);
}

TEST(TrainTechniques, NoiseAwareTrainingWithoutNoiseIsNoiseFreeTrainingBitForBit) {
  DEEPNVM_REQUIRE_FASHION_MNIST();
  const ScratchDir plain("t1z-plain"), quiet("t1z-quiet");
  std::ofstream(quiet.path() / "quiet.yaml") << "kind: imc_device\nname: quiet\nsource: test\ng_min: 0 S\n"
                                                "g_max: 25 uS\nread_voltage: 0.2 V\nread_time: 250 ns\n";
  train(crossbar(plain.path()), data());
  TrainOptions o = crossbar(quiet.path() / "run");
  o.device = quiet.path() / "quiet.yaml";
  o.noise_aware = true;
  train(o, data());
  EXPECT_TRUE(same_weights(plain.path() / "checkpoint.pt", quiet.path() / "run" / "checkpoint.pt"));
}

// E_cells of a model on the first 256 training images (training-mode forward, energy on).
double cells_energy(const std::filesystem::path& checkpoint, const std::shared_ptr<AnalogTraining>& analog) {
  Checkpoint c = load_checkpoint(checkpoint);
  auto a = std::make_shared<AnalogTraining>(*analog);
  a->noise = false;
  a->energy = true;
  c.model->set_analog(a);
  c.model->train();
  const torch::NoGradGuard no_grad;
  c.model->forward(to_tensors(data().train, 256).images);
  return c.model->cell_energy().item<double>();
}

TEST(TrainTechniques, EnergyRegularizationLowersTheCellEnergy) {
  DEEPNVM_REQUIRE_FASHION_MNIST();
  const ScratchDir plain("t2-plain"), reg("t2-reg");
  TrainOptions o = crossbar(plain.path());
  o.device = kPcm;
  train(o, data());
  o.out = reg.path();
  o.energy_reg = 10;
  train(o, data());
  const auto analog = analog_training(o);
  const double e0 = cells_energy(plain.path() / "checkpoint.pt", analog);
  const double e1 = cells_energy(reg.path() / "checkpoint.pt", analog);
  EXPECT_GT(e0, 0);
  EXPECT_LT(e1, 0.9 * e0);
  EXPECT_GT(load_checkpoint(reg.path() / "checkpoint.pt").energy_ref, 0);
}

TEST(TrainTechniques, BadOptionsAreConfigErrors) {
  const ScratchDir dir("t-bad");
  TrainOptions o = crossbar(dir.path());
  o.noise_aware = true;
  EXPECT_THROW(analog_training(o), ConfigError);  // no device
  o.device = dir.path() / "none.yaml";
  EXPECT_THROW(analog_training(o), IoError);
  o.device = kPcm;
  EXPECT_NE(analog_training(o), nullptr);
  o.energy_reg = -1;
  EXPECT_THROW(analog_training(o), ConfigError);
  o.energy_reg = 0;
  for (const double f : {0.0, -0.5, 1.5}) {
    o.scale_fraction = f;
    EXPECT_THROW(analog_training(o), ConfigError) << f;
  }
}

TEST(TrainTechniques, ResumingWithOtherTechniquesIsRefused) {
  DEEPNVM_REQUIRE_FASHION_MNIST();
  const ScratchDir dir("t-resume");
  TrainOptions o = crossbar(dir.path());
  o.limit_train = 64;
  o.device = kPcm;
  o.noise_aware = true;
  o.energy_reg = 0.5;
  train(o, data());
  o.resume = true;
  o.epochs = 2;
  o.noise_aware = false;
  EXPECT_THROW(train(o, data()), ConfigError);
  o.noise_aware = true;
  o.energy_reg = 1;
  EXPECT_THROW(train(o, data()), ConfigError);
  o.energy_reg = 0.5;
  o.scale_fraction = 0.5;
  EXPECT_THROW(train(o, data()), ConfigError);
  o.scale_fraction = 1;
  o.device = std::filesystem::path(DEEPNVM_DATA_DIR) / "imc" / "reram.yaml";
  EXPECT_THROW(train(o, data()), ConfigError);
  o.device = kPcm;
  EXPECT_EQ(train(o, data()).resumed_from, 1);  // the same options resume
}

}  // namespace
