// SPDX-License-Identifier: MIT
// Measured sweeps beside the ratio model: predictions, knees, CSV/JSON, plots, the CSV read back.
#include "deepnvm/rl/sweep_output.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <tuple>

#include <fmt/format.h>

#include "deepnvm/core/error.h"

namespace deepnvm::rl {

namespace {

using SeriesKey = std::tuple<int, int, int, int>;  // placement, envs, cores per actor, batch
SeriesKey series_of(const SystemConfig& c) {
  return {static_cast<int>(c.inference), c.envs_per_actor, c.cores_per_actor, c.inference_batch};
}

std::string series_label(const SystemConfig& c) {
  std::string s = fmt::format("{}, {} env{}/actor", placement_name(c.inference), c.envs_per_actor,
                              c.envs_per_actor == 1 ? "" : "s");
  if (c.cores_per_actor != 1) s += fmt::format(", {} cores/actor", c.cores_per_actor);
  if (c.inference == InferencePlacement::central) s += fmt::format(", batch {}", c.inference_batch);
  return s;
}

std::optional<double> watts(const Measurement& m) {
  if (!m.cpu_watts && !m.gpu_watts) return std::nullopt;
  return m.cpu_watts.value_or(0) + m.gpu_watts.value_or(0);
}

// The CSV's measurement columns: to_json()'s keys without the missing-sensor reasons.
std::vector<std::string> measurement_columns() {
  std::vector<std::string> keys;
  const nlohmann::ordered_json j = to_json(Measurement{});
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "cpu_power_missing" && it.key() != "gpu_missing") keys.push_back(it.key());
  return keys;
}

std::string cell(const nlohmann::ordered_json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return fmt::format("{:.9g}", v.get<double>());
  return v.dump();
}

std::map<SeriesKey, std::vector<std::size_t>> series_points(const RlSweepResult& r) {
  std::map<SeriesKey, std::vector<std::size_t>> series;
  for (std::size_t i = 0; i < r.points.size(); ++i) series[series_of(r.points[i].measured.config)].push_back(i);
  return series;
}

}  // namespace

std::vector<SystemConfig> calibration_points(const RlSweepSpec& spec, int cores) {
  const int envs = static_cast<int>(*std::max_element(spec.envs_per_actor.begin(), spec.envs_per_actor.end()));
  const int batch = static_cast<int>(*std::max_element(spec.inference_batch.begin(), spec.inference_batch.end()));
  const int big = std::max(envs, batch);
  using P = InferencePlacement;
  std::vector<SystemConfig> points{{P::actor, 1, 1, 1, 1}, {P::central, 1, 1, 1, 1}};
  if (envs > 1) points.push_back({P::actor, 1, 1, envs, envs});
  if (big > 1) points.push_back({P::central, 1, 1, big, big});
  if (cores > 1) points.push_back({P::actor, cores, 1, 1, 1});
  return points;
}

void predict_and_mark(RlSweepResult& r) {
  for (SweepPoint& p : r.points) {
    p.predicted = predict(r.calibration, r.machine, p.measured.config);
    p.knee = p.predicted_knee = false;
  }
  for (auto& [key, idx] : series_points(r)) {
    std::vector<Measurement> measured;
    for (std::size_t i : idx) measured.push_back(r.points[i].measured);
    r.points[idx[measured_knee(measured)]].knee = true;
    std::vector<Measurement> predicted = measured;
    for (std::size_t k = 0; k < idx.size(); ++k)
      predicted[k].frames_per_second = r.points[idx[k]].predicted.frames_per_second;
    r.points[idx[measured_knee(predicted)]].predicted_knee = true;
  }
}

ModelError model_error(const RlSweepResult& r) {
  ModelError e;
  for (const SweepPoint& p : r.points) {
    const double err = std::abs(p.predicted.frames_per_second / p.measured.frames_per_second - 1);
    e.mean += err / static_cast<double>(r.points.size());
    e.max = std::max(e.max, err);
  }
  for (const auto& [key, idx] : series_points(r)) {
    ++e.series;
    double best = 0, at_predicted = 0;
    for (std::size_t i : idx) {
      const SweepPoint& p = r.points[i];
      if (p.knee && p.predicted_knee) ++e.knees_matched;
      best = std::max(best, p.measured.frames_per_second);
      if (p.predicted_knee) at_predicted = p.measured.frames_per_second;
    }
    if (best > 0) e.knee_throughput = std::min(e.knee_throughput, at_predicted / best);
  }
  return e;
}

