// SPDX-License-Identifier: MIT
// deepnvm-learn rl train | sweep | model.
#include "rl.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "deepnvm/core/atomic_file.h"
#include "deepnvm/core/error.h"
#include "deepnvm/core/progress.h"
#include "deepnvm/rl/ratio_model.h"
#include "deepnvm/rl/sweep_output.h"
#include "deepnvm/rltrain/sweep_run.h"
#include "deepnvm/rltrain/trainer.h"

namespace deepnvm::learn_cli {

namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_interrupt(int) { g_stop = true; }

/// SIGINT and SIGTERM end the run after the current update or point; finished work is kept.
void catch_interrupts() {
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
}

// The data folder as deepnvm finds it: $DEEPNVM_DATA_DIR, else the built-in path (--data overrides).
std::string default_data_dir() {
  const char* env = std::getenv("DEEPNVM_DATA_DIR");
  return env && *env ? env : DEEPNVM_DATA_DIR;
}

void out_line(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) throw IoError("<stdout>", "write failed");
}

struct TrainArgs {
  rltrain::TrainerOptions o;
  std::string inference = "actor", out, data = default_data_dir();
  std::int64_t eval_episodes = 100;
  bool quiet = false;
};

struct SweepArgs {
  std::string file, out, data = default_data_dir();
  bool quiet = false;
};

struct ModelArgs {
  std::string csv;
  rl::TargetMachine target;
  bool gpu = false;
  int max_actors = 64, envs_per_actor = 1, inference_batch = 8;
};

std::string curve_csv(const rltrain::TrainResult& r) {
  std::string s = "frames,seconds,episodes,mean_return_last_100\n";
  for (const rltrain::CurvePoint& p : r.curve)
    s += fmt::format("{},{:.3f},{},{:.6g}\n", p.frames, p.seconds, p.episodes, p.mean_return);
  return s;
}

void run_train(TrainArgs& a) {
  rltrain::TrainerOptions& o = a.o;
  o.system.inference = rl::parse_placement(a.inference);
  o.data_dir = a.data;
  o.stop = &g_stop;
  if (!a.out.empty()) std::filesystem::create_directories(a.out);
  catch_interrupts();
  Progress bar("rl train " + o.env, static_cast<std::size_t>(o.frames), Progress::on_terminal(a.quiet));
  std::size_t shown = 0;
  o.progress = [&](std::int64_t frames, std::int64_t) {
    const auto f = static_cast<std::size_t>(std::min(frames, o.frames));
    if (f > shown) bar.advance(f - shown), shown = f;
  };
  rltrain::TrainResult r = rltrain::train(o);
  bar.finish();
  nlohmann::ordered_json j;
  j["env"] = o.env;
  j["algorithm"] = "IMPALA V-trace actor-critic (rho_bar, c_bar clipped importance weights)";
  j["inference"] = a.inference;
  j["synchronous"] = o.synchronous;
  j["seed"] = o.seed;
  j["frames"] = r.measurement.frames;
  j["updates"] = r.measurement.updates;
  j["training_episodes"] = r.returns.size();
  j["interrupted"] = r.interrupted;
  j["final_mean_return_last_100"] = r.curve.empty() ? 0.0 : r.curve.back().mean_return;
  if (a.eval_episodes > 0) {
    const rltrain::Evaluation ev = rltrain::evaluate(r.net, o.env, o.data_dir, a.eval_episodes, o.seed + 1000, false);
    j["evaluation"] = {{"episodes", ev.episodes},
                       {"policy", "sampled"},
                       {"mean_return", ev.mean_return},
                       {"min_return", ev.min_return},
                       {"max_return", ev.max_return}};
  }
  j["measurement"] = rl::to_json(r.measurement);
  if (!a.out.empty()) {
    write_file_atomic(std::filesystem::path(a.out) / "curve.csv", curve_csv(r));
    write_file_atomic(std::filesystem::path(a.out) / "summary.json", j.dump(2) + "\n");
  }
  out_line(j.dump());
}

void write_sweep(const rl::RlSweepResult& r, const std::filesystem::path& out, bool plots) {
  std::filesystem::create_directories(out);
  write_file_atomic(out / (r.spec.name + ".csv"), rl::sweep_csv(r));
  write_file_atomic(out / (r.spec.name + ".json"), rl::sweep_json(r).dump(2) + "\n");
  if (plots)
    for (const std::string& w : report::write_plots(rl::sweep_plots(r), out).warnings)
      fmt::print(stderr, "deepnvm-learn: warning: {}\n", w);
}

