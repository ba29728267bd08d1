// SPDX-License-Identifier: MIT
#pragma once
// The array model side by side with NVSim on the reference set (shared/reference/nvsim): every
// accepted forced-organisation RAM (part A) and every full cache search (part B), per metric, with
// the goals (median |error| <= 10 %, every case <= 25 %) asserted over the set. With
// DEEPNVM_VALIDATION_REPORT=FILE the per-case table is also written there as Markdown
// (docs/validation/array.md; scripts/validate-array regenerates it).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "deepnvm/array/evaluate.h"
#include "deepnvm/core/error.h"
#include "reference_data.h"

namespace deepnvm {
namespace validation {

namespace fs = std::filesystem;
using nlohmann::json;

inline constexpr std::array<const char*, 6> kMetrics{"area",        "read latency", "write latency",
                                                     "read energy", "write energy", "leakage"};

struct CaseOutcome {
  std::string id, group, note;
  bool evaluated = false;
  bool below_22nm = false;  // NVSim has no device data there; we use deepnvm's FinFET tables
  std::string error;        // our error message, when we refuse the case
  std::array<std::optional<double>, 6> ours, theirs;
  bool same_organization = true;
  double target_difference = 0.0;  // caches: largest relative difference of the per-array target value
  double seconds = 0.0;
  double nvsim_seconds = 0.0;
};

inline double ref_or_max(const json& results, const char* key, const char* set_key, const char* reset_key) {
  if (results.contains(key)) return results[key].get<double>();
  return std::max(results[set_key].get<double>(), results[reset_key].get<double>());
}

inline ArrayResult evaluate_case(const json& c) {
  const fs::path dir = testing::nvsim_reference_dir();
  NvsimConfig config = load_nvsim_config(dir / "inputs" / (c["id"].get<std::string>() + ".cfg"));
  config.cell_file = dir / "cells" / config.cell_file_as_written;
  return evaluate_nvsim_config(config, DEEPNVM_DATA_DIR);
}

inline bool same_organization(const ArrayDesign& d, const json& o) {
  const BankSpec& s = d.spec;
  return o["mats_per_bank"][0] == s.mat_rows && o["mats_per_bank"][1] == s.mat_columns &&
         o["active_mat_rows"] == s.active_mat_rows && o["active_mat_cols"] == s.active_mat_columns &&
         o["subarrays_per_mat"][0] == s.subarray_rows && o["subarrays_per_mat"][1] == s.subarray_columns &&
         o["mux_senseamp"] == s.subarray.mux_sense_amp && o["mux_output_lev1"] == s.subarray.mux_output_lev1 &&
         o["mux_output_lev2"] == s.subarray.mux_output_lev2;
}

inline CaseOutcome run_case(const json& c) {
  CaseOutcome out;
  out.id = c["id"];
  out.group = c["group"];
  out.note = c.value("note", json()).is_string() ? c["note"].get<std::string>() : "";
  out.nvsim_seconds = c.value("wall_seconds_precise", 0.0);
  out.below_22nm = std::stoi(c["inputs"]["cfg"]["ProcessNode"].get<std::string>()) < 22;
  const auto start = std::chrono::steady_clock::now();
  try {
    const ArrayResult r = evaluate_case(c);
    out.evaluated = true;
    const ArrayFigures& f = r.figures;
    out.ours = {f.area, f.read_latency, f.write_latency, f.read_energy, f.write_energy, f.leakage};
    if (c["status"] == "ok") {
      const json& res = c["results"];
      if (c["kind"] == "cache") {
        out.theirs = {res["area_m2"].get<double>(),
                      res["hit_latency_s"].get<double>(),
                      res["write_latency_s"].get<double>(),
                      res["hit_dynamic_energy_J"].get<double>(),
                      res["write_dynamic_energy_J"].get<double>(),
                      res["leakage_power_W"].get<double>()};
        out.same_organization = same_organization(r.data, c["organization"]["data_array"]) &&
                                same_organization(*r.tag, c["organization"]["tag_array"]);
        // NVSim optimises each array for the target on its own (quirk Q2): compare per array.
        const std::string target = c["inputs"]["cfg"]["OptimizationTarget"];
        auto value = [&](const Bank& b) {
          return target == "ReadEDP" ? b.read_latency * b.read_energy : target == "Area" ? b.area() : b.read_latency;
        };
        auto reference = [&](const json& a) {
          return target == "ReadEDP" ? a["read_latency_s"].get<double>() * a["read_dynamic_energy_J"].get<double>()
                 : target == "Area"  ? a["area_m2"].get<double>()
                                     : a["read_latency_s"].get<double>();
        };
        for (const auto& [ours, key] : {std::pair{&r.data.bank, "data_array"}, std::pair{&r.tag->bank, "tag_array"}})
          out.target_difference = std::max(out.target_difference, std::fabs(value(*ours) / reference(res[key]) - 1.0));
      } else {
        out.theirs = {res["area_m2"].get<double>(),
                      res["read_latency_s"].get<double>(),
                      ref_or_max(res, "write_latency_s", "set_latency_s", "reset_latency_s"),
                      res["read_dynamic_energy_J"].get<double>(),
                      ref_or_max(res, "write_dynamic_energy_J", "set_dynamic_energy_J", "reset_dynamic_energy_J"),
                      res["leakage_power_W"].get<double>()};
      }
    }
  } catch (const Error& e) {
    out.error = e.what();
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

inline double relative_error(const CaseOutcome& c, std::size_t m) {
  return std::fabs(*c.ours[m] - *c.theirs[m]) / std::fabs(*c.theirs[m]);
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

inline std::string report(const std::vector<CaseOutcome>& cases, const std::string& title) {
  std::string md = fmt::format("## {}\n\n| case | group | ", title);
  for (const char* m : kMetrics) md += fmt::format("{} | ", m);
  md += "organisation | deepnvm time | NVSim time |\n|---|---|";
  for (std::size_t i = 0; i < kMetrics.size() + 3; ++i) md += "---|";
  md += "\n";
  std::array<std::vector<double>, 6> errors;
  for (const auto& c : cases) {
    md += fmt::format("| {} | {} | ", c.id, c.group);
    if (!c.evaluated) {
      md += fmt::format("refused: {} |", c.error);
      for (std::size_t i = 0; i < kMetrics.size() + 2; ++i) md += " |";
      md += "\n";
      continue;
    }
    for (std::size_t m = 0; m < kMetrics.size(); ++m) {
      if (!c.theirs[m]) {
        md += "- | ";
        continue;
      }
      const double e = relative_error(c, m);
      errors[m].push_back(e);
      md += fmt::format("{:+.2f} % | ", 100.0 * (*c.ours[m] - *c.theirs[m]) / *c.theirs[m]);
    }
    md += fmt::format(
        "{} | {:.3f} s | {:.3f} s |\n",
        c.same_organization ? "same" : fmt::format("differs (target {:+.2f} %)", 100.0 * c.target_difference),
        c.seconds, c.nvsim_seconds);
  }
  md += "\n| metric | cases | median abs error | max abs error |\n|---|---|---|---|\n";
  for (std::size_t m = 0; m < kMetrics.size(); ++m) {
    if (errors[m].empty()) continue;
    md += fmt::format("| {} | {} | {:.2f} % | {:.2f} % |\n", kMetrics[m], errors[m].size(), 100.0 * median(errors[m]),
                      100.0 * *std::max_element(errors[m].begin(), errors[m].end()));
  }
  return md + "\n";
}

// The goals of the issue over a set of accepted cases; returns a description of every failure.
inline std::string check_goals(const std::vector<CaseOutcome>& cases, double median_goal, double max_goal) {
  std::string failures;
  for (std::size_t m = 0; m < kMetrics.size(); ++m) {
    std::vector<double> errors;
    for (const auto& c : cases) {
      if (!c.evaluated) continue;
      if (!c.theirs[m]) continue;
      const double e = relative_error(c, m);
      errors.push_back(e);
      if (e > max_goal)
        failures += fmt::format("{} {}: ours {:.5g}, NVSim {:.5g} ({:+.1f} %)\n", c.id, kMetrics[m], *c.ours[m],
                                *c.theirs[m], 100.0 * (*c.ours[m] - *c.theirs[m]) / *c.theirs[m]);
    }
    if (!errors.empty() && median(errors) > median_goal)
      failures += fmt::format("{}: median error {:.1f} % above {:.0f} %\n", kMetrics[m], 100.0 * median(errors),
                              100.0 * median_goal);
  }
  return failures;
}

inline void append_report(const std::string& section) {
  const char* path = std::getenv("DEEPNVM_VALIDATION_REPORT");
  if (!path) return;
  std::ofstream(path, std::ios::app) << section;
}

}  // namespace validation
}  // namespace deepnvm
