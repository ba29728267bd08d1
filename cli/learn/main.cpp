// SPDX-License-Identifier: MIT
// deepnvm-learn: quantization-aware training on Fashion-MNIST (docs/models/learn.md) and the
// actor-learner RL trainer (docs/models/rl.md). The only executable that links libtorch; `deepnvm
// learn ...` runs it with the same arguments, `deepnvm rl ...` as `deepnvm-learn rl ...`.
#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "deepnvm/core/error.h"
#include "deepnvm/core/quantity.h"
#include "deepnvm/learn/export.h"
#include "deepnvm/learn/train.h"
#include "deepnvm/workload/idx.h"
#include "rl.h"

namespace {

using namespace deepnvm;
using namespace deepnvm::learn;

void error_line(const std::string& message) { fmt::print(stderr, "deepnvm-learn: error: {}\n", message); }

void print_line(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) throw IoError("<stdout>", "write failed");
}

int run(int argc, char** argv) {
  CLI::App app{
      "deepnvm-learn: quantization-aware training (fp32, int16, int8, int4, light1, light2) of the workload zoo's\n"
      "Fashion-MNIST networks with libtorch; checkpoints every epoch, resumes, writes the learning curve."};
  app.name("deepnvm-learn");
  app.set_version_flag("--version", "deepnvm-learn " DEEPNVM_VERSION);
  app.require_subcommand(1);

  TrainOptions o;
  std::string quant = "fp32", budget, data = kDebianFashionMnistDir;
  CLI::App* train_cmd = app.add_subcommand("train", "Train one network at one quantization");
  train_cmd->add_option("--network", o.network, "Workload zoo network (fmnist_lenet5, fmnist_cnn)")
      ->capture_default_str();
  train_cmd->add_option("--quant", quant, "Quantization: fp32, int16, int8, int4, light1, light2")
      ->capture_default_str();
  train_cmd->add_option("--epochs", o.epochs, "Planned epochs in all")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  train_cmd->add_option("--seed", o.seed, "Seed of the weight initialization and batch order")->capture_default_str();
  train_cmd->add_option("--data", data, "Folder of the Fashion-MNIST IDX files (plain or .gz)")->capture_default_str();
  train_cmd->add_option("--out", o.out, "Output folder: checkpoint.pt, curve.csv, summary.json")->required();
  train_cmd->add_flag("--resume", o.resume, "Continue from OUT/checkpoint.pt if it exists");
  train_cmd->add_option("--threads", o.threads, "Torch threads")->check(CLI::Range(1, 1024))->capture_default_str();
  train_cmd->add_option("--limit-train", o.limit_train, "Use the first N training images (0: all 60000)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 40));
  train_cmd->add_option("--limit-test", o.limit_test, "Evaluate on the first N test images (0: all 10000)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 40));
  train_cmd->add_option("--batch-size", o.batch_size, "Mini-batch size")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 20))
      ->capture_default_str();
  train_cmd->add_option("--lr", o.learning_rate, "Adam learning rate at epoch 0 (cosine decay to 0)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  train_cmd->add_option("--time-budget", budget,
                        "Stop before an epoch that would end past this wall time, e.g. '1200 s' (default: none)");
  train_cmd->add_flag("-q,--quiet", o.quiet, "No progress on stderr");
  std::string device;
  train_cmd->add_option("--device", device,
                        "Crossbar device (kind imc_device, e.g. data/imc/pcm.yaml) for the techniques");
  train_cmd->add_option("--scale-fraction", o.scale_fraction, "k = F (g_max - g_min) / max|w| per layer, F in (0, 1]")
      ->capture_default_str();
  train_cmd->add_flag("--noise-aware", o.noise_aware,
                      "Noise-aware training: the device's read noise and programming spread in the forward pass");
  train_cmd->add_option("--energy-reg", o.energy_reg, "Energy regularization: loss += LAMBDA E_cells / E_ref")
      ->capture_default_str();

  std::string checkpoint;
  int eval_threads = 1;
  std::int64_t eval_limit = 0;
  CLI::App* eval_cmd = app.add_subcommand("eval", "Test accuracy of a checkpoint");
  eval_cmd->add_option("--checkpoint", checkpoint, "A checkpoint.pt written by train")->required();
  eval_cmd->add_option("--data", data, "Folder of the Fashion-MNIST IDX files")->capture_default_str();
  eval_cmd->add_option("--threads", eval_threads, "Torch threads")->check(CLI::Range(1, 1024));
  eval_cmd->add_option("--limit-test", eval_limit, "Evaluate on the first N test images (0: all)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 40));

  std::string export_checkpoint, export_out;
  CLI::App* export_cmd = app.add_subcommand(
      "export", "Write a checkpoint's weights (after the quantizer) as a weight file for deepnvm imc sweep");
  export_cmd->add_option("--checkpoint", export_checkpoint, "A checkpoint.pt written by train")->required();
  export_cmd->add_option("--out", export_out, "The weight file to write")->required();

  const std::function<void()> run_rl = learn_cli::add_rl_commands(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    app.exit(e);
    return 0;
  } catch (const CLI::CallForAllHelp& e) {
    app.exit(e);
    return 0;
  } catch (const CLI::CallForVersion&) {
    print_line("deepnvm-learn " DEEPNVM_VERSION);
    return 0;
  } catch (const CLI::ParseError& e) {
    const auto rest = app.remaining();
    if (app.get_subcommands().empty() && !rest.empty())
      error_line(fmt::format("unknown command '{}': expected train, eval, export or rl (see 'deepnvm-learn --help')",
                             rest.front()));
    else
      error_line(fmt::format("{} (see 'deepnvm-learn --help')", e.what()));
    return 2;
  }

  try {
    if (app.got_subcommand("rl")) {
      run_rl();
    } else if (train_cmd->parsed()) {
      o.quantization = parse_quantization(quant);
      o.device = device;
      analog_training(o);  // bad technique options and device files before the data
      if (!budget.empty()) o.time_budget = parse_quantity(budget, dim::time);
      make_classifier(o.network, o.quantization, o.seed);  // an unknown or untrainable network before the data
      const TrainResult r = train(o, load_fashion_mnist(data));
      print_line(summary_json(o, r));
    } else if (eval_cmd->parsed()) {
      torch::set_num_threads(eval_threads);
      Checkpoint c = load_checkpoint(checkpoint);
      const FashionMnist f = load_fashion_mnist(data);
      const TensorSet test = to_tensors(f.test, eval_limit);
      nlohmann::ordered_json j;
      j["network"] = c.network;
      j["quantization"] = quantization_name(c.quantization);
      j["epochs"] = c.curve.size();
      j["accuracy"] = evaluate(c.model, test);
      j["test_images"] = test.images.size(0);
      print_line(j.dump());
    } else if (export_cmd->parsed()) {
      Checkpoint c = load_checkpoint(export_checkpoint);
      const std::string source =
          fmt::format("deepnvm-learn export --checkpoint {}: {} trained {} epochs at {} (seed {})", export_checkpoint,
                      c.network, c.curve.size(), quantization_name(c.quantization), c.seed);
      imc::write_weights(export_out, export_weights(c, source));
      nlohmann::ordered_json j;
      j["network"] = c.network;
      j["weights"] = export_out;
      print_line(j.dump());
    }
    return 0;
  } catch (const UnitError& e) {
    error_line(fmt::format("--time-budget: {}", e.what()));
    return 2;
  } catch (const Error& e) {
    error_line(e.what());
    return 2;
  } catch (const std::exception& e) {
    error_line(fmt::format("internal error: {} (please report this)", e.what()));
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) { return run(argc, argv); }