std::string sweep_csv(const RlSweepResult& r) {
  const std::vector<std::string> cols = measurement_columns();
  std::string out = "phase";
  for (const std::string& c : cols) out += "," + c;
  out += ",frames_per_joule,predicted_frames_per_second,predicted_bound,knee,predicted_knee\n";
  auto row = [&](const char* phase, const Measurement& m) {
    const nlohmann::ordered_json j = to_json(m);
    std::string line = phase;
    for (const std::string& c : cols) line += "," + cell(j.at(c));
    const auto w = watts(m);
    line += "," + (w && *w > 0 ? fmt::format("{:.9g}", m.frames_per_second / *w) : std::string());
    return line;
  };
  for (const Measurement& m : r.calibration_runs) out += row("calibration", m) + ",,,,\n";
  for (const SweepPoint& p : r.points)
    out += row("sweep", p.measured) + fmt::format(",{:.9g},{},{},{}\n", p.predicted.frames_per_second,
                                                  p.predicted.bound, p.knee ? 1 : 0, p.predicted_knee ? 1 : 0);
  return out;
}

nlohmann::ordered_json sweep_json(const RlSweepResult& r) {
  nlohmann::ordered_json j;
  j["sweep"] = RlSweepSpec::schema().to_json(r.spec);
  j["interrupted"] = r.interrupted;
  for (const Measurement& m : r.calibration_runs) j["calibration_runs"].push_back(to_json(m));
  const Calibration& c = r.calibration;
  j["calibration"] = {{"actor_cpu_per_frame_s", c.actor_frame},
                      {"actor_cpu_per_pass_s", c.actor_pass},
                      {"client_cpu_per_frame_s", c.client_frame},
                      {"client_cpu_per_pass_s", c.client_pass},
                      {"server_per_forward_fixed_s", c.central_fixed},
                      {"server_per_forward_observation_s", c.central_per_obs},
                      {"central_handover_s", c.central_handover},
                      {"learner_update_s", c.learner_update},
                      {"core_scaling", c.core_scaling},
                      {"frames_per_update", c.frames_per_update},
                      {"learner_on_cpu", c.learner_on_cpu}};
  j["machine"] = {{"cores", r.machine.cores}, {"learner_on_cpu", r.machine.learner_on_cpu}};
  j["points"] = nlohmann::ordered_json::array();
  for (const SweepPoint& p : r.points) {
    nlohmann::ordered_json pj = to_json(p.measured);
    pj["predicted_frames_per_second"] = p.predicted.frames_per_second;
    pj["predicted_bound"] = p.predicted.bound;
    pj["predicted_bounds"] = {
        {"actors", p.predicted.actor_bound}, {"cpu", p.predicted.cpu_bound}, {"learner", p.predicted.learner_bound}};
    pj["knee"] = p.knee;
    pj["predicted_knee"] = p.predicted_knee;
    j["points"].push_back(pj);
  }
  if (!r.points.empty()) {
    const ModelError e = model_error(r);
    j["model_error"] = {
        {"mean_relative", e.mean}, {"max_relative", e.max}, {"series", e.series}, {"knees_matched", e.knees_matched}};
  }
  return j;
}

