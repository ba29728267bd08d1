// SPDX-License-Identifier: MIT
// deepnvm imc sweep: a trained network on crossbars of noisy devices, by Monte-Carlo over seeds.
// deepnvm imc eval: one such point from the command line (no sweep file).
// deepnvm imc train|export ARGS...: deepnvm-learn train|export ARGS... (the training techniques).
#include <cstdio>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "app.h"
#include "deepnvm/core/atomic_file.h"
#include "deepnvm/core/progress.h"
#include "deepnvm/imc/sweep.h"
#include "deepnvm/report/json_output.h"
#include "deepnvm/report/table.h"

namespace deepnvm::cli {

namespace {

struct SweepArgs {
  std::string file, out;
  bool no_cache = false;
};

struct EvalArgs {
  imc::ImcSweepSpec spec;
  std::string device, out;
  double scale_fraction = 1.0;
  std::int64_t time_steps = 1;
  bool no_cache = false;
};

// Runs `spec` (read from `spec_file`) with a progress bar; writes imc.csv, imc.json and the plot to
// `out` when it is not empty; prints the table (or the JSON document).
void run_and_report(const imc::ImcSweepSpec& spec, const std::filesystem::path& spec_file,
                    const std::filesystem::path& out, bool no_cache, const char* command, const Context& ctx) {
  std::unique_ptr<Progress> bar;
  const imc::ImcSweepResult r = imc::run_imc_sweep(
      spec, spec_file, ctx.data_dir, ctx.options.threads,
      [&](std::size_t done, std::size_t total) {
        if (!bar)
          bar = std::make_unique<Progress>("crossbar Monte-Carlo", total, Progress::on_terminal(ctx.options.quiet));
        bar->advance(done - bar->done());
      },
      no_cache ? study::ResultCache() : study::ResultCache(study::ResultCache::default_directory()));
  if (bar) bar->finish();
  nlohmann::ordered_json doc = json_document(command);
  doc.update(imc::to_json(r));
  if (!out.empty()) {
    std::filesystem::create_directories(out);
    write_file_atomic(out / "imc.csv", imc::imc_csv(r));
    write_file_atomic(out / "imc.json", json_text(doc));
    for (const std::string& w : study::write_plots(imc::imc_plots(r), out).warnings)
      std::fprintf(stderr, "warning: %s\n", w.c_str());
  }
  if (ctx.options.json) {
    print(json_text(doc));
    return;
  }
  Table t({"device", "k fraction", "T", "accuracy (95 % CI)", "noise-free", "recovered", "energy / inference",
           "of it in cells"});
  for (const imc::ImcPoint& p : r.points)
    t.row({p.device, fmt::format("{:.3g}", p.scale_fraction), fmt::format("{}", p.time_steps),
           fmt::format("{:.2f} ± {:.2f} %", p.result.mean * 100, p.result.ci95 * 100),
           fmt::format("{:.2f} %", p.result.exact_accuracy * 100), p.recovered ? "yes" : "no",
           fmt::format("{:.3g} nJ", p.result.energy_per_inference * 1e9),
           fmt::format("{:.3g} nJ", p.result.cell_energy_per_inference * 1e9)});
  print(fmt::format("{} on crossbars: {} seeds x {} test images per point", spec.network, spec.seeds, spec.images));
  print(t.str());
  print("Recovered: mean accuracy within 1 percentage point of the noise-free network's.");
  if (!out.empty()) print(fmt::format("results: {} (imc.csv, imc.json, plot)", out.string()));
}

void run_sweep(const SweepArgs& args, const Context& ctx) {
  // Read and check everything before computing: a bad file leaves no output.
  const imc::ImcSweepSpec spec = imc::load_imc_sweep(args.file, ctx.data_dir);
  run_and_report(
      spec, args.file,
      args.out.empty() ? std::filesystem::path("deepnvm-results") / spec.name : std::filesystem::path(args.out),
      args.no_cache, "imc sweep", ctx);
}

void run_eval(EvalArgs args, const Context& ctx) {
  imc::ImcSweepSpec& spec = args.spec;
  spec.name = "eval";
  spec.devices = {args.device};
  spec.scale_fraction = {args.scale_fraction};
  spec.time_steps = {args.time_steps};
  // Paths on the command line are relative to the working directory.
  const std::filesystem::path here = std::filesystem::current_path() / "command line";
  imc::check_imc_sweep(spec, here, ctx.data_dir, [](const std::string& key) {
    return SourceLocation{"command line (--" + (key == "devices" ? std::string("device") : key) + ")", 0};
  });
  run_and_report(spec, here, args.out, args.no_cache, "imc eval", ctx);
}

}  // namespace

Action add_imc_command(CLI::App& app) {
  auto* imc = app.add_subcommand("imc", "In-memory computing on noisy emerging memory (docs/models/imc.md)");
  imc->require_subcommand(1);
  auto sweep_args = std::make_shared<SweepArgs>();
  auto* sweep = imc->add_subcommand(
      "sweep", "A trained network on crossbars: devices x scales x time steps, Monte-Carlo over noise seeds");
  sweep->add_option("file", sweep_args->file, "Sweep file (kind: imc_sweep)")->required();
  sweep->add_option("--out", sweep_args->out, "Output folder (default: ./deepnvm-results/<sweep name>)");
  sweep->add_flag("--no-cache", sweep_args->no_cache,
                  "Neither read nor store finished points in the result cache (by default a rerun or an "
                  "interrupted sweep reuses them)");
  auto eval_args = std::make_shared<EvalArgs>();
  auto* eval = imc->add_subcommand(
      "eval", "One trained network on one device's crossbars, Monte-Carlo over noise seeds (a one-point sweep)");
  imc::ImcSweepSpec& e = eval_args->spec;
  eval->add_option("--network", e.network, "Workload zoo network the weights belong to, e.g. fmnist_mlp")->required();
  eval->add_option("--weights", e.weights, "Weight file (deepnvm imc export)")->required();
  eval->add_option("--device", eval_args->device, "Device: a name of data/imc/*.yaml (pcm, reram, stt_mram, fefet)")
      ->required();
  eval->add_option("--scale-fraction", eval_args->scale_fraction,
                   "k = F (g_max - g_min) / max|w| per layer, F in (0, 1]")
      ->check(CLI::Range(1e-9, 1.0))
      ->capture_default_str();
  eval->add_option("--time-steps", eval_args->time_steps, "T of the low-fluctuation decomposition")
      ->check(CLI::Range(std::int64_t{1}, imc::imc_limits::max_time_steps))
      ->capture_default_str();
  eval->add_option("--seeds", e.seeds, "Monte-Carlo noise seeds")
      ->check(CLI::Range(std::int64_t{1}, imc::imc_limits::max_seeds))
      ->capture_default_str();
  eval->add_option("--images", e.images, "Test images")
      ->check(CLI::Range(std::int64_t{1}, imc::imc_limits::max_images))
      ->capture_default_str();
  eval->add_option("--base-seed", e.base_seed, "First seed")->check(CLI::NonNegativeNumber)->capture_default_str();
  eval->add_option("--dac-bits", e.dac_bits, "DAC bits (0: ideal)")
      ->check(CLI::Range(std::int64_t{0}, imc::imc_limits::max_converter_bits))
      ->capture_default_str();
  eval->add_option("--adc-bits", e.adc_bits, "ADC bits (0: ideal)")
      ->check(CLI::Range(std::int64_t{0}, imc::imc_limits::max_converter_bits))
      ->capture_default_str();
  eval->add_option("--data", e.data, "Fashion-MNIST folder (default: Debian's)");
  eval->add_option("--converters", e.converters, "Converter figures of merit (default: data/imc/converters.yaml)");
  eval->add_option("--out", eval_args->out, "Also write imc.csv, imc.json and the plot to this folder");
  eval->add_flag("--no-cache", eval_args->no_cache, "Neither read nor store the point in the result cache");
  // train and export belong to deepnvm-learn (libtorch): every argument after them is passed on.
  const auto pass_on = [imc](const char* name, const char* help) {
    auto* sub = imc->add_subcommand(name, help);
    sub->prefix_command();
    sub->allow_extras();
    sub->fallthrough(false);
    sub->set_help_flag();
    return sub;
  };
  auto* train = pass_on("train",
                        "Train for crossbars: deepnvm-learn train with --device, --scale-fraction, --noise-aware, "
                        "--energy-reg ('deepnvm imc train --help')");
  auto* exp = pass_on("export", "Export a checkpoint's weights for imc sweep: deepnvm-learn export");
  return [sweep_args, eval_args, eval, train, exp](const Context& ctx) {
    for (auto* sub : {train, exp}) {
      if (!sub->parsed()) continue;
      std::vector<std::string> args{sub->get_name()};
      for (const std::string& a : sub->remaining()) args.push_back(a);
      run_learn_program(args);
      return;
    }
    if (eval->parsed())
      run_eval(*eval_args, ctx);
    else
      run_sweep(*sweep_args, ctx);
  };
}

}  // namespace deepnvm::cli
