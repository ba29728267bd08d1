// SPDX-License-Identifier: MIT
// run_study: the one place of the study layer that calls the array model and the traffic model.
#include <algorithm>
#include <atomic>
#include <bit>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "deepnvm/cachesim/traffic_model.h"
#include "deepnvm/cell/register.h"
#include "deepnvm/core/config.h"
#include "deepnvm/core/error.h"
#include "deepnvm/gpu/gpu.h"
#include "deepnvm/profile/import.h"
#include "deepnvm/study/hash.h"
#include "deepnvm/study/l2_array.h"
#include "deepnvm/study/study.h"
#include "deepnvm/workload/onnx_import.h"
#include "deepnvm/workload/training.h"
#include "deepnvm/workload/zoo.h"

namespace deepnvm::study {
namespace {

std::filesystem::path relative_to(const StudySpec& spec, const std::string& file) {
  const std::filesystem::path p(file);
  return p.is_absolute() ? p : spec.file.parent_path() / p;
}

/// Every L2 build of one technology, memoized in memory and on disk.
class L2Builder {
 public:
  L2Builder(L2ArraySpec spec, std::unique_ptr<Cell> cell, const RunOptions& options)
      : spec_(std::move(spec)), cell_(std::move(cell)), options_(options) {}

  L2Figures part(std::uint64_t slice_bytes) {
    if (const auto it = memo_.find(slice_bytes); it != memo_.end()) return it->second;
    const auto key = l2_key(spec_, slice_bytes);
    L2Figures f;
    if (const auto hit = options_.cache.get("l2", key)) {
      f = l2_figures_from_json(*hit);
      f.technology = spec_.technology;
    } else {
      f = evaluate_l2(spec_, *cell_, slice_bytes, options_.data_dir, options_.threads);
      options_.cache.put("l2", key, to_json(f));
    }
    return memo_.emplace(slice_bytes, f).first->second;
  }

  /// Builds the parts not yet memoized or cached on disk, all in one search (evaluate_l2_slices).
  void prefetch(const std::vector<std::uint64_t>& parts) {
    std::vector<std::uint64_t> missing;
    for (const std::uint64_t p : parts) {
      if (memo_.contains(p) || std::find(missing.begin(), missing.end(), p) != missing.end()) continue;
      if (const auto hit = options_.cache.get("l2", l2_key(spec_, p))) {
        L2Figures f = l2_figures_from_json(*hit);
        f.technology = spec_.technology;
        memo_.emplace(p, f);
        continue;
      }
      missing.push_back(p);
    }
    const std::vector<L2Figures> built =
        evaluate_l2_slices(spec_, *cell_, missing, options_.data_dir, options_.threads);
    for (std::size_t i = 0; i < missing.size(); ++i) {
      options_.cache.put("l2", l2_key(spec_, missing[i]), to_json(built[i]));
      memo_.emplace(missing[i], built[i]);
    }
  }

  L2Figures slice(std::uint64_t slice_bytes) {
    std::vector<L2Figures> parts;
    for (const std::uint64_t p : slice_parts(slice_bytes)) parts.push_back(part(p));
    return combine_parts(parts);
  }

  const L2ArraySpec& spec() const { return spec_; }

