// SPDX-License-Identifier: MIT
// Plan steps -> kernels: tiling, split-K, residency, waves, buffer placement and analytic counts.
#include "deepnvm/gpu/lowering.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "deepnvm/core/error.h"

namespace deepnvm {

std::string_view kernel_kind_name(KernelKind kind) {
  switch (kind) {
    case KernelKind::gemm:
      return "gemm";
    case KernelKind::split_k_reduce:
      return "split_k_reduce";
    case KernelKind::stream:
      return "stream";
  }
  throw std::logic_error("unhandled KernelKind");
}

namespace {

// CTA resources (modelling choices, docs/models/traffic.md "Lowering"): GEMM CTAs of 256 threads
// with 128 registers each (the register budget of 128x128 SGEMM/HMMA main loops) and a double-
// buffered shared-memory stage of (TM + TN) x TK elements; streaming CTAs of 256 threads with 32
// registers, no shared memory, each covering 32 lines (4 KiB) of its largest operand.
constexpr int kGemmThreads = 256;
constexpr int kGemmRegisters = 128;
constexpr int kGemmStages = 2;
constexpr int kStreamThreads = 256;
constexpr int kStreamRegisters = 32;
constexpr std::int64_t kStreamCtaLines = 32;
constexpr std::int64_t kLine = 128;
constexpr std::int64_t kSector = 32;
constexpr int kPartialBytes = 4;  // split-K partial sums are fp32
constexpr int kMaxSplitK = 32;
constexpr std::int64_t kMinStepsPerSlice = 4;  // a split-K slice keeps at least 4 interleaving steps of K

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }
std::uint64_t align_up(std::uint64_t v, std::uint64_t a) { return (v + a - 1) / a * a; }

// Sectors touched by [address, address + bytes).
std::int64_t sectors_of(std::uint64_t address, std::int64_t bytes) {
  if (bytes <= 0) return 0;
  return static_cast<std::int64_t>((address + static_cast<std::uint64_t>(bytes) - 1) / kSector - address / kSector) + 1;
}

std::int64_t stream_operand_sectors(const StreamOperand& op) {
  if (op.gather_row_bytes > 0) {
    // Rows start at multiples of the row size; with 32-byte-multiple rows each row is whole sectors.
    const std::int64_t rows = op.bytes / op.gather_row_bytes;
    return rows * ceil_div(op.gather_row_bytes, kSector);
  }
  if (op.offset + op.bytes <= op.period)
    return sectors_of(op.address + static_cast<std::uint64_t>(op.offset), op.bytes);
  std::int64_t sectors = 0, done = 0;
  while (done < op.bytes) {
    const std::int64_t at = (op.offset + done) % op.period;
    const std::int64_t len = std::min(op.bytes - done, op.period - at);
    sectors += sectors_of(op.address + static_cast<std::uint64_t>(at), len);
    done += len;
  }
  return sectors;
}

class Lowerer {
 public:
  Lowerer(const Network& net, const GpuSpec& gpu, const LoweringOptions& options)
      : net_(net), gpu_(gpu), opt_(options) {}

  LoweredWorkload run() && {
    LoweredWorkload out;
    out.plan = expand(
        net_,
        ExpansionOptions{.mode = opt_.mode, .batch = opt_.batch, .dtype = opt_.dtype, .optimizer = opt_.optimizer});
    tile_ = gpu_.tile(opt_.dtype);
    gpu_.peak(opt_.dtype);  // a precision the preset cannot run is an error now, not at roofline time
    eb_ = static_cast<int>(dtype_bytes(opt_.dtype));
    std::uint64_t next = kAllocationBase;
    for (const Buffer& buf : out.plan.buffers) {
      out.allocations.push_back(Allocation{.name = buf.name, .role = buf.role, .address = next, .bytes = buf.bytes});
      next = align_up(next + static_cast<std::uint64_t>(buf.bytes), kAllocationAlignment);
    }
    workspace_ = next;
    allocations_ = &out.allocations;
    plan_ = &out.plan;
    for (const Step& step : out.plan.steps) lower_step(step, out.kernels);
    if (workspace_bytes_ > 0)
      out.allocations.push_back(Allocation{.name = "split_k_workspace",
                                           .role = BufferRole::workspace,
                                           .address = workspace_,
                                           .bytes = workspace_bytes_});
    return out;
  }

 private:
  std::uint64_t address_of(BufferId id) const { return (*allocations_)[id].address; }

  Kernel base_kernel(const Step& step, std::string name, KernelKind kind) const {
    Kernel k;
    k.name = std::move(name);
    k.layer = net_.layers.at(step.layer).name;
    k.pass = step.pass;
    k.kind = kind;
    k.dtype = opt_.dtype;
    return k;
  }

