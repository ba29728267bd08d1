// SPDX-License-Identifier: MIT
// The trainable networks are the workload zoo's: MACs and parameters counted from the torch modules
// equal the zoo graph's.
#include <gtest/gtest.h>

#include "deepnvm/core/error.h"
#include "deepnvm/learn/network.h"
#include "deepnvm/workload/zoo.h"

namespace {

using namespace deepnvm;
using namespace deepnvm::learn;

TEST(Network, TorchModulesHaveTheZooGraphsMacsAndParameters) {
  for (const char* name : {"fmnist_lenet5", "fmnist_cnn"}) {
    const Network net = zoo_network(name);
    for (const Quantization q : {Quantization::fp32, Quantization::light2}) {
      Classifier model = make_classifier(name, q, 1);
      EXPECT_EQ(count_macs(model), macs(net, 1)) << name;
      EXPECT_EQ(count_parameters(model), parameter_count(net)) << name;
      const torch::Tensor logits = model->forward(torch::zeros({3, 1, 28, 28}));
      EXPECT_EQ(logits.sizes(), (std::vector<std::int64_t>{3, 10})) << name;
    }
  }
}

TEST(Network, SameSeedSameWeightsOtherSeedOthers) {
  Classifier a = make_classifier("fmnist_lenet5", Quantization::int8, 3);
  Classifier b = make_classifier("fmnist_lenet5", Quantization::int8, 3);
  Classifier c = make_classifier("fmnist_lenet5", Quantization::int8, 4);
  EXPECT_TRUE(torch::equal(a->layers()[0]->weight(), b->layers()[0]->weight()));
  EXPECT_FALSE(torch::equal(a->layers()[0]->weight(), c->layers()[0]->weight()));
}

TEST(Network, NonSequentialOrUnsupportedGraphsAreModelErrors) {
  EXPECT_THROW(make_classifier("resnet18", Quantization::fp32, 1), ModelError);  // batch norm, residual adds
  EXPECT_THROW(make_classifier("no_such_network", Quantization::fp32, 1), ConfigError);
}

TEST(Network, TrainingSetsTheActivationRangeAndEvaluationFreezesIt) {
  Classifier model = make_classifier("fmnist_lenet5", Quantization::int8, 1);
  model->train();
  model->forward(torch::ones({2, 1, 28, 28}) * 0.5);
  const double r = model->layers()[0]->activation_range();
  EXPECT_DOUBLE_EQ(r, 0.5);  // the first batch sets it
  model->eval();
  model->forward(torch::ones({2, 1, 28, 28}));
  EXPECT_DOUBLE_EQ(model->layers()[0]->activation_range(), r);
  model->train();
  model->forward(torch::ones({2, 1, 28, 28}));
  EXPECT_DOUBLE_EQ(model->layers()[0]->activation_range(), 0.9 * 0.5 + 0.1 * 1.0);
}

}  // namespace