void run_sweep(const SweepArgs& a) {
  const rl::RlSweepSpec spec = rl::load_rl_sweep(a.file);  // a bad file: exit 2 before any run
  const std::filesystem::path out =
      a.out.empty() ? std::filesystem::path("deepnvm-results") / spec.name : std::filesystem::path(a.out);
  catch_interrupts();
  rltrain::SweepCallbacks cb;
  cb.stop = &g_stop;
  cb.starting = [&](std::size_t i, std::size_t n, const rl::SystemConfig& c, bool calibration) {
    if (!a.quiet)
      fmt::print(stderr, "[{}/{}] {} {}: {} actors x {} envs, {} cores/actor, batch {}\n", i + 1, n,
                 calibration ? "calibration" : "point", rl::placement_name(c.inference), c.actors, c.envs_per_actor,
                 c.cores_per_actor, c.inference_batch);
  };
  // Every finished point is on disk at once: an interrupted sweep keeps what it measured.
  cb.finished_point = [&](const rl::RlSweepResult& r) { write_sweep(r, out, false); };
  const rl::RlSweepResult r = rltrain::run_rl_sweep(spec, a.data, cb);
  if (r.points.empty()) throw IoError(out.string(), "interrupted before the first point: nothing written");
  write_sweep(r, out, true);
  const rl::ModelError e = rl::model_error(r);
  nlohmann::ordered_json j;
  j["sweep"] = spec.name;
  j["points"] = r.points.size();
  j["interrupted"] = r.interrupted;
  j["model_error_mean"] = e.mean;
  j["model_error_max"] = e.max;
  j["knees_matched"] = fmt::format("{} of {}", e.knees_matched, e.series);
  j["worst_throughput_at_predicted_knee"] = e.knee_throughput;
  j["results"] = out.string();
  out_line(j.dump());
}

void run_model(const ModelArgs& a) {
  const rl::SweepCsv csv = rl::read_sweep_csv(a.csv);
  if (csv.calibration_runs.empty()) throw ConfigError({a.csv, 0}, "phase", "no calibration rows in the sweep CSV");
  const rl::Calibration cal = [&] {
    try {
      return rl::calibrate(csv.calibration_runs);
    } catch (const ConfigError& e) {  // name the file the calibration rows came from
      throw ConfigError({a.csv, 0}, "phase", "calibration rows: {}", e.detail());
    }
  }();
  rl::TargetMachine t = a.target;
  t.learner_on_cpu = !a.gpu;
  if (t.cores <= 0) t.cores = cal.cores;
  nlohmann::ordered_json j;
  j["target"] = {{"cores", t.cores},
                 {"core_speed", t.core_speed},
                 {"core_scaling", t.core_scaling > 0 ? t.core_scaling : cal.core_scaling},
                 {"device_speed", t.device_speed},
                 {"learner_on_cpu", t.learner_on_cpu}};
  j["knees"] = nlohmann::ordered_json::array();
  for (rl::InferencePlacement p : {rl::InferencePlacement::actor, rl::InferencePlacement::central}) {
    rl::SystemConfig base;
    base.inference = p;
    base.envs_per_actor = a.envs_per_actor;
    base.inference_batch = p == rl::InferencePlacement::central ? a.inference_batch : a.envs_per_actor;
    const rl::Knee k = rl::knee(cal, t, base, a.max_actors);
    j["knees"].push_back({{"inference", rl::placement_name(p)},
                          {"envs_per_actor", base.envs_per_actor},
                          {"inference_batch", base.inference_batch},
                          {"optimal_actors", k.config.actors},
                          {"optimal_cpu_gpu_ratio", k.config.cpu_gpu_ratio()},
                          {"frames_per_second", k.prediction.frames_per_second},
                          {"best_frames_per_second", k.best_frames_per_second},
                          {"bound", k.prediction.bound}});
  }
  out_line(j.dump(2));
}

}  // namespace

