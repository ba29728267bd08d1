// SPDX-License-Identifier: MIT
#include "deepnvm/cachesim/traffic_model.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <condition_variable>
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "deepnvm/core/error.h"

namespace deepnvm {
namespace {

using cachesim::CacheSpec;
using cachesim::MrcBuilder;
using cachesim::SectoredCache;

// ---- warm-up tail --------------------------------------------------------------------------------

// The union of byte ranges, as disjoint [lo, hi) intervals keyed by lo.
class ByteUnion {
 public:
  void add(std::uint64_t lo, std::uint64_t hi) {
    if (hi <= lo) return;
    auto it = ranges_.upper_bound(lo);
    if (it != ranges_.begin() && std::prev(it)->second >= lo) --it;
    while (it != ranges_.end() && it->first <= hi) {
      lo = std::min(lo, it->first);
      hi = std::max(hi, it->second);
      bytes_ -= it->second - it->first;
      it = ranges_.erase(it);
    }
    ranges_.emplace(lo, hi);
    bytes_ += hi - lo;
  }
  std::uint64_t bytes() const noexcept { return bytes_; }

 private:
  std::map<std::uint64_t, std::uint64_t> ranges_;
  std::uint64_t bytes_ = 0;
};

// The allocation holding `address` (allocations are placed in ascending order).
const Allocation* allocation_at(const std::vector<Allocation>& allocations, std::uint64_t address) {
  auto it = std::upper_bound(allocations.begin(), allocations.end(), address,
                             [](std::uint64_t a, const Allocation& b) { return a < b.address; });
  if (it == allocations.begin()) return nullptr;
  --it;
  return address < it->address + static_cast<std::uint64_t>(it->bytes) ? &*it : nullptr;
}

// The buffers a kernel touches: GEMM operands whole (their tiles sweep them), stream operands by their
// range (the whole buffer when the range wraps or is gathered).
void add_kernel_ranges(const Kernel& k, const std::vector<Allocation>& allocations, ByteUnion& out) {
  auto whole = [&](std::uint64_t address) {
    if (const Allocation* a = allocation_at(allocations, address))
      out.add(a->address, a->address + static_cast<std::uint64_t>(a->bytes));
  };
  if (k.gemm) {
    whole(k.gemm->a.address);
    whole(k.gemm->b.address);
    whole(k.gemm->c.address);
    if (k.gemm->bias) whole(*k.gemm->bias);
  }
  for (const StreamOperand& op : k.operands) {
    const bool wraps = op.period > 0 && op.offset + op.bytes > op.period;
    if (wraps || op.gather_row_bytes > 0) {
      out.add(op.address, op.address + static_cast<std::uint64_t>(op.period));
    } else {
      const std::uint64_t lo = op.address + static_cast<std::uint64_t>(op.offset);
      out.add(lo, lo + static_cast<std::uint64_t>(op.bytes));
    }
  }
}

// The last kernel from which the rest of the iteration touches >= factor x capacity bytes (0 if none).
std::size_t warmup_start(const LoweredWorkload& w, double factor, std::uint64_t capacity) {
  if (factor <= 0 || w.kernels.empty()) return 0;
  const double needed = factor * static_cast<double>(capacity);
  ByteUnion touched;
  for (std::size_t k = w.kernels.size(); k-- > 0;) {
    add_kernel_ranges(w.kernels[k], w.allocations, touched);
    if (static_cast<double>(touched.bytes()) >= needed) return k;
  }
  return 0;
}

// ---- the stream, in slots ------------------------------------------------------------------------

// A run of one kernel's accesses. `first` opens the kernel, `last` closes it (a kernel has at least one
// slot, possibly empty).
struct Slot {
  std::vector<L2Access> accesses;
  std::uint32_t kernel = 0;
  bool measured = false;
  bool first = false;
  bool last = false;
};

constexpr std::size_t kSlotAccesses = std::size_t{1} << 16;  // 1 MiB of accesses
constexpr std::size_t kSlots = 16;                           // in flight between generator and sinks

class Consumer {
 public:
  virtual ~Consumer() = default;
  virtual void handle(const Slot& slot) = 0;
};

// The L2 at one capacity; per-kernel counters of the measured iteration.
class CacheConsumer final : public Consumer {
 public:
  CacheConsumer(const CacheSpec& spec, std::size_t kernels, std::size_t first_warm, bool flush, bool cold,
                const TrafficProgress& progress)
      : cache_(spec),
        counters_(kernels),
        first_warm_(first_warm),
        flush_(flush),
        cold_(cold),
        progress_(progress),
        total_((cold ? 0 : kernels - first_warm) + kernels) {}