 private:
  L2ArraySpec spec_;
  std::unique_ptr<Cell> cell_;
  const RunOptions& options_;
  std::map<std::uint64_t, L2Figures> memo_;
};

struct Unit {
  std::string workload;  // name in the results
  std::string mode;
  std::int64_t batch = 0;
  std::optional<std::string> network;  // zoo name or ONNX file (as written)
  std::optional<std::filesystem::path> profile;
};

nlohmann::ordered_json network_key(const StudySpec& spec, const std::string& network) {
  if (network.ends_with(".onnx")) return {{"onnx_sha", hash_hex(read_input_file(relative_to(spec, network)))}};
  return {{"zoo", network}};
}

Network load_network(const StudySpec& spec, const std::string& network, DType dtype) {
  if (network.ends_with(".onnx")) {
    OnnxImportOptions o;
    o.dtype = dtype;
    return import_onnx(relative_to(spec, network), o);
  }
  ZooOptions z;
  z.dtype = dtype;
  return zoo_network(network, z);
}

TrafficCurve model_curve(const StudySpec& spec, const GpuSpec& gpu, const std::string& network, Mode mode,
                         std::int64_t batch, const std::vector<std::uint64_t>& capacities, const RunOptions& options) {
  TrafficOptions t;
  t.lowering.mode = mode;
  t.lowering.batch = batch;
  t.lowering.dtype = parse_dtype(spec.dtype);
  t.lowering.optimizer = parse_optimizer(spec.optimizer);
  cachesim::MrcOptions mrc;
  mrc.method = spec.miss_ratio.method == "exact" ? cachesim::MrcMethod::exact : cachesim::MrcMethod::sampled;
  mrc.sampling_rate = spec.miss_ratio.sampling_rate;
  mrc.seed = static_cast<std::uint64_t>(spec.miss_ratio.seed);
  mrc.capacities = capacities;
  t.mrc = mrc;
  t.threads = static_cast<int>(options.threads);
  t.simulate = false;  // the study reads every capacity off the curve

  nlohmann::ordered_json key{{"network", network_key(spec, network)},
                             {"gpu", gpu_json(gpu)},
                             {"mode", mode_name(mode)},
                             {"batch", batch},
                             {"dtype", spec.dtype},
                             {"optimizer", spec.optimizer},
                             {"mrc_method", spec.miss_ratio.method},
                             {"mrc_rate", mrc.method == cachesim::MrcMethod::exact ? 1.0 : mrc.sampling_rate},
                             {"mrc_seed", mrc.seed},
                             {"capacities", capacities}};
  if (const auto hit = options.cache.get("traffic", key)) return traffic_curve_from_json(*hit);
  const Network net = load_network(spec, network, t.lowering.dtype);
  const TrafficResult r = model_traffic(net, gpu, t);
  if (!r.mrc) throw ModelError("the traffic model returned no miss-ratio curve for '{}'", network);
  TrafficCurve curve = curve_from_mrc(*r.mrc, r.traffic);
  if (r.mrc->method() == cachesim::MrcMethod::sampled)
    curve.notes.push_back(fmt::format("{} {} b{}: sampled miss-ratio curve (SHARDS rate {:.4g}), error bound {:.3g}",
                                      network, mode_name(mode), batch, r.mrc->sampling_rate(), r.mrc->error_bound()));
  options.cache.put("traffic", key, to_json(curve));
  return curve;
}

std::string human_bytes(std::uint64_t b) {
  if (b >= (1ull << 30) && b % (1ull << 20) == 0) return fmt::format("{:g} GiB", static_cast<double>(b) / (1ull << 30));
  if (b >= (1ull << 20) && b % (1ull << 10) == 0) return fmt::format("{:g} MiB", static_cast<double>(b) / (1ull << 20));
  return fmt::format("{:g} KiB", static_cast<double>(b) / 1024.0);
}

}  // namespace

StudyResults run_study(const StudySpec& spec, const RunOptions& options) {
  if (!options.cell_models) throw ModelError("run_study: no cell model registry given");
  const auto progress = [&](const std::string& phase, std::size_t done, std::size_t total) {
    if (options.progress) options.progress(phase, done, total);
  };
  const GpuSpec gpu = gpu_preset(options.data_dir, spec.gpu);
  const DType dtype = parse_dtype(spec.dtype);

  StudyResults out;
  out.name = spec.name;
  out.description = spec.description;
  out.gpu = gpu.name;
  out.baseline = spec.baseline;
  out.slices = gpu.l2_slices;
  out.baseline_capacity = static_cast<std::uint64_t>(gpu.l2_capacity);
  out.dram_energy = spec.energy.dram;
  if (gpu.l2_slices < 1 || out.baseline_capacity % static_cast<std::uint64_t>(gpu.l2_slices) != 0)
    throw ModelError("GPU '{}': L2 of {} B does not split into {} slices", gpu.name, gpu.l2_capacity, gpu.l2_slices);
  const std::uint64_t slices = static_cast<std::uint64_t>(gpu.l2_slices);
  const std::uint64_t base_slice = out.baseline_capacity / slices;
  slice_parts(base_slice);  // ModelError unless the baseline slice is on the grid

  // System rates: the roofline and DRAM energy.
  const DramEnergyTable table = load_dram_table(options.data_dir / spec.energy.dram_table);
  const std::string dram_name = spec.energy.dram_type.value_or(gpu.dram_type);
  const DramType& dram = table.find(dram_name, {spec.file.string(), 0});
  out.dram_type = dram.name;
  out.dram_source = dram.source + (dram.assumption ? " [assumption]" : "");
  out.rates.peak_flops = gpu.peak(dtype);
  out.rates.dram_bandwidth = gpu.dram_bandwidth;
  out.rates.slice_cycle = gpu.l2_sector / (gpu.l2_bandwidth / static_cast<double>(gpu.l2_slices));
  out.rates.dram_energy_per_bit = dram.energy_per_bit;

  // ---- L2 builds
  std::vector<std::unique_ptr<L2Builder>> builders;
  for (const std::string& entry : spec.technologies) {
    L2ArraySpec a;
    a.technology = technology_id(entry);
    a.cell_file = technology_cell_file(spec, entry, options.data_dir);
    a.node = spec.node;
    a.temperature = spec.array.temperature;
    a.roadmap = spec.array.roadmap;
    a.slices = gpu.l2_slices;
    a.associativity = spec.array.associativity > 0 ? static_cast<int>(spec.array.associativity) : gpu.l2_ways;
    a.optimize = spec.array.optimize;
    a.model = spec.array.model;
    a.access_mode = spec.array.access_mode;
    out.technologies.push_back(a.technology);
    builders.push_back(std::make_unique<L2Builder>(a, load_cell(a.cell_file, *options.cell_models), options));
  }
  std::vector<std::uint64_t> scal_slices;
  if (spec.scalability.enabled)
    scal_slices = sweep_cover(static_cast<std::uint64_t>(spec.scalability.from) / slices,
                              static_cast<std::uint64_t>(std::ceil(spec.scalability.to / static_cast<double>(slices))));
  // Every power-of-two part the iso-capacity and scalability L2s are made of, built per technology in
  // one search; iso-area capacities between them build what they still miss on demand.
  std::vector<std::uint64_t> parts = slice_parts(base_slice);
  for (const std::uint64_t s : scal_slices)
    for (const std::uint64_t p : slice_parts(s)) parts.push_back(p);
  const std::uint64_t iso_min = std::max<std::uint64_t>(base_slice / 16, 4096);
  const std::uint64_t iso_max = base_slice * 64;

  // ---- traffic: every capacity of the study from one curve per workload unit
  std::vector<std::uint64_t> capacities;
  {
    std::vector<std::uint64_t> s = slice_grid(std::min(iso_min, scal_slices.empty() ? base_slice : scal_slices.front()),
                                              std::max(iso_max, scal_slices.empty() ? base_slice : scal_slices.back()));
    for (const std::uint64_t c : s) capacities.push_back(c * slices);
  }
  std::vector<Unit> units;
  for (const std::string& network : spec.networks)
    for (const std::string& mode : spec.modes)
      for (const std::int64_t batch : mode == "training" ? spec.batch.training : spec.batch.inference)
        units.push_back({std::filesystem::path(network).stem().string(), mode, batch, network, std::nullopt});
  for (const ProfileWorkload& p : spec.profiles)
    units.push_back({p.name.value_or(std::filesystem::path(p.file).stem().string()), p.mode, p.batch, p.network,
                     relative_to(spec, p.file)});

  // The L2 builds and the traffic curves share nothing: the curves are computed on a thread of their
  // own meanwhile (the traffic pipeline leaves cores idle while its curve thread is the bottleneck).
  // One progress count covers both.
  std::mutex progress_mutex;
  std::size_t done = 0;
  const std::size_t total = builders.size() + units.size();
  const auto step = [&] {
    const std::lock_guard lock(progress_mutex);
    progress("L2 arrays and traffic", ++done, total);
  };
  progress("L2 arrays and traffic", 0, total);
  std::vector<std::optional<TrafficCurve>> curves(units.size());
  std::exception_ptr traffic_error;
  std::atomic<bool> traffic_failed{false}, stop_traffic{false};
  std::thread traffic([&] {
    try {
      for (std::size_t u = 0; u < units.size() && !stop_traffic; ++u) {
        if (units[u].network)
          curves[u] =
              model_curve(spec, gpu, *units[u].network, parse_mode(units[u].mode), units[u].batch, capacities, options);
        step();
      }
    } catch (...) {
      traffic_error = std::current_exception();
      traffic_failed = true;
    }
  });
  // Joined on every path out; after an error of the L2 builds the curves stop at the next unit.
  struct Join {
    std::thread& thread;
    std::atomic<bool>& stop;
    ~Join() {
      stop = true;
      if (thread.joinable()) thread.join();
    }
  } join{traffic, stop_traffic};
  const auto rethrow_traffic_error = [&] {
    if (!traffic_failed) return;
    traffic.join();
    std::rethrow_exception(traffic_error);
  };

  std::size_t baseline_index = 0;
  for (std::size_t t = 0; t < builders.size(); ++t) {
    rethrow_traffic_error();  // bad workload input fails before the next long build
    builders[t]->prefetch(parts);
    out.iso_capacity_l2.push_back(builders[t]->slice(base_slice));
    if (out.technologies[t] == spec.baseline) baseline_index = t;
    step();
  }
  const double area_budget = out.iso_capacity_l2[baseline_index].area;
  std::vector<L2Figures> iso_area_l2(builders.size());
  if (spec.iso_area) {
    for (std::size_t t = 0; t < builders.size(); ++t) {
      if (t == baseline_index) {
        iso_area_l2[t] = out.iso_capacity_l2[t];
        continue;
      }
      const IsoAreaResult r = iso_area_search(area_budget, base_slice, iso_min, iso_max,
                                              [&](std::uint64_t s) { return builders[t]->slice(s); });
      iso_area_l2[t] = r.figures;
      IsoAreaCapacity c;
      c.technology = out.technologies[t];
      c.capacity = r.figures.capacity;
      c.capacity_gain = static_cast<double>(r.figures.capacity) / static_cast<double>(out.baseline_capacity);
      c.area = r.figures.area;
      c.area_budget = area_budget;
      c.evaluated = r.evaluated;
      out.iso_area_capacities.push_back(std::move(c));
    }
  }
  std::vector<std::vector<L2Figures>> scal_l2(scal_slices.size());
  for (std::size_t i = 0; i < scal_slices.size(); ++i)
    for (auto& b : builders) scal_l2[i].push_back(b->slice(scal_slices[i]));

  traffic.join();
  if (traffic_error) std::rethrow_exception(traffic_error);

  EnergyDelayOptions ed;
  ed.dram_energy = spec.energy.dram;
  for (std::size_t u = 0; u < units.size(); ++u) {
    const Unit& unit = units[u];
    std::optional<TrafficCurve>& curve = curves[u];
    std::optional<Traffic> measured;
    if (unit.profile) {
      measured = import_profile(*unit.profile);
      if (curve) {
        curve = scale_to_measured(*curve, *measured, out.baseline_capacity);
      } else if (spec.iso_area || spec.scalability.enabled) {
        throw ModelError(
            "profile '{}': iso-area and scalability need traffic at other capacities, which comes from the model's "
            "miss-ratio curve scaled to the measurement, and the model cannot describe this workload: it names no "
            "network (add 'network:' to the profile entry, or set 'iso_area: false' and 'scalability: {{enabled: "
            "false}}')",
            unit.profile->string());
      }
    }
    auto add = [&](std::vector<StudyRecord>& to, std::vector<StudyRecord> recs) {
      for (StudyRecord& r : recs) {
        r.workload = unit.workload;
        r.mode = unit.mode;
        r.batch = unit.batch;
        to.push_back(std::move(r));
      }
    };
    const Traffic& base_traffic = measured ? *measured : curve->at(out.baseline_capacity);
    add(out.iso_capacity, compare_technologies(base_traffic, out.iso_capacity_l2, spec.baseline, out.rates, ed));
    if (curve) {
      for (const std::string& n : curve->notes)
        if (std::find(out.notes.begin(), out.notes.end(), n) == out.notes.end()) out.notes.push_back(n);
    }
    if (spec.iso_area) {
      // The baseline at its own capacity, every other technology at its iso-area capacity.
      std::vector<StudyRecord> recs;
      EnergyDelayOptions lean = ed;
      lean.kernels = false;
      const StudyRecord base = compare_technologies(curve->at(out.baseline_capacity), {iso_area_l2[baseline_index]},
                                                    spec.baseline, out.rates, lean)
                                   .front();
      for (std::size_t t = 0; t < builders.size(); ++t) {
        StudyRecord r = compare_technologies(curve->at(iso_area_l2[t].capacity), {iso_area_l2[t]},
                                             iso_area_l2[t].technology, out.rates, lean)
                            .front();
        const PerDelay b = base.result.edp(), e = r.result.edp();
        r.edp_ratio = {b.access_sum / e.access_sum, b.roofline / e.roofline};
        recs.push_back(std::move(r));
      }
      add(out.iso_area, std::move(recs));
    }
    for (std::size_t i = 0; i < scal_slices.size(); ++i) {
      EnergyDelayOptions lean = ed;
      lean.kernels = false;
      add(out.scalability,
          compare_technologies(curve->at(scal_slices[i] * slices), scal_l2[i], spec.baseline, out.rates, lean));
    }
  }

  nlohmann::ordered_json inputs = StudySpec::schema().to_json(spec);
  inputs["gpu_preset"] = gpu_json(gpu);
  out.inputs_hash = hash_hex(inputs.dump());
  out.notes.insert(
      out.notes.begin(),
      fmt::format("every L2 is {} slices; iso-area capacities searched from {} to {} per slice; scalability "
                  "from {} to {} per slice ({} to {} in all)",
                  slices, human_bytes(iso_min), human_bytes(iso_max),
                  scal_slices.empty() ? "-" : human_bytes(scal_slices.front()),
                  scal_slices.empty() ? "-" : human_bytes(scal_slices.back()),
                  scal_slices.empty() ? "-" : human_bytes(scal_slices.front() * slices),
                  scal_slices.empty() ? "-" : human_bytes(scal_slices.back() * slices)));
  return out;
}

}  // namespace deepnvm::study
