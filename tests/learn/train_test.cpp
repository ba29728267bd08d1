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

}  // namespace