  void schedule(Kernel& k, int threads, int registers, std::int64_t shared) const {
    k.threads_per_cta = threads;
    k.ctas_per_sm = resident_ctas_per_sm(gpu_, threads, registers, shared);
    k.wave_ctas = static_cast<std::int64_t>(k.ctas_per_sm) * gpu_.sms;
    k.waves = ceil_div(k.ctas, k.wave_ctas);
  }

  void lower_step(const Step& step, std::vector<Kernel>& out) {
    if (step.kind == StepKind::gemm) {
      lower_gemm(step, out);
    } else {
      std::vector<StreamOperand> ops;
      for (const Region& r : step.reads) ops.push_back(place(r, false));
      for (const Region& r : step.writes) ops.push_back(place(r, true));
      Kernel k = stream_kernel(step, step.name, KernelKind::stream, std::move(ops));
      k.flops = step.flops;
      out.push_back(std::move(k));
    }
  }

  StreamOperand place(const Region& r, bool write) const {
    return StreamOperand{.address = address_of(r.buffer),
                         .period = plan_->buffers[r.buffer].bytes,
                         .offset = r.offset,
                         .bytes = r.bytes,
                         .gather_row_bytes = r.gather_row_bytes,
                         .write = write};
  }

  Kernel stream_kernel(const Step& step, std::string name, KernelKind kind, std::vector<StreamOperand> ops) const {
    Kernel k = base_kernel(step, std::move(name), kind);
    std::int64_t max_lines = 1;
    for (const StreamOperand& op : ops) {
      max_lines = std::max(max_lines, ceil_div(op.bytes, kLine));
      const std::int64_t sectors = stream_operand_sectors(op);
      const std::int64_t footprint =
          op.gather_row_bytes > 0 ? std::min(op.bytes, op.period) : std::min(op.bytes, op.period);
      (op.write ? k.analytic_write_sectors : k.analytic_read_sectors) += sectors;
      (op.write ? k.footprint_write_bytes : k.footprint_read_bytes) += footprint;
    }
    // Reads come before writes in the interleaving of one line step.
    std::stable_partition(ops.begin(), ops.end(), [](const StreamOperand& op) { return !op.write; });
    k.operands = std::move(ops);
    k.ctas = ceil_div(max_lines, kStreamCtaLines);
    k.lines_per_cta = ceil_div(max_lines, k.ctas);
    schedule(k, kStreamThreads, kStreamRegisters, 0);
    return k;
  }

  PlacedOperand placed(const Operand& o) const {
    return PlacedOperand{.layout = o, .address = address_of(o.buffer), .element_bytes = eb_};
  }

