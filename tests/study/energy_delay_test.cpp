// SPDX-License-Identifier: MIT
// The study's energy/delay model on controlled synthetic traffic (issue 6 invariants).
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "deepnvm/core/error.h"
#include "deepnvm/study/energy_delay.h"
#include "deepnvm/study/study.h"
#include "deepnvm/study/traffic_curve.h"

namespace deepnvm::study {
namespace {

KernelTraffic kernel(std::int64_t reads, std::int64_t writes, std::int64_t misses, std::int64_t writebacks,
                     std::int64_t flops) {
  KernelTraffic k;
  k.name = "k";
  k.layer = "l";
  k.counters.l2_read_sectors = reads;
  k.counters.l2_write_sectors = writes;
  k.counters.l2_read_hits = reads - misses;
  k.counters.l2_write_hits = writes;
  k.counters.dram_read_bytes = 32 * misses;
  k.counters.dram_write_bytes = 32 * writebacks;
  k.counters.flops = flops;
  return k;
}

Traffic traffic(std::vector<KernelTraffic> kernels) {
  Traffic t;
  t.source = "synthetic";
  t.kernels = std::move(kernels);
  return t;
}

L2Figures l2(const char* tech, std::uint64_t capacity, double tr, double tw, double er, double ew, double leak) {
  L2Figures f;
  f.technology = tech;
  f.capacity = capacity;
  f.slices = 4;
  f.area = 1e-6 * static_cast<double>(capacity) / (1 << 20);
  f.read_latency = tr;
  f.write_latency = tw;
  f.read_energy = er;
  f.write_energy = ew;
  f.leakage = leak;
  return f;
}

SystemRates rates() {
  SystemRates r;
  r.peak_flops = 10e12;
  r.dram_bandwidth = 500e9;
  r.slice_cycle = 1e-9;
  r.dram_energy_per_bit = 10e-12;
  return r;
}

TEST(EnergyDelay, AccessSumEqualsClosedFormExactly) {
  const Traffic t = traffic({kernel(1000003, 70001, 5000, 300, 1), kernel(123457, 99991, 17, 5, 1)});
  const L2Figures f = l2("x", 1 << 20, 1.37e-9, 10.11e-9, 1e-12, 2e-12, 0.1);
  const EnergyDelay e = evaluate_energy_delay(t, f, rates());
  const double reads = 1000003.0 + 123457.0, writes = 70001.0 + 99991.0;
  EXPECT_EQ(e.delay.access_sum, reads * 1.37e-9 + writes * 10.11e-9);
  EXPECT_EQ(e.leakage.access_sum, 0.1 * e.delay.access_sum);
}

TEST(EnergyDelay, DynamicEnergyChargesFillsAsWritesAndWritebacksAsReads) {
  const Traffic t = traffic({kernel(100, 40, 30, 7, 0)});
  const L2Figures f = l2("x", 1 << 20, 1e-9, 1e-9, 3e-12, 5e-12, 0);
  EnergyDelayOptions o;
  const EnergyDelay e = evaluate_energy_delay(t, f, rates(), o);
  EXPECT_DOUBLE_EQ(e.dynamic, 100 * 3e-12 + 40 * 5e-12 + 30 * 5e-12 + 7 * 3e-12);
  EXPECT_DOUBLE_EQ(e.dram, 8.0 * 32 * (30 + 7) * 10e-12);
  o.dram_energy = false;
  EXPECT_EQ(evaluate_energy_delay(t, f, rates(), o).dram, 0.0);
}

TEST(EnergyDelay, RooflineUnchangedByL2LatencyForComputeBoundKernels) {
  // 1e12 FLOP at 10 TFLOP/s = 0.1 s; the L2 needs at most 1e6 x 20 ns / 4 slices = 5 ms.
  const Traffic t = traffic({kernel(1000000, 1000, 10, 0, 1000000000000)});
  const double fast = evaluate_energy_delay(t, l2("a", 1 << 20, 0.2e-9, 0.2e-9, 0, 0, 0), rates()).delay.roofline;
  const double slow = evaluate_energy_delay(t, l2("b", 1 << 20, 20e-9, 20e-9, 0, 0, 0), rates()).delay.roofline;
  EXPECT_EQ(fast, slow);
  EXPECT_DOUBLE_EQ(fast, 0.1);
}

TEST(EnergyDelay, RooflineUnchangedByL2LatencyForDramBoundKernels) {
  // 1e7 misses x 32 B at 500 GB/s = 0.64 ms of DRAM; 64 slices need at most 2e7 x 1.5 ns / 64 = 0.47 ms.
  const Traffic t = traffic({kernel(10000000, 0, 10000000, 0, 1000)});
  L2Figures fast_l2 = l2("a", 1 << 20, 0.5e-9, 0.5e-9, 0, 0, 0), slow_l2 = l2("b", 1 << 20, 1.5e-9, 1.5e-9, 0, 0, 0);
  fast_l2.slices = slow_l2.slices = 64;
  const EnergyDelay fast = evaluate_energy_delay(t, fast_l2, rates());
  const EnergyDelay slow = evaluate_energy_delay(t, slow_l2, rates());
  EXPECT_EQ(fast.delay.roofline, slow.delay.roofline);
  EXPECT_DOUBLE_EQ(fast.delay.roofline, 1e7 * 32 / 500e9);
  EXPECT_EQ(slow.kernels.at(0).bound, Bound::dram);
  EXPECT_LT(fast.delay.access_sum, slow.delay.access_sum);  // the access_sum model does see the latency
}

TEST(EnergyDelay, SlowWritesMakeAnL2BoundKernelSlower) {
  const Traffic t = traffic({kernel(1000, 1000000, 0, 0, 1)});
  const double fast = evaluate_energy_delay(t, l2("a", 1 << 20, 1e-9, 1e-9, 0, 0, 0), rates()).delay.roofline;
  const double slow = evaluate_energy_delay(t, l2("b", 1 << 20, 1e-9, 10e-9, 0, 0, 0), rates()).delay.roofline;
  EXPECT_DOUBLE_EQ(slow / fast, (1000 * 1e-9 + 1e6 * 10e-9) / (1000 * 1e-9 + 1e6 * 1e-9));
}

TEST(EnergyDelay, RejectsNonPositiveRates) {
  SystemRates r = rates();
  r.dram_bandwidth = 0;
  EXPECT_THROW(evaluate_energy_delay(traffic({kernel(1, 1, 0, 0, 1)}), l2("a", 1, 1, 1, 1, 1, 1), r), ModelError);
}

// A synthetic capacity sweep: SRAM leakage (and area) proportional to capacity, NVM leakage only in the
// periphery (growing as sqrt(capacity)), access energy and latency growing as sqrt(capacity); misses fall
// as capacity grows.
struct Sweep {
  std::vector<std::uint64_t> capacities{1u << 20, 4u << 20, 16u << 20, 64u << 20};
  Traffic at(std::size_t i) const {
    const std::int64_t misses = 400000 >> i;
    return traffic({kernel(1000000, 300000, misses, misses / 4, 2000000000)});
  }
  double s(std::size_t i) const { return std::sqrt(static_cast<double>(capacities[i]) / (1 << 20)); }
  L2Figures sram(std::size_t i) const {
    return l2("sram", capacities[i], 1.2e-9 * s(i), 1.2e-9 * s(i), 5e-12 * s(i), 5e-12 * s(i),
              0.3 * static_cast<double>(capacities[i]) / (1 << 20));
  }
  L2Figures nvm(std::size_t i) const {
    return l2("nvm", capacities[i], 1.5e-9 * s(i), 8e-9 * s(i), 20e-12 * s(i), 40e-12 * s(i), 0.02 * s(i));
  }
};

TEST(Study, SramLeakageShareGrowsWithCapacity) {
  const Sweep s;
  double previous_access = 0, previous_roof = 0;
  for (std::size_t i = 0; i < s.capacities.size(); ++i) {
    const EnergyDelay e = evaluate_energy_delay(s.at(i), s.sram(i), rates());
    const double share_access = e.leakage.access_sum / e.energy().access_sum;
    const double share_roof = e.leakage.roofline / e.energy().roofline;
    EXPECT_GT(share_access, previous_access) << s.capacities[i];
    EXPECT_GT(share_roof, previous_roof) << s.capacities[i];
    previous_access = share_access;
    previous_roof = share_roof;
  }
}

TEST(Study, NvmEdpAdvantageWidensWithCapacityWhenLeakageDominates) {
  const Sweep s;
  EnergyDelayOptions no_dram;
  no_dram.dram_energy = false;
  double previous_access = 0, previous_roof = 0;
  for (std::size_t i = 0; i < s.capacities.size(); ++i) {
    const auto recs = compare_technologies(s.at(i), {s.sram(i), s.nvm(i)}, "sram", rates(), no_dram);
    ASSERT_EQ(recs.size(), 2u);
    EXPECT_EQ(recs[0].edp_ratio.access_sum, 1.0);
    const EnergyDelay& sram = recs[0].result;
    ASSERT_GT(sram.leakage.roofline, sram.dynamic) << "the sweep must be leakage-dominated";
    ASSERT_GT(sram.leakage.access_sum, sram.dynamic) << "the sweep must be leakage-dominated";
    EXPECT_GT(recs[1].edp_ratio.access_sum, previous_access) << s.capacities[i];
    EXPECT_GT(recs[1].edp_ratio.roofline, previous_roof) << s.capacities[i];
    previous_access = recs[1].edp_ratio.access_sum;
    previous_roof = recs[1].edp_ratio.roofline;
  }
}

TEST(Study, CompareTechnologiesNeedsTheBaseline) {
  const Sweep s;
  EXPECT_THROW(compare_technologies(s.at(0), {s.nvm(0)}, "sram", rates(), {}), ModelError);
}

TEST(Study, RatioStatsNameTheMaximum) {
  const RatioStats r = ratio_stats({{"a", 2.0}, {"b", 8.0}, {"c", 4.0}});
  EXPECT_EQ(r.max, 8.0);
  EXPECT_EQ(r.max_workload, "b");
  EXPECT_DOUBLE_EQ(r.mean, 14.0 / 3);
  EXPECT_DOUBLE_EQ(r.geomean, 4.0);
}

TrafficCurve two_point_curve() {
  TrafficCurve c;
  c.source = "model";
  c.capacities = {1u << 20, 2u << 20};
  c.traffic = {traffic({kernel(1000, 500, 400, 100, 7)}), traffic({kernel(1000, 500, 200, 50, 7)})};
  return c;
}

TEST(TrafficCurve, ScaledCurveMatchesTheMeasurementAtItsCapacity) {
  const Traffic measured = traffic({kernel(2000, 250, 1000, 25, 0)});
  const TrafficCurve s = scale_to_measured(two_point_curve(), measured, 1u << 20);
  const TrafficCounters at = s.at(1u << 20).total();
  EXPECT_EQ(at.l2_read_sectors, 2000);
  EXPECT_EQ(at.l2_write_sectors, 250);
  EXPECT_EQ(at.dram_read_bytes, 32 * 1000);
  EXPECT_EQ(at.dram_write_bytes, 32 * 25);
  // The other capacity keeps the model's shape: half the misses.
  EXPECT_EQ(s.at(2u << 20).total().dram_read_bytes, 32 * 500);
  EXPECT_EQ(s.at(2u << 20).total().flops, 7);
  EXPECT_FALSE(s.notes.empty());
}

TEST(TrafficCurve, RefusesAMeasurementTheModelCannotDescribe) {
  TrafficCurve c = two_point_curve();
  for (Traffic& t : c.traffic) t.kernels[0].counters.l2_write_sectors = 0;
  EXPECT_THROW(scale_to_measured(c, traffic({kernel(2000, 250, 1000, 25, 0)}), 1u << 20), ModelError);
  EXPECT_THROW(scale_to_measured(two_point_curve(), traffic({kernel(1, 1, 0, 0, 0)}), 3u << 20), ModelError);
}

TEST(TrafficCurve, JsonRoundTripIsExact) {
  const TrafficCurve c = two_point_curve();
  const TrafficCurve back = traffic_curve_from_json(to_json(c));
  EXPECT_EQ(back.capacities, c.capacities);
  ASSERT_EQ(back.traffic.size(), c.traffic.size());
  for (std::size_t i = 0; i < c.traffic.size(); ++i) EXPECT_EQ(back.traffic[i].kernels, c.traffic[i].kernels);
}

}  // namespace
}  // namespace deepnvm::study