std::vector<report::Plot> sweep_plots(const RlSweepResult& r) {
  const std::string name = r.spec.name;
  const auto series = series_points(r);
  std::string through = fmt::format(
      "# {}: environment frames per second against the CPU/GPU ratio (actor cores per learner device)\n"
      "# one block per series; columns: ratio, measured, predicted, measured at the knee, predicted at the knee\n",
      r.spec.env);
  std::string perf = "# frames per joule (CPU package + GPU) against the CPU/GPU ratio; one block per series\n";
  std::string through_body = "plot ", perf_body = "plot ";
  bool any_power = false;
  std::string missing;
  int index = 0;
  for (const auto& [key, idx] : series) {
    const std::string label = series_label(r.points[idx.front()].measured.config);
    through += fmt::format("# {}\n", label);
    perf += fmt::format("# {}\n", label);
    for (std::size_t i : idx) {
      const SweepPoint& p = r.points[i];
      const double ratio = p.measured.config.cpu_gpu_ratio();
      through += fmt::format("{:.6g} {:.6g} {:.6g} {} {}\n", ratio, p.measured.frames_per_second,
                             p.predicted.frames_per_second,
                             p.knee ? fmt::format("{:.6g}", p.measured.frames_per_second) : "NaN",
                             p.predicted_knee ? fmt::format("{:.6g}", p.predicted.frames_per_second) : "NaN");
      const auto w = watts(p.measured);
      any_power = any_power || w.has_value();
      if (!w) missing = p.measured.cpu_power_missing.empty() ? p.measured.gpu_missing : p.measured.cpu_power_missing;
      perf += fmt::format("{:.6g} {}\n", ratio,
                          w && *w > 0 ? fmt::format("{:.6g}", p.measured.frames_per_second / *w) : std::string("NaN"));
    }
    through += "\n\n";
    perf += "\n\n";
    const int lc = index + 1;
    through_body += fmt::format(
        "{}datafile index {} using 1:2 with linespoints lw 2 pt 7 lc {} title {}, \\\n"
        "     datafile index {} using 1:3 with lines dt 2 lw 2 lc {} title \"model\", \\\n"
        "     datafile index {} using 1:4 with points pt 6 ps 3 lc {} notitle, \\\n"
        "     datafile index {} using 1:5 with points pt 4 ps 3 lc {} notitle",
        index ? ", \\\n     " : "", index, lc, report::gp_quote(label), index, lc, index, lc, index, lc);
    perf_body += fmt::format("{}datafile index {} using 1:2 with linespoints lw 2 pt 7 lc {} title {}",
                             index ? ", \\\n     " : "", index, lc, report::gp_quote(label));
    ++index;
  }
  through_body += "\n";
  const std::string setup_common =
      "set grid\nset key outside right\nset xlabel \"CPU/GPU ratio (actor cores per learner device)\"\n";
  std::vector<report::Plot> plots;
  plots.push_back(report::gnuplot_plot(
      name + "_throughput", fmt::format("{}: frames per second against the CPU/GPU ratio", r.spec.env), through, 1000,
      600,
      fmt::format("datafile = \"{}_throughput.dat\"\n{}set ylabel \"environment frames per second\"\nset yrange [0:*]\n"
                  "set title \"{}: measured (solid), model (dashed); circle: measured knee, square: model's knee\"\n",
                  name, setup_common, r.spec.env),
      through_body, "deepnvm rl sweep"));
  if (!any_power) {
    // No sensor: the axes and a note, no invented numbers.
    double top = 1;
    for (const SweepPoint& p : r.points) top = std::max(top, p.measured.config.cpu_gpu_ratio());
    perf_body = fmt::format(
        "set xrange [0:{}]\nset yrange [0:1]\nunset ytics\nset label 1 {} at graph 0.5, 0.5 center\n"
        "plot NaN notitle\n",
        top + 1, report::gp_quote("no power sensor: " + missing));
  } else {
    perf_body += "\n";
  }
  plots.push_back(report::gnuplot_plot(
      name + "_perf_per_watt", fmt::format("{}: frames per joule against the CPU/GPU ratio", r.spec.env), perf, 1000,
      600,
      fmt::format("datafile = \"{}_perf_per_watt.dat\"\n{}set ylabel \"frames per joule\"\nset title \"{}\"\n", name,
                  setup_common, r.spec.env),
      perf_body, "deepnvm rl sweep"));
  return plots;
}

SweepCsv read_sweep_csv(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw IoError(path.string(), "cannot open for reading");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  {
    std::stringstream ss(line);
    for (std::string h; std::getline(ss, h, ',');) header.push_back(h);
  }
  const std::vector<std::string> wanted = measurement_columns();
  for (const std::string& w : wanted)
    if (std::find(header.begin(), header.end(), w) == header.end())
      throw ConfigError({path.string(), 1}, w, "column missing from the sweep CSV header");
  SweepCsv out;
  std::size_t line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
    while (cells.size() < header.size()) cells.emplace_back();
    nlohmann::json j;
    for (std::size_t k = 0; k < header.size(); ++k) {
      const std::string& key = header[k];
      if (std::find(wanted.begin(), wanted.end(), key) == wanted.end()) continue;
      const std::string& v = cells[k];
      if (key == "env" || key == "inference" || key == "learner_device") {
        j[key] = v;
      } else if (v.empty()) {
        j[key] = nullptr;
      } else {
        try {
          std::size_t used = 0;
          j[key] = std::stod(v, &used);
          if (used != v.size()) throw std::invalid_argument(v);
        } catch (const std::exception&) {
          throw ConfigError({path.string(), line_no}, key, "expected a number, got '{}'", v);
        }
      }
    }
    j["cpu_power_missing"] = "";
    j["gpu_missing"] = "";
    const std::string where = fmt::format("{}:{}", path.string(), line_no);
    Measurement m = measurement_from_json(j, where);
    (cells[0] == "calibration" ? out.calibration_runs : out.points).push_back(std::move(m));
  }
  return out;
}

}  // namespace deepnvm::rl