  void lower_gemm(const Step& step, std::vector<Kernel>& out) {
    const Gemm& g = *step.gemm;
    GemmLaunch L;
    L.m = g.m;
    L.n = g.n;
    L.k = g.k;
    L.batch = g.batch;
    L.tile = tile_;
    // One interleaving step covers a whole line of K: ceil(128 / (TK·b)) stages.
    L.k_step = tile_.k * ceil_div(kLine, static_cast<std::int64_t>(tile_.k) * eb_);
    L.tiles_m = ceil_div(g.m, tile_.m);
    L.tiles_n = ceil_div(g.n, tile_.n);
    L.a = placed(g.a);
    L.b = placed(g.b);
    L.c = placed(g.c);
    if (g.bias) {
      L.bias = address_of(*g.bias);
      L.bias_bytes = eb_;
    }
    const std::int64_t shared = static_cast<std::int64_t>(kGemmStages) * (tile_.m + tile_.n) * tile_.k * eb_;
    const Layer& layer = net_.layers.at(step.layer);
    std::string name = fmt::format("{}_{}_{}x{}x{}", op_name(layer.op), step.name, tile_.m, tile_.n, tile_.k);

    Kernel k = base_kernel(step, name, KernelKind::gemm);
    k.flops = step.flops;
    const std::int64_t tiles = L.batch * L.tiles_m * L.tiles_n;
    k.ctas = tiles;
    schedule(k, kGemmThreads, kGemmRegisters, shared);
    int split = 1;
    if (opt_.split_k && tiles < k.wave_ctas) {
      const std::int64_t by_fill = ceil_div(k.wave_ctas, tiles);
      const std::int64_t by_depth = std::max<std::int64_t>(1, g.k / (kMinStepsPerSlice * L.k_step));
      split = static_cast<int>(std::min<std::int64_t>({by_fill, by_depth, kMaxSplitK}));
      if (split > 1) {  // slices of whole steps; drop empty ones
        const std::int64_t slice = ceil_div(ceil_div(g.k, split), L.k_step) * L.k_step;
        split = static_cast<int>(ceil_div(g.k, slice));
      }
    }
    L.split_k = split;
    const std::int64_t out_elements = L.batch * g.m * g.n;
    // Analytic counts of gpus.md §3.3 (exact when M, N are multiples of the tile and rows are aligned).
    k.analytic_read_sectors = tiles * g.k * (tile_.m + tile_.n) * eb_ / kSector;
    if (L.bias) k.analytic_read_sectors += tiles * tile_.n * eb_ / kSector;
    k.footprint_read_bytes = plan_->buffers[g.a.buffer].bytes + plan_->buffers[g.b.buffer].bytes +
                             (g.bias ? plan_->buffers[*g.bias].bytes : 0);
    if (split > 1) {
      k.name += fmt::format("_splitk{}", split);
      const std::int64_t partial_bytes = static_cast<std::int64_t>(split) * out_elements * kPartialBytes;
      workspace_bytes_ = std::max(workspace_bytes_, partial_bytes);
      L.c = PlacedOperand{.layout = Operand{.buffer = g.c.buffer,
                                            .offset = 0,
                                            .rows = IndexMap{.lo_count = 0, .lo_stride = g.n, .hi_stride = 0},
                                            .cols = IndexMap{.lo_count = 0, .lo_stride = 1, .hi_stride = 0},
                                            .batches = IndexMap{.lo_count = 0, .lo_stride = g.m * g.n, .hi_stride = 0},
                                            .im2col = {}},
                          .address = workspace_,
                          .element_bytes = kPartialBytes};
      k.ctas = tiles * split;
      schedule(k, kGemmThreads, kGemmRegisters, shared);
      k.analytic_write_sectors = partial_bytes / kSector;
      k.footprint_write_bytes = partial_bytes;
      k.gemm = L;
      out.push_back(std::move(k));
      // The reduction: read the partials, write C (modelled as a contiguous range of C's buffer).
      std::vector<StreamOperand> ops{StreamOperand{.address = workspace_,
                                                   .period = partial_bytes,
                                                   .offset = 0,
                                                   .bytes = partial_bytes,
                                                   .gather_row_bytes = 0,
                                                   .write = false},
                                     StreamOperand{.address = address_of(g.c.buffer),
                                                   .period = plan_->buffers[g.c.buffer].bytes,
                                                   .offset = 0,
                                                   .bytes = out_elements * eb_,
                                                   .gather_row_bytes = 0,
                                                   .write = true}};
      Kernel r = stream_kernel(step, fmt::format("{}_{}_splitk_reduce", op_name(layer.op), step.name),
                               KernelKind::split_k_reduce, std::move(ops));
      r.flops = 0;  // the partial sums' adds are part of the GEMM's 2·MACs
      out.push_back(std::move(r));
      return;
    }
    k.analytic_write_sectors = out_elements * eb_ / kSector;
    k.footprint_write_bytes = plan_->buffers[g.c.buffer].bytes;
    k.gemm = L;
    out.push_back(std::move(k));
  }

  const Network& net_;
  const GpuSpec& gpu_;
  LoweringOptions opt_;
  GemmTile tile_;
  int eb_ = 4;
  std::uint64_t workspace_ = 0;
  std::int64_t workspace_bytes_ = 0;
  const std::vector<Allocation>* allocations_ = nullptr;
  const ExecutionPlan* plan_ = nullptr;
};

}  // namespace

int resident_ctas_per_sm(const GpuSpec& gpu, int threads, int registers_per_thread, std::int64_t shared_bytes) {
  int n = gpu.max_ctas_per_sm;
  n = std::min(n, gpu.max_threads_per_sm / std::max(threads, 1));
  n = std::min(n, gpu.registers_per_sm / std::max(threads * registers_per_thread, 1));
  if (shared_bytes > 0)
    n = std::min<int>(n, static_cast<int>(static_cast<std::int64_t>(gpu.shared_memory_per_sm) / shared_bytes));
  return std::max(n, 1);
}

LoweredWorkload lower_workload(const Network& net, const GpuSpec& gpu, const LoweringOptions& options) {
  return Lowerer(net, gpu, options).run();
}

std::vector<Kernel> lower(const Network& net, const GpuSpec& gpu, const LoweringOptions& options) {
  return lower_workload(net, gpu, options).kernels;
}

double roofline_time(const Kernel& kernel, const GpuSpec& gpu, const TrafficCounters& counters) {
  const double peak = kernel.kind == KernelKind::gemm ? gpu.peak(kernel.dtype) : gpu.peak(DType::fp32);
  const double compute = static_cast<double>(kernel.flops) / peak;
  const double l2 = static_cast<double>(kSector) *
                    static_cast<double>(counters.l2_read_sectors + counters.l2_write_sectors) / gpu.l2_bandwidth;
  const double dram = static_cast<double>(counters.dram_read_bytes + counters.dram_write_bytes) / gpu.dram_bandwidth;
  return std::max({compute, l2, dram});
}

}  // namespace deepnvm