std::function<void()> add_rl_commands(CLI::App& app) {
  CLI::App* rl = app.add_subcommand("rl", "Distributed RL: actor-learner training, CPU/GPU-ratio sweeps and model");
  rl->require_subcommand(1);

  auto t = std::make_shared<TrainArgs>();
  CLI::App* train = rl->add_subcommand("train", "Train a policy with N actor threads and a V-trace learner");
  train->add_option("--env", t->o.env, "cartpole, acrobot, pendulum, double_pendulum")->capture_default_str();
  train->add_option("--inference", t->inference, "actor (IMPALA) or central (SEED RL)")
      ->check(CLI::IsMember({"actor", "central"}))
      ->capture_default_str();
  train->add_option("--actors", t->o.system.actors, "Actor threads")->check(CLI::Range(1, 256))->capture_default_str();
  train->add_option("--envs-per-actor", t->o.system.envs_per_actor, "Environments per actor")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  train->add_option("--cores-per-actor", t->o.system.cores_per_actor, "Cores each actor is pinned to")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  train->add_option("--inference-batch", t->o.system.inference_batch, "Central inference batch")
      ->check(CLI::Range(1, 65536))
      ->capture_default_str();
  train->add_option("--frames", t->o.frames, "Environment frames to train for")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40))
      ->capture_default_str();
  train->add_option("--unroll", t->o.unroll, "Steps per unroll")->check(CLI::Range(2, 10000))->capture_default_str();
  train->add_option("--batch-unrolls", t->o.batch_unrolls, "Unrolls per update")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  train->add_option("--hidden", t->o.hidden, "Hidden units per layer")
      ->check(CLI::Range(1, 65536))
      ->capture_default_str();
  train->add_option("--lr", t->o.learning_rate, "Adam learning rate (linear decay to 0 over --frames)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  train->add_option("--entropy-cost", t->o.entropy_cost, "Entropy bonus weight")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  train->add_option("--discount", t->o.discount, "Discount")->check(CLI::Range(0.0, 1.0))->capture_default_str();
  train->add_option("--seed", t->o.seed, "Seed of weights, environments and actions")->capture_default_str();
  train->add_flag("--synchronous", t->o.synchronous, "One thread, actors in turn: bit-deterministic under the seed");
  train->add_option("--learner-device", t->o.learner_device, "cpu or cuda")
      ->check(CLI::IsMember({"cpu", "cuda"}))
      ->capture_default_str();
  train->add_option("--eval-episodes", t->eval_episodes, "Episodes of the trained policy evaluated at the end")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 30))
      ->capture_default_str();
  train->add_option("--data", t->data, "Data folder (MuJoCo models in rl/)")->capture_default_str();
  train->add_option("--out", t->out, "Also write curve.csv and summary.json to this folder");
  train->add_flag("-q,--quiet", t->quiet, "No progress bar");

  auto s = std::make_shared<SweepArgs>();
  CLI::App* sweep = rl->add_subcommand(
      "sweep", "Measure throughput (and power) over actors, cores, envs and batch; calibrate the ratio model");
  sweep->add_option("file", s->file, "Sweep file (kind: rl_sweep)")->required();
  sweep->add_option("--out", s->out, "Output folder (default: ./deepnvm-results/<sweep name>)");
  sweep->add_option("--data", s->data, "Data folder (MuJoCo models in rl/)")->capture_default_str();
  sweep->add_flag("-q,--quiet", s->quiet, "No progress lines");

  auto m = std::make_shared<ModelArgs>();
  CLI::App* model = rl->add_subcommand(
      "model", "Predict the optimal CPU/GPU ratio for a target machine from a sweep's calibration (its CSV)");
  model->add_option("csv", m->csv, "A sweep CSV written by rl sweep")->required();
  model->add_option("--cores", m->target.cores, "Target CPU cores (default: the calibration machine's)")
      ->check(CLI::Range(1, 1 << 20));
  model->add_option("--core-speed", m->target.core_speed, "Per-core speed relative to the calibration machine")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  model
      ->add_option("--device-speed", m->target.device_speed,
                   "Learner-device speed relative to the calibration learner (with --gpu)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  model
      ->add_option("--core-scaling", m->target.core_scaling,
                   "CPU cost of a frame with every core busy over one core busy (default: the calibration's)")
      ->check(CLI::Range(1.0, 100.0));
  model->add_flag("--gpu", m->gpu, "The learner and inference server run on an accelerator, not on CPU cores");
  model->add_option("--envs-per-actor", m->envs_per_actor, "Environments per actor")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  model->add_option("--inference-batch", m->inference_batch, "Central inference batch")
      ->check(CLI::Range(1, 65536))
      ->capture_default_str();
  model->add_option("--max-actors", m->max_actors, "Largest actor count considered")
      ->check(CLI::Range(1, 1 << 16))
      ->capture_default_str();

  return [=] {
    if (train->parsed()) run_train(*t);
    if (sweep->parsed()) run_sweep(*s);
    if (model->parsed()) run_model(*m);
  };
}

}  // namespace deepnvm::learn_cli
