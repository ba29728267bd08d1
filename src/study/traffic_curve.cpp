// SPDX-License-Identifier: MIT
#include "deepnvm/study/traffic_curve.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "deepnvm/core/error.h"
#include "deepnvm/study/energy_delay.h"

namespace deepnvm::study {

const Traffic& TrafficCurve::at(std::uint64_t capacity) const {
  const auto it = std::lower_bound(capacities.begin(), capacities.end(), capacity);
  if (it == capacities.end() || *it != capacity)
    throw ModelError("the traffic curve has no point at {} B (it spans {} to {} B in {} points)", capacity,
                     capacities.empty() ? 0 : capacities.front(), capacities.empty() ? 0 : capacities.back(),
                     capacities.size());
  return traffic[static_cast<std::size_t>(it - capacities.begin())];
}

TrafficCurve curve_from_mrc(const cachesim::MissRatioCurve& mrc, const Traffic& kernels) {
  if (mrc.kernel_count() > kernels.kernels.size())
    throw ModelError("the miss-ratio curve has {} kernels but the iteration {}", mrc.kernel_count(),
                     kernels.kernels.size());
  TrafficCurve out;
  out.source = kernels.source.empty() ? "model" : kernels.source;
  out.capacities = mrc.capacities();
  for (std::size_t c = 0; c < out.capacities.size(); ++c) {
    Traffic t;
    t.source = out.source;
    t.kernels.reserve(kernels.kernels.size());
    for (std::size_t k = 0; k < kernels.kernels.size(); ++k) {
      KernelTraffic kt;
      kt.name = kernels.kernels[k].name;
      kt.layer = kernels.kernels[k].layer;
      if (k < mrc.kernel_count()) kt.counters = mrc.kernel_counters(k, c);
      kt.counters.flops = kernels.kernels[k].counters.flops;
      t.kernels.push_back(std::move(kt));
    }
    out.traffic.push_back(std::move(t));
  }
  return out;
}

namespace {

std::int64_t scaled(std::int64_t v, double f) {
  return static_cast<std::int64_t>(std::llround(static_cast<double>(v) * f));
}

double ratio(double num, double den, bool& undefined) {
  if (den > 0) return num / den;
  undefined = num > 0;
  return 1.0;
}

}  // namespace

TrafficCurve scale_to_measured(const TrafficCurve& model, const Traffic& measured, std::uint64_t measured_capacity) {
  const TrafficCounters m = measured.total();
  const TrafficCounters base = model.at(measured_capacity).total();
  const auto sector = static_cast<double>(kSectorBytes);
  bool undefined = false;
  const double f_read =
      ratio(static_cast<double>(m.l2_read_sectors), static_cast<double>(base.l2_read_sectors), undefined);
  if (undefined) throw ModelError("the model has no L2 reads where {} read sectors were measured", m.l2_read_sectors);
  const double f_write =
      ratio(static_cast<double>(m.l2_write_sectors), static_cast<double>(base.l2_write_sectors), undefined);
  if (undefined)
    throw ModelError("the model has no L2 writes where {} write sectors were measured", m.l2_write_sectors);
  const double miss_measured =
      m.l2_read_sectors > 0 ? static_cast<double>(m.dram_read_bytes) / sector / static_cast<double>(m.l2_read_sectors)
                            : 0;
  const double miss_model = base.l2_read_sectors > 0 ? static_cast<double>(base.dram_read_bytes) / sector /
                                                           static_cast<double>(base.l2_read_sectors)
                                                     : 0;
  const double f_miss = ratio(miss_measured, miss_model, undefined);
  if (undefined)
    throw ModelError("the model has no read misses at {} B where a read miss ratio of {:.4g} was measured",
                     measured_capacity, miss_measured);
  const double wb_measured = m.l2_write_sectors > 0 ? static_cast<double>(m.dram_write_bytes) / sector /
                                                          static_cast<double>(m.l2_write_sectors)
                                                    : 0;
  const double wb_model = base.l2_write_sectors > 0 ? static_cast<double>(base.dram_write_bytes) / sector /
                                                          static_cast<double>(base.l2_write_sectors)
                                                    : 0;
  const double f_wb = ratio(wb_measured, wb_model, undefined);
  if (undefined)
    throw ModelError("the model has no write-backs at {} B where a write-back ratio of {:.4g} was measured",
                     measured_capacity, wb_measured);

  TrafficCurve out;
  out.source = fmt::format("model scaled to {}", measured.source.empty() ? "measurement" : measured.source);
  out.capacities = model.capacities;
  out.notes = model.notes;
  out.notes.push_back(fmt::format(
      "traffic of every capacity is the model's miss-ratio curve scaled to the measured counts at {} B: read sectors "
      "x{:.4g}, write sectors x{:.4g}, read miss ratio x{:.4g}, write-back ratio x{:.4g}",
      measured_capacity, f_read, f_write, f_miss, f_wb));
  const auto sector_bytes = static_cast<std::int64_t>(kSectorBytes);
  for (const Traffic& t : model.traffic) {
    Traffic s;
    s.source = out.source;
    for (const KernelTraffic& k : t.kernels) {
      KernelTraffic o = k;
      const TrafficCounters& c = k.counters;
      TrafficCounters& n = o.counters;
      n.l2_read_sectors = scaled(c.l2_read_sectors, f_read);
      n.l2_write_sectors = scaled(c.l2_write_sectors, f_write);
      const std::int64_t misses =
          std::min(n.l2_read_sectors, scaled(c.dram_read_bytes / sector_bytes, f_read * f_miss));
      const std::int64_t writebacks =
          std::min(n.l2_write_sectors, scaled(c.dram_write_bytes / sector_bytes, f_write * f_wb));
      n.l2_read_hits = n.l2_read_sectors - misses;
      n.l2_write_hits = n.l2_write_sectors;
      n.l2_write_allocates = std::min(n.l2_write_sectors, scaled(c.l2_write_allocates, f_write));
      n.dram_read_bytes = misses * sector_bytes;
      n.dram_write_bytes = writebacks * sector_bytes;
      s.kernels.push_back(std::move(o));
    }
    out.traffic.push_back(std::move(s));
  }
  return out;
}

nlohmann::ordered_json to_json(const TrafficCurve& curve) {
  nlohmann::ordered_json j;
  j["source"] = curve.source;
  j["notes"] = curve.notes;
  j["capacities"] = curve.capacities;
  auto kernels = nlohmann::ordered_json::array();
  if (!curve.traffic.empty())
    for (const KernelTraffic& k : curve.traffic.front().kernels) kernels.push_back({k.name, k.layer, k.counters.flops});
  j["kernels"] = std::move(kernels);
  auto points = nlohmann::ordered_json::array();
  for (const Traffic& t : curve.traffic) {
    std::vector<std::int64_t> flat;
    flat.reserve(t.kernels.size() * 7);
    for (const KernelTraffic& k : t.kernels) {
      const TrafficCounters& c = k.counters;
      flat.insert(flat.end(), {c.l2_read_sectors, c.l2_write_sectors, c.l2_read_hits, c.l2_write_hits,
                               c.l2_write_allocates, c.dram_read_bytes, c.dram_write_bytes});
    }
    points.push_back(std::move(flat));
  }
  j["counters"] = std::move(points);
  return j;
}

TrafficCurve traffic_curve_from_json(const nlohmann::ordered_json& j) {
  TrafficCurve curve;
  curve.source = j.at("source").get<std::string>();
  curve.notes = j.at("notes").get<std::vector<std::string>>();
  curve.capacities = j.at("capacities").get<std::vector<std::uint64_t>>();
  const auto& kernels = j.at("kernels");
  const auto& points = j.at("counters");
  if (points.size() != curve.capacities.size()) throw ModelError("traffic cache entry: capacities and points differ");
  for (const auto& p : points) {
    const auto flat = p.get<std::vector<std::int64_t>>();
    if (flat.size() != kernels.size() * 7) throw ModelError("traffic cache entry: wrong counter count");
    Traffic t;
    t.source = curve.source;
    for (std::size_t k = 0; k < kernels.size(); ++k) {
      KernelTraffic kt;
      kt.name = kernels[k].at(0).get<std::string>();
      kt.layer = kernels[k].at(1).get<std::string>();
      TrafficCounters& c = kt.counters;
      c.flops = kernels[k].at(2).get<std::int64_t>();
      const std::int64_t* v = flat.data() + k * 7;
      c.l2_read_sectors = v[0];
      c.l2_write_sectors = v[1];
      c.l2_read_hits = v[2];
      c.l2_write_hits = v[3];
      c.l2_write_allocates = v[4];
      c.dram_read_bytes = v[5];
      c.dram_write_bytes = v[6];
      t.kernels.push_back(std::move(kt));
    }
    curve.traffic.push_back(std::move(t));
  }
  return curve;
}

}  // namespace deepnvm::study
