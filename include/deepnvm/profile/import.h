// SPDX-License-Identifier: MIT
#pragma once

// Importers of measured GPU counters: Nsight Compute (`ncu --csv`, details and raw pages) and nvprof
// (`nvprof --csv`, summary and GPU-trace modes) into the Traffic type the traffic model produces,
// so a study can use measured or modelled traffic interchangeably.
//
// The metric -> field mapping, the units accepted and the measurement pitfalls are in
// docs/models/profile.md (after shared/docs/notes/gpus.md §2.5). In short, for ncu:
//   l2_read_sectors  <- lts__t_sectors_srcunit_tex_op_read.sum              (SM requests only)
//   l2_write_sectors <- lts__t_sectors_srcunit_tex_op_write.sum
//   l2_read_hits     <- lts__t_sectors_srcunit_tex_op_read_lookup_hit.sum
//   l2_write_hits    <- lts__t_sectors_srcunit_tex_op_write_lookup_hit.sum
//   dram_*_bytes     <- dram__bytes_{read,write}.sum  (or 32 x dram__sectors_{read,write}.sum)
//   time_s           <- gpu__time_duration.sum
// with the all-client lts__t_sectors_op_* metrics as a fallback that is recorded in Profile::notes.
// l2_write_allocates and flops are not measured: 0.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deepnvm/gpu/traffic.h"

namespace deepnvm {

/// Which profiler output a file holds.
enum class ProfileFormat {
  ncu_details,     // ncu --csv [--page details]: one row per (launch, metric)
  ncu_raw,         // ncu --csv --page raw: one row per launch, a units row after the header
  nvprof_summary,  // nvprof --csv --metrics ...: one row per (kernel name, metric), over all invocations
  nvprof_trace,    // nvprof --csv --print-gpu-trace [--metrics ...]: one row per launch
};
std::string_view profile_format_name(ProfileFormat format);  // "ncu_details", ...

/// Which L2 lookups the l2_* counters of a kernel count.
enum class L2Scope {
  sm_requests,  // srcunit_tex / l2_tex_*: requests from the SMs' L1TEX units (what the model counts)
  all_clients,  // lts__t_sectors_op_*: also copy engines and, on A100/H100, the far-partition fabric lookups
};
std::string_view l2_scope_name(L2Scope scope);  // "sm_requests", "all_clients"

/// Which hits KernelTraffic::l2_read_hits holds when a split L2 (A100, H100) was measured.
enum class L2HitView {
  near_partition,  // lts__t_sectors_srcunit_tex_op_read_lookup_hit.sum, as the counter reads
  logical,         // plus far-partition hits over the fabric (gpus.md pitfall P4); the single-L2 view
};

/// One metric exactly as the profiler printed it, and where.
struct RawMetric {
  std::string value;  // "1,048,576", "7.65%", "n/a", a device name...
  std::string unit;   // "sector", "byte", "ns", "%", "" ...
  std::size_t line = 0;
  bool operator==(const RawMetric&) const = default;
};

/// @brief One measured kernel (one launch; for nvprof summary files, all launches of one kernel name).
struct ProfiledKernel {
  std::string id;                        // ncu "ID"; nvprof: position in the file
  std::string name;                      // kernel name as the profiler prints it
  std::string layer;                     // innermost NVTX push/pop range, or empty
  std::vector<std::string> nvtx_ranges;  // the NVTX push/pop stack, outermost first
  std::string device;                    // as printed ("NVIDIA H100 80GB HBM3", "0", "Tesla V100 (0)")
  std::int64_t invocations = 1;          // launches summed into this entry (nvprof summary mode)
  std::size_t line = 0;                  // first line of the file that describes this kernel

  TrafficCounters counters;
  L2Scope l2_scope = L2Scope::sm_requests;

  // Split L2 (A100, H100; gpus.md P4): SM reads that missed in the near partition and were looked up
  // in the far one, and how many of those hit. Absent when not measured.
  std::optional<std::int64_t> fabric_read_sectors;  // lts__t_sectors_srcunit_ltcfabric_op_read.sum
  std::optional<std::int64_t> fabric_read_hits;     // lts__t_sectors_srcunit_ltcfabric_op_read_lookup_hit.sum

  /// Every metric of this kernel as printed, by metric name (ncu) or column/metric name (nvprof).
  std::map<std::string, RawMetric> metrics;

  /// l2_read_hits / l2_read_sectors; nothing if the kernel read nothing.
  std::optional<double> read_hit_rate() const;
  /// Near-partition plus fabric hits over SM read sectors (P4): what one unified L2 would have
  /// reported. Nothing without fabric metrics, without reads, or in the all_clients scope.
  std::optional<double> logical_read_hit_rate() const;
  /// The hits logical_read_hit_rate() counts, capped at l2_read_sectors (replay passes can make the
  /// sum exceed it by a few sectors; the import records a note when they do).
  std::optional<std::int64_t> logical_read_hits() const;

  KernelTraffic to_kernel_traffic(L2HitView view = L2HitView::near_partition) const;
};

/// @brief A whole imported profile: kernels in launch order, plus what the importer had to say.
struct Profile {
  ProfileFormat format = ProfileFormat::ncu_details;
  std::string source;  // the file (or the name given to parse_profile)
  std::vector<ProfiledKernel> kernels;
  /// Importer remarks a user must see: fallbacks taken, fields that are not measured, inconsistencies.
  std::vector<std::string> notes;
  /// The profiler's own ==WARNING== / ==ERROR== lines (e.g. "Running with uncontrolled GPU caches").
  std::vector<std::string> profiler_messages;

  /// source "ncu" or "nvprof"; kernels in launch order. L2HitView::logical throws ModelError if
  /// some kernel lacks the fabric metrics.
  Traffic to_traffic(L2HitView view = L2HitView::near_partition) const;
};

/// The format of profiler output `text`, recognised by its CSV header line. Throws ConfigError
/// naming `source` when there is no recognisable header (empty file, human-readable output, the
/// unsupported `ncu --print-summary` page).
ProfileFormat detect_profile_format(std::string_view text, const std::string& source);

/// Parses profiler output of any supported format (auto-detected). Errors are ConfigErrors naming
/// `source`, the line, and the metric or column at fault.
Profile parse_profile(std::string_view text, const std::string& source);

/// Reads and parses a profiler CSV file (IoError if it cannot be read).
Profile read_profile(const std::filesystem::path& path);

/// read_profile(path).to_traffic(): the measured traffic of a profiled workload.
Traffic import_profile(const std::filesystem::path& path);

}  // namespace deepnvm