  void handle(const Slot& s) override {
    if (!s.measured && s.kernel < first_warm_) return;
    if (s.first && flush_) {
      // The flush's write-backs are charged to the kernel that starts, and also kept apart: Nsight
      // Compute flushes outside the profiled kernel, so its counters never see them.
      const std::int64_t before = cache_.counters().dram_write_bytes;
      cache_.invalidate_all();
      if (s.measured) flush_write_bytes_ += cache_.counters().dram_write_bytes - before;
    }
    cache_.consume(s.accesses);
    accesses_ += s.accesses.size();
    if (!s.last) return;
    const TrafficCounters c = cache_.take_counters();
    if (s.measured) counters_[s.kernel] = c;
    ++done_;
    if (progress_) progress_(done_, total_);
  }

  // A cold run ends with the write-back of what is still dirty, charged to the last kernel.
  std::vector<TrafficCounters> finish() {
    if (cold_ && !counters_.empty()) {
      cache_.flush_dirty();
      counters_.back() += cache_.take_counters();
    }
    return std::move(counters_);
  }
  std::uint64_t accesses() const noexcept { return accesses_; }
  std::int64_t flush_write_bytes() const noexcept { return flush_write_bytes_; }

 private:
  SectoredCache cache_;
  std::vector<TrafficCounters> counters_;
  std::size_t first_warm_;
  bool flush_, cold_;
  const TrafficProgress& progress_;
  std::size_t done_ = 0, total_;
  std::uint64_t accesses_ = 0;
  std::int64_t flush_write_bytes_ = 0;
};

// The curve: warm-up kernels and measured kernels share indices 0..n-1, start_measurement() between.
class MrcConsumer final : public Consumer {
 public:
  MrcConsumer(const cachesim::MrcOptions& options, std::size_t first_warm, bool cold)
      : builder_(options), first_warm_(first_warm), cold_(cold) {}

  void handle(const Slot& s) override {
    if (!s.measured && s.kernel < first_warm_) return;
    if (s.first) {
      if (s.measured && s.kernel == 0 && !cold_) builder_.start_measurement();
      builder_.begin_kernel(s.kernel);
    }
    builder_.consume(s.accesses);
    accesses_ += s.accesses.size();
  }
  cachesim::MissRatioCurve finish() { return builder_.finish(); }
  std::uint64_t accesses() const noexcept { return accesses_; }

 private:
  MrcBuilder builder_;
  std::size_t first_warm_;
  bool cold_;
  std::uint64_t accesses_ = 0;
};

// Where the generator puts its chunks: directly into the consumers (one thread), or into a ring of
// slots that one thread per consumer drains in order (the results are the same: each consumer sees the
// same ordered stream whatever the thread count).
class SlotSink : public AccessSink {
 public:
  virtual void open(std::uint32_t kernel, bool measured) = 0;
  virtual void close() = 0;
  std::uint64_t accesses() const noexcept { return accesses_; }

 protected:
  std::uint64_t accesses_ = 0;
};

class InlineSink final : public SlotSink {
 public:
  explicit InlineSink(std::vector<Consumer*> consumers) : consumers_(std::move(consumers)) {
    slot_.accesses.reserve(kSlotAccesses);
  }
  void open(std::uint32_t kernel, bool measured) override {
    slot_.kernel = kernel;
    slot_.measured = measured;
    slot_.first = true;
    slot_.last = false;
    slot_.accesses.clear();
  }
  void consume(std::span<const L2Access> chunk) override {
    accesses_ += chunk.size();
    slot_.accesses.insert(slot_.accesses.end(), chunk.begin(), chunk.end());
    if (slot_.accesses.size() + kAccessChunk > kSlotAccesses) emit();
  }
  void close() override {
    slot_.last = true;
    emit();
  }

 private:
  void emit() {
    for (Consumer* c : consumers_) c->handle(slot_);
    slot_.first = false;
    slot_.accesses.clear();
  }
  std::vector<Consumer*> consumers_;
  Slot slot_;
};

class PipelineSink final : public SlotSink {
 public:
  explicit PipelineSink(std::vector<Consumer*> consumers) : consumers_(std::move(consumers)) {
    for (Slot& s : ring_) s.accesses.reserve(kSlotAccesses);
    consumed_.assign(consumers_.size(), 0);
    errors_.resize(consumers_.size());
    for (std::size_t i = 0; i < consumers_.size(); ++i) threads_.emplace_back([this, i] { drain(i); });
  }
  ~PipelineSink() override { join(); }
  PipelineSink(const PipelineSink&) = delete;
  PipelineSink& operator=(const PipelineSink&) = delete;

