// SPDX-License-Identifier: MIT
#pragma once

// Kernel lowering (docs/models/traffic.md "Lowering", "Wave scheduling", "L1 filtering"): each step
// of an ExecutionPlan becomes one or more kernels with a documented tiling, every buffer gets an
// address, and each kernel can replay its L2 access stream in chunks.
//
// - GEMM-like steps (convolutions in all three passes, Linear, MatMul, attention products) run as
//   (implicit) GEMMs with the preset's CTA tile TM x TN x TK for the dtype (gpus.md §3.2); each CTA
//   stages its A and B tiles through shared memory, so every tile element is requested from L2 once
//   per CTA whatever the L1 does. A grid that under-fills one wave is split along K (parallel
//   split-K, a second kernel reduces the fp32 partials; gpus.md §3.2).
// - Streaming steps (elementwise, copies, gathers, reductions, optimizer updates) touch each byte of
//   each operand once.
// - CTAs are dispatched in increasing linear index in waves of SMs x resident CTAs per SM (limits of
//   threads, registers, shared memory and CTAs); the CTAs of a wave advance in lock step and their
//   requests interleave round-robin per K step (gpus.md §3.3).
//
// The stream is line-granular: one L2Access per 128-byte line touched by a contiguous run, with the
// mask of its sectors. One interleaving step of a GEMM covers 128 bytes of K (e.g. 4 stages of TK=8
// fp32): the sectors of one line a CTA needs are requested together (docs explain the effect).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "deepnvm/gpu/access.h"
#include "deepnvm/gpu/gpu.h"
#include "deepnvm/gpu/traffic.h"
#include "deepnvm/workload/graph.h"
#include "deepnvm/workload/training.h"

namespace deepnvm {

struct LoweringOptions {
  Mode mode = Mode::inference;
  std::int64_t batch = 1;
  DType dtype = DType::fp32;
  Optimizer optimizer = Optimizer::sgd_momentum;
  bool split_k = true;  // parallel split-K for GEMMs whose grid under-fills one wave
  bool operator==(const LoweringOptions&) const = default;
};

enum class KernelKind { gemm, split_k_reduce, stream };
std::string_view kernel_kind_name(KernelKind kind);

/// A GEMM operand placed in memory: the plan's layout with the buffer's address and element size.
struct PlacedOperand {
  Operand layout;
  std::uint64_t address = 0;  // of the buffer
  int element_bytes = 0;
  bool operator==(const PlacedOperand&) const = default;
};

/// How a GEMM kernel is tiled and where its operands are.
struct GemmLaunch {
  std::int64_t m = 0, n = 0, k = 0, batch = 1;
  GemmTile tile;
  int split_k = 1;
  std::int64_t k_step = 0;  // K elements per interleaving step (128 bytes of K, a multiple of TK)
  std::int64_t tiles_m = 0, tiles_n = 0;
  PlacedOperand a, b, c;              // c: the output, or the fp32 split-K workspace when split_k > 1
  std::optional<std::uint64_t> bias;  // address of N bias elements read in the epilogue
  int bias_bytes = 0;
  bool operator==(const GemmLaunch&) const = default;
};

/// One operand of a streaming kernel: `bytes` from `offset` of a buffer at `address` of `period`
/// bytes (wrapping), or gathered rows.
struct StreamOperand {
  std::uint64_t address = 0;
  std::int64_t period = 0;
  std::int64_t offset = 0;
  std::int64_t bytes = 0;
  std::int64_t gather_row_bytes = 0;
  bool write = false;
  bool operator==(const StreamOperand&) const = default;
};

/// @brief One kernel launch.
struct Kernel {
  std::string name;   // "conv2d_fprop_128x128x8", "relu", "sgd_momentum", ...
  std::string layer;  // the network layer it belongs to
  Pass pass = Pass::forward;
  KernelKind kind = KernelKind::stream;
  DType dtype = DType::fp32;
  std::int64_t flops = 0;

  // launch
  std::int64_t ctas = 0;
  int threads_per_cta = 0;
  int ctas_per_sm = 0;  // resident, from the SM limits
  std::int64_t wave_ctas = 0;
  std::int64_t waves = 0;

  std::optional<GemmLaunch> gemm;       // kind gemm
  std::vector<StreamOperand> operands;  // kind stream / split_k_reduce; reads before writes
  std::int64_t lines_per_cta = 0;       // stream: lines of the largest operand per CTA

  // Analytic L2 counts (gpus.md §3.3), exact for aligned GEMMs and for streams of aligned buffers.
  std::int64_t analytic_read_sectors = 0;
  std::int64_t analytic_write_sectors = 0;
  // Distinct bytes the kernel reads and writes (its footprint; compulsory traffic if nothing is cached).
  std::int64_t footprint_read_bytes = 0;
  std::int64_t footprint_write_bytes = 0;

  bool operator==(const Kernel&) const = default;
};

/// @brief A placed buffer of the iteration.
struct Allocation {
  std::string name;
  BufferRole role = BufferRole::activation;
  std::uint64_t address = 0;
  std::int64_t bytes = 0;
};

/// Addresses of the plan's buffers: a bump allocator from kAllocationBase, each buffer aligned to
/// 512 bytes (PyTorch's caching allocator rounds to 512 B), never reused within the iteration, the
/// same in every iteration; the split-K workspace comes last.
inline constexpr std::uint64_t kAllocationBase = 1ull << 32;
inline constexpr std::uint64_t kAllocationAlignment = 512;

struct LoweredWorkload {
  ExecutionPlan plan;
  std::vector<Allocation> allocations;  // plan buffers, then the workspace
  std::vector<Kernel> kernels;
};

/// Expands and lowers `net`; ModelError if the preset lacks the dtype's peak or tile.
LoweredWorkload lower_workload(const Network& net, const GpuSpec& gpu, const LoweringOptions& options);

/// The kernels of one iteration in launch order.
std::vector<Kernel> lower(const Network& net, const GpuSpec& gpu, const LoweringOptions& options);

/// Replays the L2 requests of `kernel` into `sink`, in chunks of at most kAccessChunk accesses
/// (never the whole stream in memory). Deterministic.
inline constexpr std::size_t kAccessChunk = 4096;
void stream_accesses(const Kernel& kernel, const GpuSpec& gpu, AccessSink& sink);

/// max(FLOPs / peak, 32 B x (read + write sectors) / L2 bandwidth, DRAM bytes / DRAM bandwidth), s.
/// GEMMs use the peak of the kernel's dtype; other kernels run on the CUDA cores (peak_fp32).
double roofline_time(const Kernel& kernel, const GpuSpec& gpu, const TrafficCounters& counters);

/// Resident CTAs per SM for a CTA of `threads`, `registers_per_thread` and `shared_bytes`
/// (min over the SM's thread, register, shared-memory and CTA limits; at least 1).
int resident_ctas_per_sm(const GpuSpec& gpu, int threads, int registers_per_thread, std::int64_t shared_bytes);

}  // namespace deepnvm
