// SPDX-License-Identifier: MIT
// deepnvm run [STUDY.yaml] [--out DIR] [--no-cache]: the DeepNVM++ studies end to end.
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "app.h"
#include "deepnvm/core/atomic_file.h"
#include "deepnvm/core/progress.h"
#include "deepnvm/report/json_output.h"
#include "deepnvm/study/study.h"
#include "deepnvm/study/study_plots.h"

namespace deepnvm::cli {

namespace {

struct RunArgs {
  std::string study;
  std::string out;
  bool no_cache = false;
};

}  // namespace

Action add_run_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "run",
      "Run a DeepNVM++ study (iso-capacity, iso-area, scalability): results.json, results.csv, kernels.csv, report.md, "
      "plots");
  auto args = std::make_shared<RunArgs>();
  cmd->add_option("study", args->study, "Study file (kind: study); default: <data>/studies/deepnvm.yaml");
  cmd->add_option("--out", args->out, "Output folder (default: ./deepnvm-results/<study name>)");
  cmd->add_flag("--no-cache", args->no_cache, "Recompute everything; neither read nor write the result cache");
  return [args](const Context& ctx) {
    const std::filesystem::path file =
        args->study.empty() ? ctx.data_dir / "studies" / "deepnvm.yaml" : std::filesystem::path(args->study);
    const study::StudySpec spec = study::load_study(file, ctx.data_dir);
    const std::filesystem::path out =
        args->out.empty() ? std::filesystem::path("deepnvm-results") / spec.name : std::filesystem::path(args->out);

    study::RunOptions options;
    options.data_dir = ctx.data_dir;
    options.threads = ctx.options.threads;
    options.cell_models = &ctx.builtins.cell_models;
    if (!args->no_cache) {
      const auto dir = study::ResultCache::default_directory();
      if (!dir.empty()) options.cache = study::ResultCache(dir);
    }
    const bool visible = Progress::on_terminal(ctx.options.quiet);
    std::unique_ptr<Progress> bar;
    std::string phase;
    options.progress = [&](const std::string& p, std::size_t done, std::size_t total) {
      if (p != phase) {
        if (bar) bar->finish();
        phase = p;
        bar = std::make_unique<Progress>(p, total, visible);
        if (!visible && !ctx.options.quiet) fmt::print(stderr, "deepnvm: {} ({} units)\n", p, total);
      }
      if (bar && done > bar->done()) bar->advance(done - bar->done());
    };
    const study::StudyResults results = study::run_study(spec, options);
    if (bar) bar->finish();

    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    if (ec) throw IoError(out.string(), fmt::format("cannot create the output folder: {}", ec.message()));
    const auto json = study::results_json(results);
    write_file_atomic(out / "results.json", json_text(json));
    write_file_atomic(out / "results.csv", study::results_csv(results));
    write_file_atomic(out / "kernels.csv", study::kernels_csv(results));
    write_file_atomic(out / "report.md", study::report_markdown(results));
    // Plots: .dat and .gp always; SVG and PNG when gnuplot runs (a missing gnuplot only warns).
    for (const std::string& w : study::write_plots(results, out).warnings)
      fmt::print(stderr, "deepnvm: warning: {}\n", w);
    if (ctx.options.json) {
      nlohmann::ordered_json doc = json_document("run");
      doc["output"] = out.string();
      doc["headline"] = json["headline"];
      print(json_text(doc));
    } else {
      print(study::summary_table(results));
      print(fmt::format("results: {}", out.string()));
    }
  };
}

}  // namespace deepnvm::cli