  void open(std::uint32_t kernel, bool measured) override {
    current_ = &acquire();
    current_->kernel = kernel;
    current_->measured = measured;
    current_->first = true;
    current_->last = false;
  }
  void consume(std::span<const L2Access> chunk) override {
    accesses_ += chunk.size();
    current_->accesses.insert(current_->accesses.end(), chunk.begin(), chunk.end());
    if (current_->accesses.size() + kAccessChunk > kSlotAccesses) {
      const std::uint32_t kernel = current_->kernel;
      const bool measured = current_->measured;
      publish();
      current_ = &acquire();
      current_->kernel = kernel;
      current_->measured = measured;
      current_->first = false;
      current_->last = false;
    }
  }
  void close() override {
    current_->last = true;
    publish();
  }

  // Waits for the consumers to drain the ring and rethrows the first error of a consumer.
  void stop() {
    join();
    for (std::exception_ptr& e : errors_)
      if (e) std::rethrow_exception(std::exchange(e, nullptr));
  }

 private:
  void join() noexcept {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    ready_.notify_all();
    for (std::thread& t : threads_)
      if (t.joinable()) t.join();
  }

  Slot& acquire() {
    std::unique_lock lock(mutex_);
    free_.wait(lock,
               [&] { return failed_ || produced_ - *std::min_element(consumed_.begin(), consumed_.end()) < kSlots; });
    if (failed_) throw ModelError("traffic model: a simulation thread failed");
    Slot& s = ring_[produced_ % kSlots];
    s.accesses.clear();
    return s;
  }
  void publish() {
    {
      std::lock_guard lock(mutex_);
      ++produced_;
    }
    ready_.notify_all();
  }
  void drain(std::size_t i) {
    try {
      for (;;) {
        std::uint64_t seq = 0;
        {
          std::unique_lock lock(mutex_);
          ready_.wait(lock, [&] { return consumed_[i] < produced_ || done_; });
          if (consumed_[i] == produced_) return;
          seq = consumed_[i];
        }
        consumers_[i]->handle(ring_[seq % kSlots]);
        {
          std::lock_guard lock(mutex_);
          ++consumed_[i];
        }
        free_.notify_all();
      }
    } catch (...) {
      errors_[i] = std::current_exception();
      {
        std::lock_guard lock(mutex_);
        failed_ = true;
        consumed_[i] = ~std::uint64_t{0} >> 1;  // never holds the generator back again
      }
      free_.notify_all();
    }
  }

  std::vector<Consumer*> consumers_;
  std::array<Slot, kSlots> ring_;
  Slot* current_ = nullptr;
  std::mutex mutex_;
  std::condition_variable ready_, free_;
  std::uint64_t produced_ = 0;
  std::vector<std::uint64_t> consumed_;
  bool done_ = false, failed_ = false;
  std::vector<std::exception_ptr> errors_;
  std::vector<std::thread> threads_;
};

bool hashed_slices(const GpuSpec& gpu) {
  std::string h = gpu.l2_slice_hash;
  std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* word : {"random", "ipoly", "xor", "hash"})
    if (h.find(word) != std::string::npos) return true;
  return false;
}

}  // namespace

cachesim::CacheSpec l2_cache_spec(const GpuSpec& gpu, std::uint64_t capacity, cachesim::ReplacementPolicy policy) {
  if (gpu.l2_ways < 1 || gpu.l2_slices < 1) throw ModelError("GPU preset '{}' has no L2 ways or slices", gpu.name);
  if (capacity == 0 || capacity % kL2LineBytes != 0)
    throw ConfigError({"<options>", 0}, "l2", "expected a positive multiple of 128 B (one line), got {} B", capacity);
  const std::uint64_t lines = capacity / kL2LineBytes;
  // The preset's ways when the capacity is a whole number of sets, else the most ways <= the preset's
  // that make whole sets (recorded in the spec, which the output shows).
  auto ways = static_cast<std::uint64_t>(gpu.l2_ways);
  while (lines % ways != 0) --ways;
  const auto slices = static_cast<std::uint64_t>(gpu.l2_slices);
  const bool whole_slices = (lines / ways) % slices == 0;
  return CacheSpec{.capacity = capacity,
                   .ways = static_cast<int>(ways),
                   .slices = whole_slices ? gpu.l2_slices : 1,
                   .policy = policy,
                   .indexing = hashed_slices(gpu) ? cachesim::SetIndexing::hash : cachesim::SetIndexing::modulo,
                   .seed = 0};
}

