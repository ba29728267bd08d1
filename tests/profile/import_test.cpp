// SPDX-License-Identifier: MIT
// Importers of measured counters: every layout against exact values written in (or measured into)
// the fixtures under tests/profile/data, and every refusal.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "deepnvm/core/error.h"
#include "deepnvm/profile/import.h"
#include "expect_config_error.h"

namespace deepnvm {
namespace {

std::string data(const std::string& name) { return std::string(DEEPNVM_SOURCE_DIR) + "/tests/profile/data/" + name; }

bool has_note(const Profile& profile, const std::string& part) {
  for (const auto& note : profile.notes)
    if (note.find(part) != std::string::npos) return true;
  return false;
}

// A minimal details-page CSV (newer header) with one row per (launch, metric, unit, value).
struct Row {
  std::string id, metric, unit, value;
};
std::string details_csv(const std::vector<Row>& rows, const std::string& kernel = "k") {
  std::string text =
      "\"ID\",\"Process ID\",\"Process Name\",\"Host Name\",\"Kernel Name\",\"Context\",\"Stream\",\"Block "
      "Size\",\"Grid Size\",\"Device\",\"CC\",\"Section Name\",\"Metric Name\",\"Metric Unit\",\"Metric Value\"\n";
  for (const Row& r : rows)
    text += "\"" + r.id + "\",\"1\",\"app\",\"host\",\"" + kernel +
            "\",\"1\",\"7\",\"(256, 1, 1)\",\"(8, 1, 1)\",\"0\",\"9.0\","
            "\"Command line profiler metrics\",\"" +
            r.metric + "\",\"" + r.unit + "\",\"" + r.value + "\"\n";
  return text;
}
// Every metric the ncu mapping needs, for launch `id`, with a replaceable entry.
std::vector<Row> complete_launch(const std::string& id) {
  return {{id, "dram__bytes_read.sum", "byte", "3,200"},
          {id, "dram__bytes_write.sum", "byte", "640"},
          {id, "gpu__time_duration.sum", "ns", "1,500"},
          {id, "lts__t_sectors_srcunit_tex_op_read.sum", "sector", "400"},
          {id, "lts__t_sectors_srcunit_tex_op_read_lookup_hit.sum", "sector", "300"},
          {id, "lts__t_sectors_srcunit_tex_op_write.sum", "sector", "20"},
          {id, "lts__t_sectors_srcunit_tex_op_write_lookup_hit.sum", "sector", "20"}};
}
std::vector<Row> with(std::vector<Row> rows, const std::string& metric, const std::string& unit,
                      const std::string& value) {
  for (Row& r : rows)
    if (r.metric == metric) {
      r.unit = unit;
      r.value = value;
    }
  return rows;
}
std::vector<Row> without(std::vector<Row> rows, const std::string& metric) {
  std::erase_if(rows, [&](const Row& r) { return r.metric == metric; });
  return rows;
}
// Header is line 1; the rows of complete_launch are lines 2..8 in this order.
constexpr std::size_t line_of(std::size_t row_index) { return row_index + 2; }

// ---- Nsight Compute, details page -------------------------------------------------------------

TEST(NcuDetails, MeasuredH100FileGivesExactCountersLayersAndFabric) {
  // Measured with ncu 2025.3.1 on an H100 (data/h100_probe.sh): three launches of a streaming kernel
  // inside NVTX ranges, with --cache-control all (the default), so the near-partition read hits are 0.
  const Profile p = read_profile(data("h100_ncu2025_details_nvtx.csv"));
  EXPECT_EQ(p.format, ProfileFormat::ncu_details);
  ASSERT_EQ(p.kernels.size(), 3u);
  const ProfiledKernel& k = p.kernels[0];
  EXPECT_EQ(k.id, "0");
  EXPECT_EQ(k.name, "scale_add(const float *, const float *, float *, int)");
  EXPECT_EQ(k.line, 5u);  // after two ==PROF== lines, the program's "done" and the header
  EXPECT_EQ(k.l2_scope, L2Scope::sm_requests);
  EXPECT_EQ(k.counters.l2_read_sectors, 1'048'576);  // two inputs of 2^22 floats: 2 x 2^24 B / 32 B
  EXPECT_EQ(k.counters.l2_write_sectors, 524'288);   // one output of 2^22 floats: 2^24 B / 32 B
  EXPECT_EQ(k.counters.l2_read_hits, 0);
  EXPECT_EQ(k.counters.l2_write_hits, 524'288);
  EXPECT_EQ(k.counters.l2_write_allocates, 0);
  EXPECT_EQ(k.counters.dram_read_bytes, 33'558'528);
  EXPECT_EQ(k.counters.dram_write_bytes, 6'364'928);
  EXPECT_EQ(k.counters.flops, 0);
  EXPECT_DOUBLE_EQ(k.counters.time_s, 18'976e-9);
  EXPECT_EQ(k.fabric_read_sectors, 524'392);
  EXPECT_EQ(k.fabric_read_hits, 104);
  ASSERT_TRUE(k.logical_read_hit_rate());
  EXPECT_DOUBLE_EQ(*k.logical_read_hit_rate(), 104.0 / 1'048'576.0);
  EXPECT_DOUBLE_EQ(*k.read_hit_rate(), 0.0);
  // The range name holds a comma and quotes that ncu did not escape.
  EXPECT_EQ(k.nvtx_ranges, (std::vector<std::string>{"resnet18", "conv1, \"quoted\""}));
  EXPECT_EQ(k.layer, "conv1, \"quoted\"");
  EXPECT_EQ(p.kernels[1].layer, "layer1.0.conv1");
  EXPECT_EQ(p.kernels[1].line, 17u);
  EXPECT_EQ(p.kernels[1].counters.dram_write_bytes, 6'970'368);
  EXPECT_DOUBLE_EQ(p.kernels[1].counters.time_s, 18'304e-9);
  EXPECT_EQ(p.kernels[2].layer, "");  // launched outside every range
  EXPECT_TRUE(p.kernels[2].nvtx_ranges.empty());
  EXPECT_EQ(p.kernels[2].counters.dram_read_bytes, 33'560'320);
  EXPECT_EQ(k.metrics.at("lts__t_sectors_op_read.sum"), (RawMetric{"1,573,835", "sector", 9}));
  EXPECT_TRUE(has_note(p, "l2_write_allocates = 0"));
  EXPECT_TRUE(p.profiler_messages.empty());
}

TEST(NcuDetails, OlderLayoutWithPrefixedUnitsAndDramSectorFallback) {
  const Profile p = read_profile(data("ncu_details_old.csv"));
  EXPECT_EQ(p.format, ProfileFormat::ncu_details);
  ASSERT_EQ(p.kernels.size(), 3u);
  const TrafficCounters& a = p.kernels[0].counters;  // launch 0, its rows split by a row of launch 1
  EXPECT_EQ(p.kernels[0].name, "volta_sgemm_128x64_nn");
  EXPECT_EQ(p.kernels[0].line, 7u);
  EXPECT_EQ(a.dram_read_bytes, 12'580'000);  // 12.58 Mbyte (decimal prefixes)
  EXPECT_EQ(a.dram_write_bytes, 524'290);    // 524.29 Kbyte
  EXPECT_DOUBLE_EQ(a.time_s, 152.19e-6);     // usecond
  EXPECT_EQ(a.l2_read_sectors, 1'050'000);   // 1.05 Msector
  EXPECT_EQ(a.l2_read_hits, 655'360);        // 655.36 Ksector
  EXPECT_EQ(a.l2_write_sectors, 16'384);
  EXPECT_EQ(a.l2_write_hits, 16'384);
  const TrafficCounters& b = p.kernels[1].counters;
  EXPECT_EQ(p.kernels[1].line, 12u);
  EXPECT_EQ(b.dram_read_bytes, 32 * 131'072);  // 32 x dram__sectors_read.sum (131.072 Ksector)
  EXPECT_EQ(b.dram_write_bytes, 4'200'000);    // 0.0042 Gbyte
  EXPECT_DOUBLE_EQ(b.time_s, 1.5e-3);          // msecond
  EXPECT_EQ(b.l2_write_hits, 131'070);         // 131.07 Ksector
  const TrafficCounters& c = p.kernels[2].counters;
  EXPECT_DOUBLE_EQ(c.time_s, 2048e-9);  // "2,048" nsecond
  EXPECT_EQ(c.l2_read_sectors, 8);
  EXPECT_EQ(p.kernels[2].layer, "");               // no NVTX columns in this layout
  EXPECT_FALSE(p.kernels[0].fabric_read_sectors);  // Volta: one L2, no fabric
  EXPECT_FALSE(p.kernels[0].logical_read_hit_rate());
  EXPECT_TRUE(has_note(p, "dram_read_bytes = 32 x dram__sectors_read.sum"));
  ASSERT_EQ(p.profiler_messages.size(), 1u);
  EXPECT_NE(p.profiler_messages[0].find("clock reset"), std::string::npos);
}

TEST(NcuDetails, SectionAndRuleRowsAreSkippedAndMissingMetricsNamed) {
  // Measured file with --section SpeedOfLight: rule rows have no metric name, and the L2 metrics
  // were not requested, which must be named with the line of the launch.
  testing::expect_config_error([] { read_profile(data("h100_ncu2025_sections_rules.csv")); },
                               data("h100_ncu2025_sections_rules.csv"), 5, "lts__t_sectors_srcunit_tex_op_read.sum",
                               "kernel 0 'scale_add(const float *, const float *, float *, int)' has no metric "
                               "lts__t_sectors_srcunit_tex_op_read.sum (or the all-client lts__t_sectors_op_read.sum)");
}

TEST(NcuDetails, RuleColumnsShortMetricRowsAndRuleRowsAreAccepted) {
  // As ncu 2025.3 writes a --section run: five rule columns in the header, metric rows that stop
  // after "Rule Name", and rule rows without a metric name.
  std::string text = details_csv(complete_launch("0"));
  const std::size_t eol = text.find('\n');
  text.insert(eol,
              ",\"Rule Name\",\"Rule Type\",\"Rule Description\",\"Estimated Speedup Type\",\"Estimated Speedup\"");
  std::string rows;
  for (std::size_t at = text.find('\n') + 1; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    rows += text.substr(at, end - at) + ",\"\"\n";
    at = end + 1;
  }
  text = text.substr(0, text.find('\n') + 1) + rows +
         "\"0\",\"1\",\"app\",\"host\",\"k\",\"1\",\"7\",\"(256, 1, 1)\",\"(8, 1, "
         "1)\",\"0\",\"9.0\",\"SpeedOfLight\",\"\","
         "\"\",\"\",\"SOLBottleneck\",\"OPT\",\"Memory is more heavily utilized than Compute, see "
         "\"\"Memory\"\"\",\"global\",\"0.5\"\n";
  const Profile p = parse_profile(text, "rules.csv");
  ASSERT_EQ(p.kernels.size(), 1u);
  EXPECT_EQ(p.kernels[0].counters.l2_read_sectors, 400);
  EXPECT_EQ(p.kernels[0].counters.dram_read_bytes, 3'200);
  EXPECT_DOUBLE_EQ(p.kernels[0].counters.time_s, 1.5e-6);
}

TEST(NcuDetails, AllClientMetricsAreAFallbackThatIsNoted) {
  std::vector<Row> rows = complete_launch("0");
  for (Row& r : rows)
    if (r.metric.starts_with("lts__t_sectors_srcunit_tex_")) r.metric.replace(0, 27, "lts__t_sectors_");
  const Profile p = parse_profile(details_csv(rows), "all.csv");
  ASSERT_EQ(p.kernels.size(), 1u);
  EXPECT_EQ(p.kernels[0].l2_scope, L2Scope::all_clients);
  EXPECT_EQ(p.kernels[0].counters.l2_read_sectors, 400);
  EXPECT_EQ(p.kernels[0].counters.l2_read_hits, 300);
  EXPECT_FALSE(p.kernels[0].logical_read_hits());
  EXPECT_TRUE(has_note(p, "all-client metrics lts__t_sectors_op_*.sum"));
}

TEST(NcuDetails, LaunchesAreGroupedByIdInFirstSeenOrder) {
  std::vector<Row> rows = complete_launch("7");
  const std::vector<Row> second = with(complete_launch("3"), "lts__t_sectors_srcunit_tex_op_read.sum", "sector", "1");
  rows.insert(rows.begin() + 2, second.begin(), second.end());
  const Profile p = parse_profile(details_csv(rows), "g.csv");
  ASSERT_EQ(p.kernels.size(), 2u);
  EXPECT_EQ(p.kernels[0].id, "7");
  EXPECT_EQ(p.kernels[0].counters.l2_read_sectors, 400);
  EXPECT_EQ(p.kernels[1].id, "3");
  EXPECT_EQ(p.kernels[1].counters.l2_read_sectors, 1);
  const Traffic t = p.to_traffic();
  EXPECT_EQ(t.source, "ncu");
  EXPECT_EQ(t.total().l2_read_sectors, 401);
  EXPECT_EQ(t.total().dram_read_bytes, 6'400);
}

TEST(NcuDetails, LogicalViewAddsFabricHitsAndIsCappedAtReads) {
  std::vector<Row> rows = complete_launch("0");
  rows.push_back({"0", "lts__t_sectors_srcunit_ltcfabric_op_read.sum", "sector", "100"});
  rows.push_back({"0", "lts__t_sectors_srcunit_ltcfabric_op_read_lookup_hit.sum", "sector", "60"});
  const Profile p = parse_profile(details_csv(rows), "f.csv");
  EXPECT_EQ(p.to_traffic(L2HitView::near_partition).kernels[0].counters.l2_read_hits, 300);
  EXPECT_EQ(p.to_traffic(L2HitView::logical).kernels[0].counters.l2_read_hits, 360);
  EXPECT_DOUBLE_EQ(*p.kernels[0].logical_read_hit_rate(), 0.9);
  EXPECT_FALSE(has_note(p, "exceed"));

  rows.back().value = "150";  // 300 + 150 > 400: replay passes disagree
  const Profile over = parse_profile(details_csv(rows), "f.csv");
  EXPECT_EQ(over.kernels[0].logical_read_hits(), 400);
  EXPECT_TRUE(has_note(over, "capped at the read sectors"));
}

TEST(NcuDetails, LogicalViewWithoutFabricMetricsIsAnError) {
  const Profile p = parse_profile(details_csv(complete_launch("0")), "v.csv");
  EXPECT_THROW(p.to_traffic(L2HitView::logical), ModelError);
}

// ---- Nsight Compute, raw page -----------------------------------------------------------------

TEST(NcuRaw, MeasuredH100RawPageMatchesItsColumns) {
  const Profile p = read_profile(data("h100_ncu2025_raw_nvtx.csv"));
  EXPECT_EQ(p.format, ProfileFormat::ncu_raw);
  ASSERT_EQ(p.kernels.size(), 3u);
  const ProfiledKernel& k = p.kernels[2];
  EXPECT_EQ(k.id, "2");
  EXPECT_EQ(k.line, 8u);  // "done" and the header and units rows come first
  EXPECT_EQ(k.device, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(k.counters.dram_read_bytes, 33'558'528);
  EXPECT_EQ(k.counters.dram_write_bytes, 6'769'664);
  EXPECT_DOUBLE_EQ(k.counters.time_s, 18'048e-9);
  EXPECT_EQ(k.counters.l2_read_sectors, 1'048'576);
  EXPECT_EQ(k.counters.l2_write_hits, 524'288);
  EXPECT_EQ(k.fabric_read_sectors, 510'504);
  EXPECT_EQ(k.fabric_read_hits, 104);
  EXPECT_EQ(p.kernels[0].layer, "conv1, \"quoted\"");
  EXPECT_EQ(p.kernels[1].layer, "layer1.0.conv1");
  EXPECT_EQ(k.metrics.at("dram__bytes_read.avg").value, "838,963.20");
}

TEST(NcuRaw, UnitsRowScalesEveryColumn) {
  const Profile p = read_profile(data("ncu_raw.csv"));
  EXPECT_EQ(p.format, ProfileFormat::ncu_raw);
  ASSERT_EQ(p.kernels.size(), 2u);
  const ProfiledKernel& a = p.kernels[0];
  EXPECT_EQ(a.line, 5u);
  EXPECT_EQ(a.device, "NVIDIA A100-SXM4-40GB");
  EXPECT_EQ(a.layer, "aten::conv2d");  // a range name with colons
  EXPECT_EQ(a.nvtx_ranges.front(), "resnet18");
  EXPECT_EQ(a.counters.dram_read_bytes, 1'200'000);
  EXPECT_EQ(a.counters.dram_write_bytes, 250'880);
  EXPECT_DOUBLE_EQ(a.counters.time_s, 31.74e-6);
  EXPECT_EQ(a.counters.l2_read_sectors, 37'630);
  EXPECT_EQ(a.counters.l2_read_hits, 24'100);
  EXPECT_EQ(a.counters.l2_write_sectors, 25'088);
  EXPECT_EQ(a.metrics.at("sm__cycles_elapsed.avg"), (RawMetric{"44,187.50", "cycle", 5}));
  EXPECT_EQ(p.kernels[1].layer, "relu");
  EXPECT_EQ(p.kernels[1].counters.dram_read_bytes, 0);
  EXPECT_EQ(p.kernels[1].counters.dram_write_bytes, 802'820);
}

TEST(NcuRaw, MissingUnitsRowIsAnError) {
  const std::string text =
      "\"ID\",\"Kernel Name\",\"gpu__time_duration.sum\"\n"
      "\"0\",\"k\",\"1,000\"\n";
  testing::expect_config_error([&] { parse_profile(text, "r.csv"); }, "r.csv", 2, "", "expected the units row");
}

// ---- nvprof -----------------------------------------------------------------------------------

TEST(NvprofSummary, CountsAreAverageTimesInvocationsAndHitsFromRates) {
  const Profile p = read_profile(data("nvprof_summary.csv"));
  EXPECT_EQ(p.format, ProfileFormat::nvprof_summary);
  ASSERT_EQ(p.kernels.size(), 2u);
  const ProfiledKernel& a = p.kernels[0];
  EXPECT_EQ(a.name, "maxwell_sgemm_128x64_nn");
  EXPECT_EQ(a.device, "GeForce GTX 1080 Ti (0)");
  EXPECT_EQ(a.invocations, 2);
  EXPECT_EQ(a.line, 8u);  // its first row is in the event table
  EXPECT_EQ(a.counters.l2_read_sectors, 2 * 1'048'576);
  EXPECT_EQ(a.counters.l2_write_sectors, 2 * 16'384);
  EXPECT_EQ(a.counters.l2_read_hits, 1'310'720);  // 62.5 % of 2'097'152
  EXPECT_EQ(a.counters.l2_write_hits, 32'768);
  EXPECT_EQ(a.counters.dram_read_bytes, 2 * 32 * 393'216);
  EXPECT_EQ(a.counters.dram_write_bytes, 2 * 32 * 16'384);
  EXPECT_EQ(a.counters.time_s, 0.0);
  EXPECT_EQ(a.metrics.at("l2_subp0_read_sector_misses").value, "1100");  // events are kept as raw metrics
  const ProfiledKernel& b = p.kernels[1];
  EXPECT_EQ(b.name, "void add_kernel<float>(float const *, float*, int)");
  EXPECT_EQ(b.counters.l2_read_hits, 0);
  EXPECT_EQ(b.counters.l2_write_hits, 130'417);  // 99.5 % of 131'072 = 130'416.64, rounded
  EXPECT_EQ(p.to_traffic().source, "nvprof");
  EXPECT_TRUE(has_note(p, "no kernel duration"));
  EXPECT_TRUE(has_note(p, "Avg x Invocations"));
}

TEST(NvprofTrace, OneKernelPerRowWithOrWithoutPercentSigns) {
  const Profile p = read_profile(data("nvprof_trace_metrics.csv"));
  EXPECT_EQ(p.format, ProfileFormat::nvprof_trace);
  ASSERT_EQ(p.kernels.size(), 3u);
  EXPECT_EQ(p.kernels[0].counters.l2_read_hits, 786'432);  // 75 % of 2^20
  EXPECT_EQ(p.kernels[0].counters.dram_read_bytes, 32 * 262'144);
  EXPECT_EQ(p.kernels[1].name, "void add_kernel<float>(float const *, float*, int)");
  EXPECT_EQ(p.kernels[1].counters.l2_write_hits, 131'072);  // "100.000000" without '%'
  EXPECT_EQ(p.kernels[2].counters.l2_read_hits, 838'861);   // 80 % of 2^20 = 838'860.8
  EXPECT_EQ(p.kernels[2].counters.dram_read_bytes, 32 * 209'715);
  EXPECT_EQ(p.kernels[2].line, 8u);
  EXPECT_EQ(p.kernels[2].metrics.at("Correlation_ID").value, "125");
}

TEST(NvprofTrace, TimingTraceSkipsMemcpyRowsAndNamesTheMissingMetric) {
  // A timing trace has durations but no L2 counters; the memcpy row is not a kernel.
  testing::expect_config_error([] { read_profile(data("nvprof_trace_timing.csv")); }, data("nvprof_trace_timing.csv"),
                               7, "l2_tex_read_transactions",
                               "kernel 0 'volta_sgemm_128x64_nn' has no metric l2_tex_read_transactions");
}

TEST(NvprofTrace, DurationColumnUsesTheUnitsRow) {
  const std::string text =
      "\"Duration\",\"Device\",\"Context\",\"Stream\",\"Name\",\"l2_tex_read_transactions\","
      "\"l2_tex_write_transactions\",\"l2_tex_read_hit_rate\",\"l2_tex_write_hit_rate\",\"dram_read_transactions\","
      "\"dram_write_transactions\"\n"
      "us,,,,,,,%,%,,\n"
      "1.5,\"GPU (0)\",1,7,\"k [12]\",10,4,50,100,2,1\n";
  const Profile p = parse_profile(text, "t.csv");
  ASSERT_EQ(p.kernels.size(), 1u);
  EXPECT_EQ(p.kernels[0].name, "k");  // the correlation ID suffix is not part of the name
  EXPECT_DOUBLE_EQ(p.kernels[0].counters.time_s, 1.5e-6);
  EXPECT_EQ(p.kernels[0].counters.l2_read_hits, 5);
  EXPECT_FALSE(has_note(p, "no kernel duration"));
}

TEST(NvprofSummary, HitRateAboveHundredIsAnError) {
  const std::string text =
      "\"Device\",\"Kernel\",\"Invocations\",\"Metric Name\",\"Metric Description\",\"Min\",\"Max\",\"Avg\"\n"
      "\"G\",\"k\",1,\"l2_tex_read_transactions\",\"d\",10,10,10\n"
      "\"G\",\"k\",1,\"l2_tex_write_transactions\",\"d\",10,10,10\n"
      "\"G\",\"k\",1,\"l2_tex_read_hit_rate\",\"d\",120.0%,120.0%,120.0%\n"
      "\"G\",\"k\",1,\"l2_tex_write_hit_rate\",\"d\",1%,1%,1%\n"
      "\"G\",\"k\",1,\"dram_read_transactions\",\"d\",1,1,1\n"
      "\"G\",\"k\",1,\"dram_write_transactions\",\"d\",1,1,1\n";
  testing::expect_config_error([&] { parse_profile(text, "s.csv"); }, "s.csv", 4, "l2_tex_read_hit_rate",
                               "above 100 %");
}

TEST(NvprofSummary, InvocationsMustAgreeWithinAKernel) {
  const std::string text =
      "\"Device\",\"Kernel\",\"Invocations\",\"Metric Name\",\"Metric Description\",\"Min\",\"Max\",\"Avg\"\n"
      "\"G\",\"k\",2,\"l2_tex_read_transactions\",\"d\",10,10,10\n"
      "\"G\",\"k\",3,\"l2_tex_write_transactions\",\"d\",10,10,10\n";
  testing::expect_config_error([&] { parse_profile(text, "s.csv"); }, "s.csv", 3, "Invocations",
                               "has 3 invocations here but 2 on line 2");
}

// ---- detection and entry points ---------------------------------------------------------------

TEST(Detect, EachLayoutIsRecognisedByItsHeader) {
  const auto detect = [](const std::string& name) {
    return read_profile(data(name)).format;  // read_profile detects, then parses
  };
  EXPECT_EQ(detect("h100_ncu2025_details_nvtx.csv"), ProfileFormat::ncu_details);
  EXPECT_EQ(detect("ncu_details_old.csv"), ProfileFormat::ncu_details);
  EXPECT_EQ(detect("ncu_raw.csv"), ProfileFormat::ncu_raw);
  EXPECT_EQ(detect("nvprof_summary.csv"), ProfileFormat::nvprof_summary);
  EXPECT_EQ(detect("nvprof_trace_metrics.csv"), ProfileFormat::nvprof_trace);
  EXPECT_EQ(detect_profile_format("==1== x\n\"Device\",\"Context\",\"Stream\",\"Kernel\"\n", "s"),
            ProfileFormat::nvprof_trace);
  EXPECT_EQ(profile_format_name(ProfileFormat::ncu_raw), "ncu_raw");
}

TEST(Detect, NcuPrintSummaryPageIsRefusedWithAReason) {
  testing::expect_config_error([] { read_profile(data("h100_ncu2025_print_summary.csv")); },
                               data("h100_ncu2025_print_summary.csv"), 8, "", "--print-summary");
}

TEST(Detect, EmptyAndHeaderlessFilesAreErrors) {
  testing::expect_config_error([] { parse_profile("", "e.csv"); }, "e.csv", 0, "", "the profile is empty");
  testing::expect_config_error([] { parse_profile("\n  \n", "e.csv"); }, "e.csv", 0, "", "the profile is empty");
  testing::expect_config_error([] { parse_profile("==PROF== Connected\nhello\n", "h.csv"); }, "h.csv", 0, "",
                               "no profiler CSV header found");
  testing::expect_config_error([] { parse_profile(details_csv({}), "n.csv"); }, "n.csv", 1, "",
                               "has a header but no kernel rows");
}

TEST(Import, ImportProfileIsTheTrafficOfReadProfile) {
  const Traffic t = import_profile(data("ncu_raw.csv"));
  const Traffic expected = read_profile(data("ncu_raw.csv")).to_traffic();
  ASSERT_EQ(t.kernels.size(), 2u);
  EXPECT_EQ(t.kernels, expected.kernels);
  EXPECT_EQ(t.kernels[0].layer, "aten::conv2d");
  EXPECT_EQ(t.kernels[0].name, "void cudnn::cnn::conv2d_grouped_direct_kernel<float>(int, float const*)");
  EXPECT_THROW(read_profile(data("no_such_file.csv")), IoError);
}

// ---- refusals of bad values -------------------------------------------------------------------

TEST(NcuErrors, MissingColumnIsNamedAtTheHeaderLine) {
  const std::string text = "\"ID\",\"Kernel Name\",\"Metric Name\",\"Metric Value\"\n\"0\",\"k\",\"m\",\"1\"\n";
  testing::expect_config_error([&] { parse_profile(text, "c.csv"); }, "c.csv", 1, "Metric Unit",
                               "the Nsight Compute details header has no column 'Metric Unit'");
}

TEST(NcuErrors, MissingMetricNamesKernelLineAndMetric) {
  const auto rows = without(complete_launch("0"), "gpu__time_duration.sum");
  testing::expect_config_error([&] { parse_profile(details_csv(rows), "m.csv"); }, "m.csv", 2, "gpu__time_duration.sum",
                               "kernel 0 'k' has no metric gpu__time_duration.sum");
  const auto na = with(complete_launch("0"), "lts__t_sectors_srcunit_tex_op_write.sum", "sector", "n/a");
  testing::expect_config_error([&] { parse_profile(details_csv(na), "m.csv"); }, "m.csv", 2,
                               "lts__t_sectors_srcunit_tex_op_write.sum", "has no value ('n/a')");
  const auto no_dram = without(complete_launch("0"), "dram__bytes_write.sum");
  testing::expect_config_error([&] { parse_profile(details_csv(no_dram), "m.csv"); }, "m.csv", 2,
                               "dram__bytes_write.sum", "(or dram__sectors_write.sum)");
}

TEST(NcuErrors, UnknownUnitIsNamedWithTheAcceptedOnes) {
  const auto rows = with(complete_launch("0"), "dram__bytes_read.sum", "Kbit", "12");
  testing::expect_config_error([&] { parse_profile(details_csv(rows), "u.csv"); }, "u.csv", line_of(0),
                               "dram__bytes_read.sum", "unknown unit 'Kbit' for a byte count: expected 'byte'");
  const auto time = with(complete_launch("0"), "gpu__time_duration.sum", "cycle", "12");
  testing::expect_config_error([&] { parse_profile(details_csv(time), "u.csv"); }, "u.csv", line_of(2),
                               "gpu__time_duration.sum", "unknown unit 'cycle' for a duration");
  const auto empty = with(complete_launch("0"), "gpu__time_duration.sum", "", "12");
  testing::expect_config_error([&] { parse_profile(details_csv(empty), "u.csv"); }, "u.csv", line_of(2),
                               "gpu__time_duration.sum", "unknown unit '' for a duration");
}

TEST(NcuErrors, NonNumericValuesAreRefused) {
  for (const std::string bad : {"abc", "1,23", "12,", "1.2.3", "1e", "1,234 5", "--1"}) {
    const auto rows = with(complete_launch("0"), "lts__t_sectors_srcunit_tex_op_read.sum", "sector", bad);
    testing::expect_config_error([&] { parse_profile(details_csv(rows), "v.csv"); }, "v.csv", line_of(3),
                                 "lts__t_sectors_srcunit_tex_op_read.sum", "is not a number");
  }
  const auto negative = with(complete_launch("0"), "lts__t_sectors_srcunit_tex_op_read.sum", "sector", "-5");
  testing::expect_config_error([&] { parse_profile(details_csv(negative), "v.csv"); }, "v.csv", line_of(3),
                               "lts__t_sectors_srcunit_tex_op_read.sum", "negative value '-5'");
}

TEST(NcuErrors, AcceptedNumberForms) {
  const auto rows = with(with(complete_launch("0"), "lts__t_sectors_srcunit_tex_op_read.sum", "sector", "1,234,567"),
                         "dram__bytes_read.sum", "Kbyte", "1.5e3");
  const Profile p = parse_profile(details_csv(rows), "ok.csv");
  EXPECT_EQ(p.kernels[0].counters.l2_read_sectors, 1'234'567);
  EXPECT_EQ(p.kernels[0].counters.dram_read_bytes, 1'500'000);
}

TEST(NcuErrors, MalformedRowsNameTheirLine) {
  std::string text = details_csv(complete_launch("0"));
  text += "\"0\",\"too\",\"short\"\n";
  testing::expect_config_error([&] { parse_profile(text, "w.csv"); }, "w.csv", 9, "",
                               "row has 3 fields, the header (line 1) has 15");
  std::string open = details_csv(complete_launch("0"));
  open += "\"0\",\"unterminated\n";
  testing::expect_config_error([&] { parse_profile(open, "w.csv"); }, "w.csv", 10, "", "unterminated quoted field");
}

TEST(NcuErrors, ConflictingDuplicateMetricAndRenamedKernelAreRefused) {
  auto rows = complete_launch("0");
  rows.push_back({"0", "gpu__time_duration.sum", "ns", "9"});
  testing::expect_config_error([&] { parse_profile(details_csv(rows), "d.csv"); }, "d.csv", 9, "gpu__time_duration.sum",
                               "lists this metric twice with different values");
  std::string text = details_csv(complete_launch("0"), "first");
  text += details_csv({{"0", "x", "", "1"}}, "second").substr(text.find('\n') + 1);
  testing::expect_config_error([&] { parse_profile(text, "d.csv"); }, "d.csv", 9, "Kernel Name",
                               "launch ID 0 names kernel 'second' here but 'first' on line 2");
}

}  // namespace
}  // namespace deepnvm
