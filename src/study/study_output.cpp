// SPDX-License-Identifier: MIT
// Study records and their views: results.json, results.csv, report.md and the terminal summary.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "deepnvm/core/error.h"
#include "deepnvm/core/quantity.h"
#include "deepnvm/core/text.h"
#include "deepnvm/report/json_output.h"
#include "deepnvm/report/table.h"
#include "deepnvm/study/l2_array.h"
#include "deepnvm/study/study.h"
#include "deepnvm/study/study_plots.h"

namespace deepnvm::study {

std::vector<StudyRecord> compare_technologies(const Traffic& traffic, const std::vector<L2Figures>& l2,
                                              const std::string& baseline, const SystemRates& rates,
                                              const EnergyDelayOptions& options) {
  std::vector<StudyRecord> out;
  const StudyRecord* base = nullptr;
  for (const L2Figures& f : l2) {
    StudyRecord r;
    r.traffic_source = traffic.source;
    r.l2 = f;
    r.result = evaluate_energy_delay(traffic, f, rates, options);
    out.push_back(std::move(r));
  }
  for (const StudyRecord& r : out)
    if (r.l2.technology == baseline) base = &r;
  if (!base) throw ModelError("no L2 of the baseline technology '{}' to compare against", baseline);
  const PerDelay b = base->result.edp();
  for (StudyRecord& r : out) {
    const PerDelay e = r.result.edp();
    r.edp_ratio = {b.access_sum / e.access_sum, b.roofline / e.roofline};
  }
  return out;
}

RatioStats ratio_stats(const std::vector<std::pair<std::string, double>>& values) {
  RatioStats s;
  if (values.empty()) return s;
  double log_sum = 0;
  s.max = -1;
  for (const auto& [name, v] : values) {
    if (v > s.max) {
      s.max = v;
      s.max_workload = name;
    }
    s.mean += v;
    log_sum += std::log(v);
  }
  s.count = values.size();
  s.mean /= static_cast<double>(s.count);
  s.geomean = std::exp(log_sum / static_cast<double>(s.count));
  return s;
}

namespace {

std::string record_name(const StudyRecord& r) { return fmt::format("{} {} b{}", r.workload, r.mode, r.batch); }

nlohmann::ordered_json stats_json(const RatioStats& s) {
  return {{"max", s.max},
          {"max_workload", s.max_workload},
          {"mean", s.mean},
          {"geomean", s.geomean},
          {"workloads", s.count}};
}

nlohmann::ordered_json per_delay(const PerDelay& p) { return {{"access_sum", p.access_sum}, {"roofline", p.roofline}}; }

RatioStats stats_of(const std::vector<StudyRecord>& records, const std::string& tech, std::uint64_t capacity,
                    bool roofline) {
  std::vector<std::pair<std::string, double>> v;
  for (const StudyRecord& r : records)
    if (r.l2.technology == tech && (capacity == 0 || r.l2.capacity == capacity))
      v.emplace_back(record_name(r), roofline ? r.edp_ratio.roofline : r.edp_ratio.access_sum);
  return ratio_stats(v);
}

const L2Figures* iso_l2(const StudyResults& res, const std::string& tech) {
  for (const L2Figures& f : res.iso_capacity_l2)
    if (f.technology == tech) return &f;
  return nullptr;
}

std::pair<std::uint64_t, std::uint64_t> scal_range(const StudyResults& res) {
  std::uint64_t lo = ~0ull, hi = 0;
  for (const StudyRecord& r : res.scalability) lo = std::min(lo, r.l2.capacity), hi = std::max(hi, r.l2.capacity);
  return {lo, hi};
}

nlohmann::ordered_json record_json(const StudyRecord& r) {
  nlohmann::ordered_json j;
  j["workload"] = r.workload;
  j["mode"] = r.mode;
  j["batch"] = r.batch;
  j["technology"] = r.l2.technology;
  j["capacity_bytes"] = r.l2.capacity;
  j["area_m2"] = r.l2.area;
  j["traffic_source"] = r.traffic_source;
  const EnergyDelay& e = r.result;
  j["traffic"] = {{"read_sectors", e.ops.reads},
                  {"write_sectors", e.ops.writes},
                  {"fill_sectors", e.ops.fills},
                  {"writeback_sectors", e.ops.writebacks}};
  j["energy_j"] = {{"dynamic", e.dynamic}, {"leakage", per_delay(e.leakage)}, {"dram", e.dram}};
  j["delay_s"] = per_delay(e.delay);
  j["edp_js"] = per_delay(e.edp());
  j["edp_ratio_vs_sram"] = per_delay(r.edp_ratio);
  return j;
}

}  // namespace

nlohmann::ordered_json headline_json(const StudyResults& res) {
  nlohmann::ordered_json h = nlohmann::ordered_json::object();
  const auto [scal_lo, scal_hi] = scal_range(res);
  const L2Figures* base = iso_l2(res, res.baseline);
  for (const std::string& tech : res.technologies) {
    if (tech == res.baseline) continue;
    nlohmann::ordered_json t;
    const L2Figures* f = iso_l2(res, tech);
    nlohmann::ordered_json ic;
    ic["area_reduction"] = base && f ? base->area / f->area : 0.0;
    ic["edp_reduction"] = {{"access_sum", stats_json(stats_of(res.iso_capacity, tech, 0, false))},
                           {"roofline", stats_json(stats_of(res.iso_capacity, tech, 0, true))}};
    t["iso_capacity"] = std::move(ic);
    for (const IsoAreaCapacity& c : res.iso_area_capacities)
      if (c.technology == tech)
        t["iso_area"] = {{"capacity_bytes", c.capacity},
                         {"capacity_gain", c.capacity_gain},
                         {"area_m2", c.area},
                         {"area_budget_m2", c.area_budget},
                         {"edp_reduction",
                          {{"access_sum", stats_json(stats_of(res.iso_area, tech, 0, false))},
                           {"roofline", stats_json(stats_of(res.iso_area, tech, 0, true))}}}};
    if (!res.scalability.empty()) {
      nlohmann::ordered_json s;
      for (const auto& [label, cap] : {std::pair{"smallest", scal_lo}, std::pair{"largest", scal_hi}})
        s[label] = {{"capacity_bytes", cap},
                    {"edp_reduction",
                     {{"access_sum", stats_json(stats_of(res.scalability, tech, cap, false))},
                      {"roofline", stats_json(stats_of(res.scalability, tech, cap, true))}}}};
      t["scalability"] = std::move(s);
    }
    h[tech] = std::move(t);
  }
  return h;
}

nlohmann::ordered_json results_json(const StudyResults& res) {
  nlohmann::ordered_json doc = json_document("run");
  doc["context"]["inputs_hash"] = res.inputs_hash;
  doc["study"] = {{"name", res.name},
                  {"description", res.description},
                  {"gpu", res.gpu},
                  {"baseline", res.baseline},
                  {"technologies", res.technologies},
                  {"baseline_capacity_bytes", res.baseline_capacity},
                  {"slices", res.slices},
                  {"dram_energy", res.dram_energy},
                  {"dram_type", res.dram_type},
                  {"dram_energy_per_bit_j", res.rates.dram_energy_per_bit},
                  {"dram_source", res.dram_source},
                  {"peak_flops", res.rates.peak_flops},
                  {"dram_bandwidth_bps", res.rates.dram_bandwidth},
                  {"slice_cycle_s", res.rates.slice_cycle},
                  {"notes", res.notes}};
  auto l2 = nlohmann::ordered_json::array();
  for (const L2Figures& f : res.iso_capacity_l2) l2.push_back(to_json(f));
  doc["l2"] = std::move(l2);
  doc["headline"] = headline_json(res);
  auto list = [&](const std::vector<StudyRecord>& recs) {
    auto a = nlohmann::ordered_json::array();
    for (const StudyRecord& r : recs) a.push_back(record_json(r));
    return a;
  };
  doc["iso_capacity"] = list(res.iso_capacity);
  doc["iso_area"] = list(res.iso_area);
  auto caps = nlohmann::ordered_json::array();
  for (const IsoAreaCapacity& c : res.iso_area_capacities) {
    auto tried = nlohmann::ordered_json::array();
    for (const auto& [slice, area] : c.evaluated) tried.push_back({{"slice_bytes", slice}, {"area_m2", area}});
    caps.push_back({{"technology", c.technology},
                    {"capacity_bytes", c.capacity},
                    {"capacity_gain", c.capacity_gain},
                    {"area_m2", c.area},
                    {"area_budget_m2", c.area_budget},
                    {"evaluated", std::move(tried)}});
  }
  doc["iso_area_search"] = std::move(caps);
  doc["scalability"] = list(res.scalability);
  return doc;
}

std::string results_csv(const StudyResults& res) {
  std::string out =
      "study,workload,mode,batch,technology,capacity_bytes,area_m2,read_sectors,write_sectors,fill_sectors,"
      "writeback_sectors,energy_dynamic_j,energy_leakage_access_sum_j,energy_leakage_roofline_j,energy_dram_j,"
      "delay_access_sum_s,delay_roofline_s,edp_access_sum_js,edp_roofline_js,edp_ratio_vs_sram_access_sum,"
      "edp_ratio_vs_sram_roofline\n";
  auto rows = [&](const char* study, const std::vector<StudyRecord>& recs) {
    for (const StudyRecord& r : recs) {
      const EnergyDelay& e = r.result;
      const PerDelay edp = e.edp();
      out += fmt::format(
          "{},{},{},{},{},{},{:.9g},{:.0f},{:.0f},{:.0f},{:.0f},{:.9g},{:.9g},{:.9g},{:.9g},{:.9g},{:.9g},"
          "{:.9g},{:.9g},{:.9g},{:.9g}\n",
          study, csv_field(r.workload), r.mode, r.batch, csv_field(r.l2.technology), r.l2.capacity, r.l2.area,
          e.ops.reads, e.ops.writes, e.ops.fills, e.ops.writebacks, e.dynamic, e.leakage.access_sum, e.leakage.roofline,
          e.dram, e.delay.access_sum, e.delay.roofline, edp.access_sum, edp.roofline, r.edp_ratio.access_sum,
          r.edp_ratio.roofline);
    }
  };
  rows("iso_capacity", res.iso_capacity);
  rows("iso_area", res.iso_area);
  rows("scalability", res.scalability);
  return out;
}

std::string kernels_csv(const StudyResults& res) {
  std::string out =
      "workload,mode,batch,technology,kernel,name,layer,bound,energy_dynamic_j,energy_leakage_access_sum_j,"
      "energy_leakage_roofline_j,energy_dram_j,delay_access_sum_s,delay_roofline_s\n";
  for (const StudyRecord& r : res.iso_capacity)
    for (std::size_t i = 0; i < r.result.kernels.size(); ++i) {
      const KernelEnergyDelay& k = r.result.kernels[i];
      out += fmt::format("{},{},{},{},{},{},{},{},{:.9g},{:.9g},{:.9g},{:.9g},{:.9g},{:.9g}\n", csv_field(r.workload),
                         r.mode, r.batch, csv_field(r.l2.technology), i, csv_field(k.name), csv_field(k.layer),
                         bound_name(k.bound), k.dynamic, k.leakage.access_sum, k.leakage.roofline, k.dram,
                         k.delay.access_sum, k.delay.roofline);
    }
  return out;
}

namespace {

std::string mib(std::uint64_t b) { return fmt::format("{:g} MiB", static_cast<double>(b) / (1 << 20)); }
std::string x(double v) { return fmt::format("{:.2f}x", v); }

// Published headline figures (shared/docs/MISSION.md; abstracts of DATE'20, arXiv 2012.04559 and
// arXiv 2206.13601 as recorded in shared/docs/notes/deepnvm-paper.md §1).
struct Published {
  const char* tech;
  const char* iso_capacity_edp;
  const char* iso_capacity_area;
  const char* iso_area_edp;
  const char* iso_area_capacity;
};
constexpr Published kPublished[] = {
    {"stt_mram", "up to 3.8x (DATE'20: up to 4.2x)", "2.4x", "up to 2x (chapter: 2.2x; DATE'20: 2.3x on average)",
     "2.3x"},
    {"sot_mram", "up to 4.7x (DATE'20: up to 5x)", "2.8x (DATE'20: 3x)",
     "up to 2.3x (chapter: 2.4x; DATE'20: 2.3x on average)", "3.3x"},
};

const Published* published_for(const std::string& tech) {
  for (const Published& p : kPublished)
    if (tech.starts_with(p.tech)) return &p;
  return nullptr;
}

}  // namespace

std::string report_markdown(const StudyResults& res) {
  std::string md;
  md += fmt::format("# DeepNVM++ study `{}`\n\n{}\n\n", res.name, res.description);
  md += fmt::format(
      "GPU `{}`; baseline `{}`; L2 {} in {} slices; DRAM energy {} ({:.4g} pJ/bit, {}); inputs hash `{}`.\n\n", res.gpu,
      res.baseline, mib(res.baseline_capacity), res.slices, res.dram_energy ? "included" : "excluded",
      res.rates.dram_energy_per_bit * 1e12, res.dram_type, res.inputs_hash);
  md += "## L2 figures at the baseline capacity (per 32 B sector access)\n\n";
  md +=
      "| technology | area (mm²) | read latency (ns) | write latency (ns) | read energy (pJ) | write energy (pJ) | "
      "leakage (mW) |\n|---|---|---|---|---|---|---|\n";
  for (const L2Figures& f : res.iso_capacity_l2)
    md += fmt::format("| {} | {:.3f} | {:.3f} | {:.3f} | {:.2f} | {:.2f} | {:.1f} |\n", f.technology, f.area * 1e6,
                      f.read_latency * 1e9, f.write_latency * 1e9, f.read_energy * 1e12, f.write_energy * 1e12,
                      f.leakage * 1e3);
  const auto [scal_lo, scal_hi] = scal_range(res);
  for (const char* delay : {"access_sum", "roofline"}) {
    const bool roof = std::string_view(delay) == "roofline";
    md += fmt::format("\n## Headline vs published, delay model `{}`\n\n", delay);
    md +=
        "Published \"up to\" figures sit beside our maximum over workloads (named), DATE'20's \"on average\" "
        "beside our arithmetic mean; the geometric mean is shown separately. Ratios are SRAM / technology "
        "(> 1: the technology is better).\n\n";
    md +=
        "| technology | figure | published | ours: max (workload) | ours: mean | ours: geomean |\n"
        "|---|---|---|---|---|---|\n";
    const L2Figures* base = iso_l2(res, res.baseline);
    for (const std::string& tech : res.technologies) {
      if (tech == res.baseline) continue;
      const Published* p = published_for(tech);
      const RatioStats ic = stats_of(res.iso_capacity, tech, 0, roof);
      const L2Figures* f = iso_l2(res, tech);
      md += fmt::format("| {} | iso-capacity EDP reduction | {} | {} ({}) | {} | {} |\n", tech,
                        p ? p->iso_capacity_edp : "-", x(ic.max), ic.max_workload, x(ic.mean), x(ic.geomean));
      md += fmt::format("| {} | iso-capacity area reduction | {} | {} | | |\n", tech, p ? p->iso_capacity_area : "-",
                        base && f ? x(base->area / f->area) : "-");
      for (const IsoAreaCapacity& c : res.iso_area_capacities)
        if (c.technology == tech) {
          const RatioStats ia = stats_of(res.iso_area, tech, 0, roof);
          md += fmt::format("| {} | iso-area EDP reduction | {} | {} ({}) | {} | {} |\n", tech,
                            p ? p->iso_area_edp : "-", x(ia.max), ia.max_workload, x(ia.mean), x(ia.geomean));
          md += fmt::format("| {} | iso-area capacity gain | {} | {} ({}) | | |\n", tech,
                            p ? p->iso_area_capacity : "-", x(c.capacity_gain), mib(c.capacity));
        }
      if (!res.scalability.empty()) {
        const RatioStats lo = stats_of(res.scalability, tech, scal_lo, roof);
        const RatioStats hi = stats_of(res.scalability, tech, scal_hi, roof);
        md += fmt::format(
            "| {} | scalability EDP reduction, {} → {} | \"orders of magnitude\" at large capacities | {} "
            "→ {} ({}) | {} → {} | {} → {} |\n",
            tech, mib(scal_lo), mib(scal_hi), x(lo.max), x(hi.max), hi.max_workload, x(lo.mean), x(hi.mean),
            x(lo.geomean), x(hi.geomean));
      }
    }
  }
  md +=
      "\n## Why our figures differ from the published ones\n\n"
      "- **Cells.** The paper's bitcell parameters are not public (shared/docs/notes/deepnvm-paper.md §3); ours "
      "are the cited defaults of data/cells/. Every ratio follows from them and from the array model's organisation "
      "search; nothing is tuned to the published ratios.\n"
      "- **Workloads and batch sizes.** The paper's batch sizes, framework and kernels are unknown; our traffic "
      "comes from the kernel-lowering model and a miss-ratio curve, not from nvprof on a GTX 1080 Ti (unless the "
      "study imports profiles).\n"
      "- **Delay model.** `access_sum` charges every access its full latency in series (SRAM's leakage then acts "
      "over a short time); `roofline` overlaps L2, DRAM and compute per kernel, so L2 latency only matters when "
      "the L2 bounds a kernel. The paper's exact delay model is unknown.\n"
      "- **DRAM energy.** Included here (switchable); whether the paper counts it is unknown.\n"
      "- **Access granule.** One 32 B sector is one array access; the tag array of our slices holds one tag per "
      "sector, which overstates tag area and energy compared with a sectored cache (docs/models/study.md §4).\n";
  if (const L2Figures* b = iso_l2(res, res.baseline))
    for (const L2Figures& f : res.iso_capacity_l2)
      if (f.technology != res.baseline)
        md += fmt::format(
            "- **Our {} L2 against {}** at {}: area {:.2f}x smaller, read energy {:.1f}x, write energy "
            "{:.1f}x, read latency {:.1f}x, write latency {:.1f}x, leakage {:.3f}x of the baseline's. "
            "These per-access figures of the array model, not the workloads, decide most of the gap to "
            "the published ratios.\n",
            f.technology, res.baseline, mib(f.capacity), b->area / f.area, f.read_energy / b->read_energy,
            f.write_energy / b->write_energy, f.read_latency / b->read_latency, f.write_latency / b->write_latency,
            f.leakage / b->leakage);
  md +=
      "\n## Iso-capacity, per workload\n\n| workload | technology | energy (mJ) roofline | delay roofline (ms) | "
      "EDP ratio access_sum | EDP ratio roofline |\n|---|---|---|---|---|---|\n";
  for (const StudyRecord& r : res.iso_capacity)
    md += fmt::format("| {} | {} | {:.4g} | {:.4g} | {:.3f} | {:.3f} |\n", record_name(r), r.l2.technology,
                      r.result.energy().roofline * 1e3, r.result.delay.roofline * 1e3, r.edp_ratio.access_sum,
                      r.edp_ratio.roofline);
  if (!res.iso_area.empty()) {
    md +=
        "\n## Iso-area, per workload\n\n| workload | technology | capacity | EDP ratio access_sum | EDP ratio "
        "roofline |\n|---|---|---|---|---|\n";
    for (const StudyRecord& r : res.iso_area)
      md += fmt::format("| {} | {} | {} | {:.3f} | {:.3f} |\n", record_name(r), r.l2.technology, mib(r.l2.capacity),
                        r.edp_ratio.access_sum, r.edp_ratio.roofline);
  }
  if (const std::vector<Plot> plots = study_plots(res); !plots.empty()) {
    md +=
        "\n## Plots\n\nDrawn with gnuplot next to this report (SVG and PNG); each has its data (`NAME.dat`) and "
        "script (`NAME.gp`; re-draw with `gnuplot NAME.gp` in this folder).\n\n";
    for (const Plot& p : plots)
      md += fmt::format("![{}]({}.png)\n\n*{}* ([SVG]({}.svg))\n\n", p.name, p.name, p.caption, p.name);
  }
  if (!res.notes.empty()) {
    md += "\n## Notes\n\n";
    for (const std::string& n : res.notes) md += "- " + n + "\n";
  }
  return md;
}

std::string summary_table(const StudyResults& res) {
  Table t(
      {"technology", "iso-cap area", "iso-cap EDP max (acc/roof)", "iso-area capacity", "iso-area EDP max (acc/roof)"});
  const L2Figures* base = iso_l2(res, res.baseline);
  for (const std::string& tech : res.technologies) {
    if (tech == res.baseline) continue;
    const L2Figures* f = iso_l2(res, tech);
    std::string cap = "-", ia = "-";
    for (const IsoAreaCapacity& c : res.iso_area_capacities)
      if (c.technology == tech) {
        cap = fmt::format("{} ({})", x(c.capacity_gain), mib(c.capacity));
        ia = fmt::format("{} / {}", x(stats_of(res.iso_area, tech, 0, false).max),
                         x(stats_of(res.iso_area, tech, 0, true).max));
      }
    t.row({tech, base && f ? x(base->area / f->area) : "-",
           fmt::format("{} / {}", x(stats_of(res.iso_capacity, tech, 0, false).max),
                       x(stats_of(res.iso_capacity, tech, 0, true).max)),
           cap, ia});
  }
  return t.str();
}

}  // namespace deepnvm::study