TrafficResult model_traffic(const Network& net, const GpuSpec& gpu, const TrafficOptions& options,
                            const TrafficProgress& progress) {
  const LoweredWorkload work = lower_workload(net, gpu, options.lowering);
  const std::size_t n = work.kernels.size();
  if (n >= std::numeric_limits<std::uint32_t>::max()) throw ModelError("too many kernels ({})", n);

  TrafficResult result;
  result.network = net.name;
  result.gpu = gpu.name;
  result.l2_bytes = options.l2_bytes.value_or(static_cast<std::uint64_t>(gpu.l2_capacity));
  result.l2 = l2_cache_spec(gpu, result.l2_bytes, options.policy);
  result.warm = !options.cold;
  for (const Allocation& a : work.allocations) result.footprint_bytes += static_cast<std::uint64_t>(a.bytes);

  // (A plain copy, not an optional one: GCC 12 warns wrongly about std::optional<MrcOptions> copies.)
  const bool want_mrc = options.mrc.has_value();
  if (!options.simulate && !want_mrc)
    throw ConfigError({"<options>", 0}, "simulate",
                      "a traffic model without the L2 simulation needs a miss-ratio curve (mrc)");
  cachesim::MrcOptions mrc_options;
  std::uint64_t mrc_largest = 0;
  if (want_mrc) {
    mrc_options = *options.mrc;
    mrc_options.flush_between_kernels = options.flush_between_kernels;
    mrc_options.final_flush = options.cold;  // steady state: the write-backs that happen in the iteration
    mrc_largest = mrc_options.capacities.empty() ? cachesim::capacity_points().back() : mrc_options.capacities.back();
  }
  const bool warm = !options.cold;
  result.warmup_first_kernel =
      warm && options.simulate ? warmup_start(work, options.warmup_footprint_factor, result.l2_bytes) : n;
  result.mrc_warmup_first_kernel =
      warm && want_mrc ? warmup_start(work, options.warmup_footprint_factor, mrc_largest) : n;

  std::optional<CacheConsumer> cache;
  if (options.simulate)
    cache.emplace(result.l2, n, result.warmup_first_kernel, options.flush_between_kernels, options.cold, progress);
  std::unique_ptr<MrcConsumer> mrc;
  if (want_mrc) mrc = std::make_unique<MrcConsumer>(mrc_options, result.mrc_warmup_first_kernel, options.cold);
  std::vector<Consumer*> consumers;
  if (cache) consumers.push_back(&*cache);
  if (mrc) consumers.push_back(mrc.get());

  const unsigned threads =
      options.threads > 0 ? static_cast<unsigned>(options.threads) : std::max(1u, std::thread::hardware_concurrency());
  std::unique_ptr<SlotSink> sink;
  PipelineSink* pipeline = nullptr;
  if (threads >= 2) {
    auto p = std::make_unique<PipelineSink>(consumers);
    pipeline = p.get();
    sink = std::move(p);
  } else {
    sink = std::make_unique<InlineSink>(consumers);
  }

  auto run_iteration = [&](bool measured, std::size_t first) {
    for (std::size_t k = first; k < n; ++k) {
      sink->open(static_cast<std::uint32_t>(k), measured);
      stream_accesses(work.kernels[k], gpu, *sink);
      sink->close();
    }
    return sink->accesses();
  };
  try {
    const std::uint64_t warmup =
        warm ? run_iteration(false, std::min(result.warmup_first_kernel, result.mrc_warmup_first_kernel)) : 0;
    result.generated_accesses = run_iteration(true, 0);
    result.measured_accesses = result.generated_accesses - warmup;
  } catch (...) {
    if (pipeline) pipeline->stop();  // a simulation thread's error is the one to report
    throw;
  }
  if (pipeline) pipeline->stop();

  std::vector<TrafficCounters> counters(n);
  if (cache) {
    counters = cache->finish();
    result.simulated_accesses = cache->accesses();
    result.flush_write_bytes = cache->flush_write_bytes();
  }
  if (mrc) result.curve_accesses = mrc->accesses();
  result.traffic.source = "model";
  result.traffic.kernels.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    const Kernel& kernel = work.kernels[k];
    TrafficCounters c = counters[k];
    c.flops = kernel.flops;
    c.time_s = roofline_time(kernel, gpu, c);
    result.traffic.kernels.push_back(KernelTraffic{.name = kernel.name, .layer = kernel.layer, .counters = c});
  }
  result.kernels = work.kernels;
  if (mrc) result.mrc = mrc->finish();
  return result;
}

}  // namespace deepnvm
