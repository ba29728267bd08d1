// SPDX-License-Identifier: MIT
// deepnvm imc sweep: a trained network on crossbars of noisy devices, by Monte-Carlo over seeds.
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
};

void run_sweep(const SweepArgs& args, const Context& ctx) {
  // Read and check everything before computing: a bad file leaves no output.
  const imc::ImcSweepSpec spec = imc::load_imc_sweep(args.file, ctx.data_dir);
  const std::filesystem::path out =
      args.out.empty() ? std::filesystem::path("deepnvm-results") / spec.name : std::filesystem::path(args.out);
  std::unique_ptr<Progress> bar;
  const imc::ImcSweepResult r =
      imc::run_imc_sweep(spec, args.file, ctx.data_dir, ctx.options.threads, [&](std::size_t done, std::size_t total) {
        if (!bar)
          bar = std::make_unique<Progress>("crossbar Monte-Carlo", total, Progress::on_terminal(ctx.options.quiet));
        bar->advance(done - bar->done());
      });
  if (bar) bar->finish();
  std::filesystem::create_directories(out);
  write_file_atomic(out / "imc.csv", imc::imc_csv(r));
  nlohmann::ordered_json doc = json_document("imc sweep");
  doc.update(imc::to_json(r));
  write_file_atomic(out / "imc.json", json_text(doc));
  for (const std::string& w : study::write_plots(imc::imc_plots(r), out).warnings)
    std::fprintf(stderr, "warning: %s\n", w.c_str());
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
  print(fmt::format("results: {} (imc.csv, imc.json, plot)", out.string()));
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
  return [sweep_args, train, exp](const Context& ctx) {
    for (auto* sub : {train, exp}) {
      if (!sub->parsed()) continue;
      std::vector<std::string> args{sub->get_name()};
      for (const std::string& a : sub->remaining()) args.push_back(a);
      run_learn_program(args);
      return;
    }
    run_sweep(*sweep_args, ctx);
  };
}

}  // namespace deepnvm::cli
