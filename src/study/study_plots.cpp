// SPDX-License-Identifier: MIT
// Plots of a study: gnuplot data files and scripts, and the images drawn by running gnuplot.
#include "deepnvm/study/study_plots.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "deepnvm/core/atomic_file.h"
#include "deepnvm/core/error.h"

namespace deepnvm::study {

using report::gp_quote;

namespace {

std::string record_label(const StudyRecord& r) { return fmt::format("{} {} b{}", r.workload, r.mode, r.batch); }

std::string num(double v) { return fmt::format("{:.9g}", v); }

// Per-workload EDP reduction bars: one group per workload, one bar per technology; two panels, one per
// delay model.
Plot make_plot(const std::string& name, std::string caption, const std::string& dat, int width, int height,
               const std::string& setup, const std::string& body) {
  return gnuplot_plot(name, std::move(caption), dat, width, height, setup, body, "deepnvm run");
}

Plot edp_bars(const StudyResults& res, const std::vector<StudyRecord>& records, const std::string& name,
              const std::string& study_label, bool iso_area) {
  std::vector<std::string> labels;
  std::map<std::string, std::map<std::string, PerDelay>> ratio;  // label -> technology -> ratio
  std::map<std::string, std::uint64_t> capacity;                 // technology -> capacity
  for (const StudyRecord& r : records) {
    const std::string label = record_label(r);
    if (!ratio.contains(label)) labels.push_back(label);
    ratio[label][r.l2.technology] = r.edp_ratio;
    capacity[r.l2.technology] = r.l2.capacity;
  }
  const std::vector<std::string>& techs = res.technologies;
  std::string dat = fmt::format(
      "# {} EDP reduction: EDP of {} / EDP of the technology (> 1: the technology is better)\n"
      "# columns: workload; per technology its access_sum ratio; per technology its roofline ratio\n# workload",
      study_label, res.baseline);
  for (const char* delay : {"access_sum", "roofline"})
    for (const std::string& t : techs) dat += fmt::format(" {}:{}", t, delay);
  dat += "\n";
  for (const std::string& label : labels) {
    dat += gp_quote(label);
    for (bool roof : {false, true})
      for (const std::string& t : techs) {
        const auto it = ratio[label].find(t);
        dat += it == ratio[label].end() ? " NaN" : " " + num(roof ? it->second.roofline : it->second.access_sum);
      }
    dat += "\n";
  }

  const std::string datname = name + ".dat";
  const std::string setup = fmt::format(
      "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.85 border -1\n"
      "set boxwidth 0.9\nset grid ytics\nset key outside right top\nset yrange [0:*]\n"
      "set xtics rotate by -30 scale 0\nset ylabel \"EDP reduction vs {} (x)\"\n"
      "set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dashtype 2 linecolor rgb \"black\"\n",
      res.baseline);
  std::string body =
      fmt::format("set multiplot layout 2,1 title {}\n",
                  gp_quote(fmt::format("{}: EDP reduction vs {} per workload", study_label, res.baseline)));
  const std::size_t n = techs.size();
  for (bool roof : {false, true}) {
    body += fmt::format("set title \"delay model: {}\"\nplot ", roof ? "roofline" : "access_sum");
    for (std::size_t i = 0; i < n; ++i) {
      std::string title = techs[i];
      if (iso_area && capacity.contains(techs[i]))
        title += fmt::format(" ({:g} MiB)", static_cast<double>(capacity[techs[i]]) / (1 << 20));
      body += fmt::format("{}{} using {}{} title {}", i ? ", \\\n     " : "", i ? "''" : gp_quote(datname),
                          2 + i + (roof ? n : 0), i ? "" : ":xtic(1)", gp_quote(title));
    }
    body += "\n";
  }
  body += "unset multiplot\n";
  const int height = 700;
  const int width = std::max(900, 160 + static_cast<int>(labels.size() * (n * 18 + 30)));
  return make_plot(name,
                   fmt::format("{} EDP reduction vs {} per workload and technology (top: access_sum delay; bottom: "
                               "roofline delay)",
                               study_label, res.baseline),
                   dat, width, height, setup, body);
}

// Scalability: geometric mean over workloads of the EDP per technology against capacity, log-log.
Plot scalability_curves(const StudyResults& res) {
  struct Acc {
    double log_access = 0, log_roof = 0;
    std::size_t count = 0;
  };
  std::map<std::uint64_t, std::map<std::string, Acc>> acc;  // capacity -> technology -> sums
  for (const StudyRecord& r : res.scalability) {
    const PerDelay edp = r.result.edp();
    Acc& a = acc[r.l2.capacity][r.l2.technology];
    a.log_access += std::log(edp.access_sum);
    a.log_roof += std::log(edp.roofline);
    ++a.count;
  }
  const std::vector<std::string>& techs = res.technologies;
  std::string dat =
      "# Scalability: geometric mean over the study's workloads of the EDP (J s) at each L2 capacity\n"
      "# columns: capacity (MiB); per technology its access_sum EDP; per technology its roofline EDP\n# capacity_mib";
  for (const char* delay : {"access_sum", "roofline"})
    for (const std::string& t : techs) dat += fmt::format(" {}:{}", t, delay);
  dat += "\n";
  for (const auto& [cap, per_tech] : acc) {
    dat += num(static_cast<double>(cap) / (1 << 20));
    for (bool roof : {false, true})
      for (const std::string& t : techs) {
        const auto it = per_tech.find(t);
        if (it == per_tech.end() || it->second.count == 0) {
          dat += " NaN";
          continue;
        }
        const double s = roof ? it->second.log_roof : it->second.log_access;
        dat += " " + num(std::exp(s / static_cast<double>(it->second.count)));
      }
    dat += "\n";
  }
  const std::string name = "scalability";
  const std::string datname = name + ".dat";
  const std::string setup =
      "set logscale xy\nset grid xtics ytics mxtics mytics\nset key outside right top\n"
      "set xlabel \"L2 capacity (MiB)\"\nset ylabel \"EDP (J s), geometric mean over workloads\"\n"
      "set format y \"%.0e\"\nset style data linespoints\n";
  std::string body = "set multiplot layout 1,2 title \"Scalability: EDP vs L2 capacity\"\n";
  const std::size_t n = techs.size();
  for (bool roof : {false, true}) {
    body += fmt::format("set title \"delay model: {}\"\nplot ", roof ? "roofline" : "access_sum");
    for (std::size_t i = 0; i < n; ++i)
      body += fmt::format("{}{} using 1:{} title {} linewidth 2 pointtype {}", i ? ", \\\n     " : "",
                          i ? "''" : gp_quote(datname), 2 + i + (roof ? n : 0), gp_quote(techs[i]), 5 + 2 * i);
    body += "\n";
  }
  body += "unset multiplot\n";
  return make_plot(name,
                   "Scalability: EDP (geometric mean over workloads) vs L2 capacity per technology, log-log (left: "
                   "access_sum delay; right: roofline delay)",
                   dat, 1200, 550, setup, body);
}

// Energy breakdown per technology at iso-capacity, summed over the workloads.
Plot energy_breakdown(const StudyResults& res) {
  struct Sum {
    double dynamic = 0, leak_access = 0, leak_roof = 0, dram = 0;
  };
  std::map<std::string, Sum> sums;
  for (const StudyRecord& r : res.iso_capacity) {
    Sum& s = sums[r.l2.technology];
    s.dynamic += r.result.dynamic;
    s.leak_access += r.result.leakage.access_sum;
    s.leak_roof += r.result.leakage.roofline;
    s.dram += r.result.dram;
  }
  std::string dat =
      "# Iso-capacity energy (mJ) per technology, summed over the study's workloads (one iteration or inference "
      "each)\n# technology dynamic leakage:access_sum dram leakage:roofline\n";
  for (const std::string& t : res.technologies) {
    const auto it = sums.find(t);
    if (it == sums.end()) continue;
    const Sum& s = it->second;
    dat += fmt::format("{} {} {} {} {}\n", gp_quote(t), num(s.dynamic * 1e3), num(s.leak_access * 1e3),
                       num(s.dram * 1e3), num(s.leak_roof * 1e3));
  }
  const std::string name = "energy_breakdown";
  const std::string datname = name + ".dat";
  const std::string setup =
      "set style data histograms\nset style histogram rowstacked\nset style fill solid 0.85 border -1\n"
      "set boxwidth 0.6\nset grid ytics\nset key outside right top\nset yrange [0:*]\n"
      "set ylabel \"energy (mJ), sum over workloads\"\n";
  std::string body = "set multiplot layout 1,2 title \"Energy breakdown at iso-capacity\"\n";
  for (bool roof : {false, true})
    body += fmt::format(
        "set title \"leakage over the {} delay\"\n"
        "plot {} using 2:xtic(1) title \"L2 dynamic\", '' using {} title \"L2 leakage\", '' using 4 title "
        "\"DRAM\"\n",
        roof ? "roofline" : "access_sum", gp_quote(datname), roof ? 5 : 3);
  body += "unset multiplot\n";
  return make_plot(name,
                   "Energy breakdown (L2 dynamic, L2 leakage, DRAM) per technology at iso-capacity, summed over the "
                   "workloads (left: leakage over the access_sum delay; right: over the roofline delay)",
                   dat, 1100, 550, setup, body);
}

}  // namespace

std::vector<Plot> study_plots(const StudyResults& res) {
  std::vector<Plot> plots;
  if (!res.iso_capacity.empty())
    plots.push_back(edp_bars(res, res.iso_capacity, "edp_iso_capacity", "Iso-capacity", false));
  if (!res.iso_area.empty()) plots.push_back(edp_bars(res, res.iso_area, "edp_iso_area", "Iso-area", true));
  if (!res.scalability.empty()) plots.push_back(scalability_curves(res));
  if (!res.iso_capacity.empty()) plots.push_back(energy_breakdown(res));
  return plots;
}

PlotOutcome write_plots(const StudyResults& results, const std::filesystem::path& dir, std::filesystem::path gnuplot) {
  return write_plots(study_plots(results), dir, std::move(gnuplot));
}

}  // namespace deepnvm::study
