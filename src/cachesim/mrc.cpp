// SPDX-License-Identifier: MIT
#include "deepnvm/cachesim/mrc.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "deepnvm/core/error.h"
#include "mix.h"

namespace deepnvm::cachesim {
namespace {

constexpr std::uint64_t kNoLine = std::numeric_limits<std::uint64_t>::max();
constexpr int kSampleBits = 24;  // sampling compares the top 24 bits of the line hash with R * 2^24
constexpr std::uint64_t kSampleModulus = std::uint64_t{1} << kSampleBits;
constexpr std::uint64_t kMinTimeAxis = std::uint64_t{1} << 16;
constexpr std::size_t kMaxEdges = 250;    // buckets are stored in 8 bits, the last one meaning infinity
constexpr std::uint64_t kGridFirst = 16;  // lines; the sampled grid's first edge
constexpr std::uint64_t kGridLast = std::uint64_t{1} << 27;  // lines (16 GiB)
constexpr int kGridPerOctave = 8;

// Without -mpopcnt, std::popcount is a libgcc call; this is the branch-free SWAR count (Hacker's
// Delight, 2nd ed., §5-1).
constexpr std::uint64_t popcount64(std::uint64_t x) noexcept {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
  return (x * 0x0101010101010101ULL) >> 56;
}

// Counts set bits after a position on a time axis: the bits, one byte count per 64-bit word, and
// 32-bit counts per group of 64 below that, up to a single group. Setting or clearing a bit updates one
// entry per level; count_after sums at most 63 neighbours per level, contiguous in memory, so a query
// touches about one cache line per level instead of the log2(size) scattered nodes of a Fenwick tree.
class RankBits {
 public:
  // An axis of `size` positions (a multiple of 4096: whole groups of 64 words) with [0, prefix) set.
  void reset(std::uint64_t size, std::uint64_t prefix) {
    const std::uint64_t words = size / 64;
    words_.assign(words, 0);
    word_counts_.assign(words, 0);
    for (std::uint64_t w = 0; w < prefix / 64; ++w) {
      words_[w] = ~std::uint64_t{0};
      word_counts_[w] = 64;
    }
    if (prefix % 64 != 0) {
      words_[prefix / 64] = (std::uint64_t{1} << (prefix % 64)) - 1;
      word_counts_[prefix / 64] = static_cast<std::uint8_t>(prefix % 64);
    }
    levels_.clear();
    std::uint64_t n = words;
    while (n > 64) {
      const std::uint64_t up = (n + 63) / 64;
      std::vector<std::uint32_t> level((up + 63) / 64 * 64, 0);
      for (std::uint64_t j = 0; j < n; ++j) level[j / 64] += levels_.empty() ? word_counts_[j] : levels_.back()[j];
      levels_.push_back(std::move(level));
      n = up;
    }
  }
  std::uint64_t size() const noexcept { return words_.size() * 64; }
  void set(std::uint64_t p) noexcept {
    words_[p >> 6] |= std::uint64_t{1} << (p & 63);
    add(p >> 6, 1);
  }
  void clear(std::uint64_t p) noexcept {
    words_[p >> 6] &= ~(std::uint64_t{1} << (p & 63));
    add(p >> 6, -1);
  }
  std::uint64_t word(std::uint64_t w) const noexcept { return words_[w]; }
  std::uint64_t word_count() const noexcept { return words_.size(); }

  std::uint64_t count_after(std::uint64_t p) const noexcept {
    std::uint64_t w = p >> 6;
    // ~1 << s keeps the bits above s (and nothing for s = 63).
    std::uint64_t count = popcount64(words_[w] & (~std::uint64_t{1} << (p & 63)));
    count += group_sum_after(w);
    for (const auto& level : levels_) {
      w >>= 6;
      // The rest of w's aligned group (levels are padded to whole groups).
      const std::uint32_t* group = level.data() + (w & ~std::uint64_t{63});
      std::uint32_t sum = 0;  // a group holds at most 2^32 - 1 bits
      for (std::uint64_t j = (w & 63) + 1; j < 64; ++j) sum += group[j];
      count += sum;
    }
    return count;
  }

  // rank(p) = set bits before p, in O(1) after prepare_ranks() (for compaction).
  void prepare_ranks() {
    prefix_.resize(words_.size());
    std::uint64_t n = 0;
    for (std::size_t w = 0; w < words_.size(); ++w) {
      prefix_[w] = n;
      n += word_counts_[w];
    }
  }
  std::uint64_t rank(std::uint64_t p) const noexcept {
    return prefix_[p >> 6] + popcount64(words_[p >> 6] & ((std::uint64_t{1} << (p & 63)) - 1));
  }

 private:
  void add(std::uint64_t w, int delta) noexcept {
    word_counts_[w] = static_cast<std::uint8_t>(word_counts_[w] + delta);
    for (auto& level : levels_) {
      w >>= 6;
      level[w] = static_cast<std::uint32_t>(static_cast<std::int64_t>(level[w]) + delta);
    }
  }

  // Sum of the byte counts of the words after w in its aligned group of 64 (the word count is a
  // multiple of 64): eight 64-bit loads, the bytes up to w masked off, summed in 16-bit lanes (SWAR).
  std::uint64_t group_sum_after(std::uint64_t w) const noexcept {
    const std::uint8_t* group = word_counts_.data() + (w & ~std::uint64_t{63});
    const std::uint64_t first = (w & 63) + 1;  // bytes [first, 64) count
    std::uint64_t lanes = 0;
    for (std::uint64_t i = 0; i < 8; ++i) {
      std::uint64_t x = 0;
      std::memcpy(&x, group + 8 * i, 8);
      const std::uint64_t lo = 8 * i;  // byte index of x's lowest byte
      if (first >= lo + 8) continue;
      if (first > lo) x &= ~std::uint64_t{0} << (8 * (first - lo));
      lanes += (x & 0x00ff00ff00ff00ffULL) + ((x >> 8) & 0x00ff00ff00ff00ffULL);  // each lane <= 8 * 128
    }
    return (lanes * 0x0001000100010001ULL) >> 48;
  }

  std::vector<std::uint64_t> words_;
  std::vector<std::uint8_t> word_counts_;
  std::vector<std::vector<std::uint32_t>> levels_;
  std::vector<std::uint64_t> prefix_;
};

constexpr std::uint32_t kNoPos = std::numeric_limits<std::uint32_t>::max();

// What the pass keeps per tracked line (32 bytes, two per cache line).
struct LineState {
  std::uint32_t pos = kNoPos;          // time of the last access (a position on the RankBits axis); kNoPos: untracked
  std::uint8_t pending = 0;            // sectors written and not yet written back (in the stack model)
  std::array<std::uint8_t, 4> rmax{};  // per sector: largest line-distance bucket since its last access
  std::array<std::uint8_t, 4> wmax{};  // per sector: largest line-distance bucket since its last write
  std::array<std::uint32_t, 4> writer{};  // per sector: kernel of the last write
};

// Exact mode: every line is tracked, and GPU streams touch runs of neighbouring lines (coalesced tile
// rows), so the states live in pages of 512 consecutive lines, found through a small directory. A
// hash table would scatter neighbours and cost a cache miss per access.
class PagedLines {
 public:
  static constexpr int kPageBits = 9;
  static constexpr std::uint64_t kPageLines = std::uint64_t{1} << kPageBits;

  PagedLines() {
    keys_.assign(64, kNoLine);
    pages_.assign(64, 0);
  }
  std::size_t size() const noexcept { return size_; }

  std::pair<LineState*, bool> find_or_insert(std::uint64_t line) {
    const std::uint64_t key = line >> kPageBits;
    if (key != last_key_) {
      last_base_ = page_base(key);
      last_key_ = key;
    }
    LineState* s = &states_[last_base_ + (line & (kPageLines - 1))];
    const bool inserted = s->pos == kNoPos;
    size_ += inserted;
    return {s, inserted};
  }
  // Calls f(line, state) for every tracked line.
  template <typename F>
  void for_each(F&& f) {
    for (std::size_t slot = 0; slot < keys_.size(); ++slot) {
      if (keys_[slot] == kNoLine) continue;
      LineState* page = &states_[pages_[slot]];
      for (std::uint64_t i = 0; i < kPageLines; ++i)
        if (page[i].pos != kNoPos) f((keys_[slot] << kPageBits) + i, page[i]);
    }
  }

 private:
  std::uint64_t page_base(std::uint64_t key) {
    std::uint64_t mask = keys_.size() - 1;
    std::uint64_t slot = detail::mix64(key) & mask;
    for (; keys_[slot] != kNoLine; slot = (slot + 1) & mask)
      if (keys_[slot] == key) return pages_[slot];
    if (2 * (count_ + 1) > keys_.size()) {
      grow();
      mask = keys_.size() - 1;
      for (slot = detail::mix64(key) & mask; keys_[slot] != kNoLine;) slot = (slot + 1) & mask;
    }
    keys_[slot] = key;
    pages_[slot] = states_.size();
    ++count_;
    states_.resize(states_.size() + kPageLines);
    return pages_[slot];
  }
  void grow() {
    std::vector<std::uint64_t> keys(keys_.size() * 2, kNoLine), pages(keys_.size() * 2, 0);
    const std::uint64_t mask = keys.size() - 1;
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] == kNoLine) continue;
      std::uint64_t slot = detail::mix64(keys_[i]) & mask;
      while (keys[slot] != kNoLine) slot = (slot + 1) & mask;
      keys[slot] = keys_[i];
      pages[slot] = pages_[i];
    }
    keys_.swap(keys);
    pages_.swap(pages);
  }

  std::vector<LineState> states_;
  std::vector<std::uint64_t> keys_;   // directory: page number (line >> 9), kNoLine when empty
  std::vector<std::uint64_t> pages_;  // directory: first state of the page in states_
  std::size_t count_ = 0;             // pages
  std::size_t size_ = 0;              // tracked lines
  std::uint64_t last_key_ = kNoLine;
  std::uint64_t last_base_ = 0;
};

// Sampled mode: the tracked lines are scattered (one in 1/R), so they go into an open-addressing hash
// table with linear probing; entries only move when the table grows. Each entry also counts its sectors
// for the effective sample size of the error bound.
class HashedLines {
 public:
  struct Entry {
    std::uint64_t line = kNoLine;
    LineState state;
    std::uint32_t reads = 0, writes = 0;  // saturating
  };

  explicit HashedLines(std::uint64_t salt = 0) : salt_(salt) { slots_.resize(1024); }
  std::size_t size() const noexcept { return size_; }
  std::uint64_t hash(std::uint64_t line) const noexcept { return detail::mix64(line ^ salt_); }

  std::pair<Entry*, bool> find_or_insert(std::uint64_t line, std::uint64_t hash) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    const std::uint64_t mask = slots_.size() - 1;
    for (std::uint64_t slot = hash & mask;; slot = (slot + 1) & mask) {
      Entry& e = slots_[slot];
      if (e.line == line) return {&e, false};
      if (e.line == kNoLine) {
        e.line = line;
        ++size_;
        return {&e, true};
      }
    }
  }
  template <typename F>
  void for_each(F&& f) {
    for (Entry& e : slots_)
      if (e.line != kNoLine) f(e);
  }
  // Starts loading the slot where a lookup of `hash` begins (an entry may straddle two cache lines).
  void prefetch(std::uint64_t hash) const noexcept {
    const Entry* e = &slots_[hash & (slots_.size() - 1)];
    __builtin_prefetch(e);
    __builtin_prefetch(reinterpret_cast<const char*>(e) + sizeof(Entry) - 1);
  }

 private:
  // Sampled lines share the top hash bits (hash >> 40 < R 2^24); slots use the low bits.
  void grow() {
    std::vector<Entry> old(slots_.size() * 2);
    old.swap(slots_);
    const std::uint64_t mask = slots_.size() - 1;
    for (const Entry& e : old) {
      if (e.line == kNoLine) continue;
      std::uint64_t slot = hash(e.line) & mask;
      while (slots_[slot].line != kNoLine) slot = (slot + 1) & mask;
      slots_[slot] = e;
    }
  }

  std::uint64_t salt_ = 0;
  std::vector<Entry> slots_;
  std::size_t size_ = 0;
};

std::uint32_t saturating_add(std::uint32_t a, int b) {
  const std::uint64_t s = std::uint64_t{a} + static_cast<std::uint64_t>(b);
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(s, std::numeric_limits<std::uint32_t>::max()));
}

// Fraction of events beyond edge j: sum(h[b] for b > j) / denominator.
double beyond(const std::vector<std::int64_t>& h, std::size_t j, std::int64_t denominator) {
  if (denominator <= 0) return 0;
  std::int64_t n = 0;
  for (std::size_t b = j + 1; b < h.size(); ++b) n += h[b];
  return static_cast<double>(n) / static_cast<double>(denominator);
}

std::int64_t sum(const std::vector<std::int64_t>& h) {
  std::int64_t n = 0;
  for (const std::int64_t x : h) n += x;
  return n;
}

}  // namespace

std::vector<std::uint64_t> capacity_points() {
  std::vector<std::uint64_t> points;
  for (std::uint64_t base = std::uint64_t{256} << 10; base <= (std::uint64_t{1} << 30); base *= 2) {
    points.push_back(base);
    if (base == (std::uint64_t{1} << 30)) break;
    for (const std::uint64_t quarters : {5, 6, 7}) points.push_back(base * quarters / 4);
  }
  return points;
}

std::string_view to_string(MrcMethod method) { return method == MrcMethod::exact ? "exact" : "sampled"; }

// ------------------------------------------------------------------------------------------------
// The builder

struct MrcBuilder::State {
  MrcOptions options;
  bool sample_all = true;
  std::uint64_t threshold = kSampleModulus;  // a line is tracked iff hash >> 40 < threshold
  std::vector<std::uint64_t> capacities;
  std::vector<std::uint64_t> edges;       // lines
  std::vector<std::uint64_t> thresholds;  // bucket(d_s) = #{k : thresholds[k] < d_s}
  std::vector<std::size_t> capacity_edge;
  std::uint8_t infinite = 0;  // the bucket of infinite distance
  std::uint8_t bucket1 = 0;   // the bucket of distance 1

  std::vector<MrcHistograms> kernels;
  std::size_t current = 0;

  PagedLines paged;    // exact
  HashedLines hashed;  // sampled
  RankBits bits;
  std::uint64_t now = 0;    // next free position on the time axis
  std::uint64_t epoch = 0;  // lines last accessed before this position were flushed
  bool finished = false;

  std::size_t tracked() const noexcept { return sample_all ? paged.size() : hashed.size(); }

  std::array<std::uint8_t, 64> below_octave{};  // [o]: thresholds below 2^o

  // #{k : thresholds[k] < ds}: start from the thresholds below ds's octave and step over the few in it
  // (a binary search mispredicts a branch at nearly every step).
  std::uint8_t bucket(std::uint64_t ds) const noexcept {
    std::size_t b = below_octave[static_cast<std::size_t>(63 - std::countl_zero(ds))];
    while (b < thresholds.size() && thresholds[b] < ds) ++b;
    return static_cast<std::uint8_t>(b);
  }

  MrcHistograms& kernel(std::size_t k) {
    if (k >= kernels.size()) {
      const std::size_t buckets = edges.size() + 1;
      kernels.resize(k + 1, MrcHistograms{.read = std::vector<std::int64_t>(buckets, 0),
                                          .write = std::vector<std::int64_t>(buckets, 0),
                                          .writeback = std::vector<std::int64_t>(buckets, 0),
                                          .read_sectors = 0,
                                          .write_sectors = 0});
    }
    return kernels[k];
  }

  template <typename F>
  void for_each_state(F&& f) {
    if (sample_all) {
      paged.for_each([&](std::uint64_t, LineState& st) { f(st); });
    } else {
      hashed.for_each([&](HashedLines::Entry& e) { f(e.state); });
    }
  }

  // Renumbers the live positions 0..n-1 in time order on a fresh axis with room for three times as many
  // more: a position's new number is its rank among the live ones, so the states are walked in memory
  // order (no lookup per line).
  void compact() {
    const std::uint64_t live = tracked();
    const std::uint64_t size = std::max(kMinTimeAxis, std::bit_ceil(4 * live + 64));
    bits.prepare_ranks();
    for_each_state([&](LineState& st) { st.pos = static_cast<std::uint32_t>(bits.rank(st.pos)); });
    epoch = epoch >= now ? live : bits.rank(epoch);
    bits.reset(size, live);
    now = live;
  }

  void place(LineState& e) {
    bits.set(now);
    e.pos = static_cast<std::uint32_t>(now++);
  }

  // The dirty sectors of a line that was flushed (invalidate_all at a kernel boundary): written back at
  // every capacity, charged to their writers.
  void flush_line(LineState& e) {
    for (std::size_t s = 0; s < 4; ++s)
      if ((e.pending >> s) & 1u) ++kernels[e.writer[s]].writeback[infinite];
    e.pending = 0;
  }

  // One access to a tracked line: its line distance, then the sector events.
  void track(LineState& e, bool inserted, const L2Access& a, unsigned mask) {
    std::uint8_t b = 0;
    if (inserted) {
      e.rmax.fill(infinite);
      b = infinite;
      place(e);
    } else if (e.pos < epoch) {
      flush_line(e);
      e.rmax.fill(infinite);
      b = infinite;
      bits.clear(e.pos);
      place(e);
    } else if (e.pos + 1 == now) {
      b = bucket1;  // still the most recent line: distance 1, nothing moves
    } else {
      b = bucket(bits.count_after(e.pos) + 1);
      bits.clear(e.pos);
      place(e);
    }

    MrcHistograms& h = kernels[current];
    const auto k = static_cast<std::uint32_t>(current);
    for (std::size_t s = 0; s < 4; ++s) {
      std::uint8_t rm = std::max(e.rmax[s], b);
      std::uint8_t wm = std::max(e.wmax[s], b);
      if ((mask >> s) & 1u) {
        if (a.write) {
          ++h.write[rm];
          if ((e.pending >> s) & 1u) ++kernels[e.writer[s]].writeback[wm];
          e.pending = static_cast<std::uint8_t>(e.pending | (1u << s));
          e.writer[s] = k;
          wm = 0;
        } else {
          ++h.read[rm];
        }
        rm = 0;
      }
      e.rmax[s] = rm;
      e.wmax[s] = wm;
    }
  }

  void access(const L2Access& a) {
    const unsigned mask = a.sectors;
    if (mask == 0 || mask > 0xF)
      throw ModelError("L2 access to line {} has sector mask {:#x}: expected 1..0xf", a.line, mask);
    MrcHistograms& h = kernels[current];
    const int n = detail::popcount4(mask);
    if (a.write) {
      h.write_sectors += n;
    } else {
      h.read_sectors += n;
    }
    if (sample_all) {
      if (now == bits.size()) compact();
      auto [e, inserted] = paged.find_or_insert(a.line);
      track(*e, inserted, a, mask);
      return;
    }
    const std::uint64_t hash = hashed.hash(a.line);
    if ((hash >> (64 - kSampleBits)) >= threshold) return;
    track_sampled(a, hash);
  }

  void track_sampled(const L2Access& a, std::uint64_t hash) {
    if (now == bits.size()) compact();
    auto [e, inserted] = hashed.find_or_insert(a.line, hash);
    track(e->state, inserted, a, a.sectors);
    const int n = detail::popcount4(a.sectors);
    if (a.write) {
      e->writes = saturating_add(e->writes, n);
    } else {
      e->reads = saturating_add(e->reads, n);
    }
  }

  // Sampled mode over a chunk: the same work as access() in the same order, but a tracked access is
  // processed kAhead tracked accesses after its table slot was prefetched. With a large footprint the
  // table is far bigger than the caches, and the slot's cache miss dominated the time per access.
  void consume_sampled(std::span<const L2Access> accesses) {
    constexpr std::size_t kAhead = 8;
    std::array<std::pair<const L2Access*, std::uint64_t>, kAhead> pending{};
    std::size_t head = 0, count = 0;
    MrcHistograms& h = kernels[current];
    for (const L2Access& a : accesses) {
      const unsigned mask = a.sectors;
      if (mask == 0 || mask > 0xF)
        throw ModelError("L2 access to line {} has sector mask {:#x}: expected 1..0xf", a.line, mask);
      const int n = detail::popcount4(mask);
      if (a.write) {
        h.write_sectors += n;
      } else {
        h.read_sectors += n;
      }
      const std::uint64_t hash = hashed.hash(a.line);
      if ((hash >> (64 - kSampleBits)) >= threshold) continue;
      hashed.prefetch(hash);
      if (count == kAhead) {
        track_sampled(*pending[head].first, pending[head].second);
        pending[head] = {&a, hash};
        head = (head + 1) % kAhead;
      } else {
        pending[(head + count++) % kAhead] = {&a, hash};
      }
    }
    for (; count > 0; --count, head = (head + 1) % kAhead) track_sampled(*pending[head].first, pending[head].second);
  }
};

MrcBuilder::MrcBuilder(MrcOptions options) : state_(std::make_unique<State>()) {
  State& st = *state_;
  const SourceLocation where{"<mrc options>", 0};
  if (options.method == MrcMethod::sampled) {
    if (!(options.sampling_rate > 0 && options.sampling_rate <= 1))
      throw ConfigError(where, "sampling_rate", "expected a rate in (0, 1], got {}", options.sampling_rate);
    st.threshold =
        static_cast<std::uint64_t>(std::llround(options.sampling_rate * static_cast<double>(kSampleModulus)));
    st.threshold = std::clamp<std::uint64_t>(st.threshold, 1, kSampleModulus);
  }
  if (!(options.delta > 0 && options.delta < 1))
    throw ConfigError(where, "delta", "expected a probability in (0, 1), got {}", options.delta);
  st.sample_all = st.threshold == kSampleModulus;
  st.hashed = HashedLines(detail::mix64(options.seed ^ 0x5348415244530000ULL));  // salt "SHARDS"
  st.capacities = options.capacities.empty() ? capacity_points() : options.capacities;
  for (std::size_t i = 0; i < st.capacities.size(); ++i) {
    const std::uint64_t c = st.capacities[i];
    if (c == 0 || c % kL2LineBytes != 0)
      throw ConfigError(where, "capacities", "expected positive multiples of 128 B, got {} B", c);
    if (i > 0 && c <= st.capacities[i - 1])
      throw ConfigError(where, "capacities", "expected ascending capacities, got {} B after {} B", c,
                        st.capacities[i - 1]);
  }
  for (const std::uint64_t c : st.capacities) st.edges.push_back(c / kL2LineBytes);
  if (!st.sample_all) {
    // A finer grid for the error bound (MissRatioCurve needs the curve between the points).
    for (int j = 0;; ++j) {
      const auto edge = static_cast<std::uint64_t>(
          std::llround(static_cast<double>(kGridFirst) * std::exp2(static_cast<double>(j) / kGridPerOctave)));
      if (edge > kGridLast) break;
      st.edges.push_back(edge);
    }
    std::sort(st.edges.begin(), st.edges.end());
    st.edges.erase(std::unique(st.edges.begin(), st.edges.end()), st.edges.end());
  }
  if (st.edges.size() > kMaxEdges)
    throw ConfigError(where, "capacities",
                      "too many capacities ({}): with the sampled grid they make {} bucket edges, at most {}",
                      st.capacities.size(), st.edges.size(), kMaxEdges);
  for (const std::uint64_t c : st.capacities)
    st.capacity_edge.push_back(static_cast<std::size_t>(
        std::lower_bound(st.edges.begin(), st.edges.end(), c / kL2LineBytes) - st.edges.begin()));
  // A tracked distance d_s stands for (d_s - 1) / R + 1 lines, which exceeds edge e iff
  // d_s - 1 > (e - 1) R, i.e. iff d_s > floor((e - 1) R) + 1, with R = threshold / 2^24 exactly.
  for (const std::uint64_t e : st.edges)
    st.thresholds.push_back(st.sample_all ? e : (((e - 1) * st.threshold) >> kSampleBits) + 1);
  for (std::size_t o = 0; o < 64; ++o)
    st.below_octave[o] = static_cast<std::uint8_t>(
        std::lower_bound(st.thresholds.begin(), st.thresholds.end(), std::uint64_t{1} << o) - st.thresholds.begin());
  st.infinite = static_cast<std::uint8_t>(st.edges.size());
  st.bucket1 = st.bucket(1);
  st.options = std::move(options);
  st.kernel(0);
  st.bits.reset(kMinTimeAxis, 0);
}

MrcBuilder::~MrcBuilder() = default;

void MrcBuilder::begin_kernel(std::size_t kernel) {
  State& st = *state_;
  if (st.finished) throw ModelError("MrcBuilder::begin_kernel after finish()");
  if (kernel >= std::numeric_limits<std::uint32_t>::max())
    throw ModelError("kernel index {} is too large for the curve builder", kernel);
  st.kernel(kernel);
  st.current = kernel;
  if (st.options.flush_between_kernels) st.epoch = st.now;
}

void MrcBuilder::access(const L2Access& access) {
  if (state_->finished) throw ModelError("MrcBuilder::access after finish()");
  state_->access(access);
}

void MrcBuilder::consume(std::span<const L2Access> accesses) {
  State& st = *state_;
  if (st.finished) throw ModelError("MrcBuilder::consume after finish()");
  if (!st.sample_all) {
    st.consume_sampled(accesses);
    return;
  }
  for (const L2Access& a : accesses) st.access(a);
}

void MrcBuilder::start_measurement() {
  State& st = *state_;
  if (st.finished) throw ModelError("MrcBuilder::start_measurement after finish()");
  for (MrcHistograms& h : st.kernels) {
    std::fill(h.read.begin(), h.read.end(), 0);
    std::fill(h.write.begin(), h.write.end(), 0);
    std::fill(h.writeback.begin(), h.writeback.end(), 0);
    h.read_sectors = 0;
    h.write_sectors = 0;
  }
  // A dirty episode that began before this point is counted when it ends (+1 at the largest distance
  // M of its whole span). Its write-back falls after this point at capacity C iff m1 <= C < M, where
  // m1 is the largest distance up to now (the line's depth now included): -1 at m1 makes the pair
  // count exactly that. Lines already flushed (pos < epoch) were written back before this point.
  auto carry = [&](LineState& e) {
    if (e.pending == 0) return;
    if (e.pos < st.epoch) {
      e.pending = 0;
      return;
    }
    const std::uint8_t depth = e.pos + 1 == st.now ? st.bucket1 : st.bucket(st.bits.count_after(e.pos) + 1);
    for (std::size_t s = 0; s < 4; ++s)
      if ((e.pending >> s) & 1u) --st.kernels[e.writer[s]].writeback[std::max(e.wmax[s], depth)];
  };
  if (st.sample_all) {
    st.paged.for_each([&](std::uint64_t, LineState& e) { carry(e); });
  } else {
    st.hashed.for_each([&](HashedLines::Entry& e) {
      carry(e.state);
      e.reads = 0;
      e.writes = 0;
    });
  }
}

MissRatioCurve MrcBuilder::finish() {
  State& st = *state_;
  if (st.finished) throw ModelError("MrcBuilder::finish called twice");
  st.finished = true;

  // End of run: the episodes still dirty. Kish's effective sample sizes of the tracked lines, weighted
  // by their read and by their write sectors, for the error bound.
  auto end_episodes = [&](LineState& e) {
    if (e.pending == 0) return;
    if (e.pos < st.epoch || st.options.final_flush) {
      st.flush_line(e);
      return;
    }
    // Without a final flush, a dirty sector was written back iff its line fell below the capacity after
    // the write: at an access since (wmax) or after its last access (its depth now).
    const std::uint8_t depth = e.pos + 1 == st.now ? st.bucket1 : st.bucket(st.bits.count_after(e.pos) + 1);
    for (std::size_t s = 0; s < 4; ++s)
      if ((e.pending >> s) & 1u) ++st.kernels[e.writer[s]].writeback[std::max(e.wmax[s], depth)];
    e.pending = 0;
  };
  double reads = 0, reads2 = 0, writes = 0, writes2 = 0;
  if (st.sample_all) {
    st.paged.for_each([&](std::uint64_t, LineState& e) { end_episodes(e); });
  } else {
    st.hashed.for_each([&](HashedLines::Entry& e) {
      end_episodes(e.state);
      reads += e.reads;
      reads2 += static_cast<double>(e.reads) * e.reads;
      writes += e.writes;
      writes2 += static_cast<double>(e.writes) * e.writes;
    });
  }

  MissRatioCurve curve;
  curve.method_ = st.options.method;
  curve.rate_ = static_cast<double>(st.threshold) / static_cast<double>(kSampleModulus);
  curve.capacities_ = st.capacities;
  curve.edges_ = st.edges;
  curve.capacity_edge_ = st.capacity_edge;
  curve.kernels_ = std::move(st.kernels);
  curve.tracked_lines_ = st.tracked();

  // Error bound of a sampled point (docs/models/cachesim.md §MRC error bound): the distance scaling
  // band from a Chernoff bound on the tracked lines in a reuse window, plus a Hoeffding term over the
  // tracked lines as independent clusters with Kish's effective size, plus delta.
  const MrcHistograms total = curve.total();
  const double rate = curve.rate_;
  const double log_term = std::log(2.0 / st.options.delta);
  const double n_reads = reads2 > 0 ? reads * reads / reads2 : 0;
  const double n_writes = writes2 > 0 ? writes * writes / writes2 : 0;
  const std::int64_t sampled_reads = sum(total.read);
  const std::int64_t sampled_writes = sum(total.write);
  for (std::size_t i = 0; i < curve.capacities_.size(); ++i) {
    MrcErrorBound bound;
    if (!st.sample_all) {
      const double lines = static_cast<double>(curve.capacities_[i] / kL2LineBytes);
      const double mu = rate * (lines - 1);
      const double eps_low = mu > 0 ? std::sqrt(2 * log_term / mu) : 1;
      const double eps_high =
          mu > 0 ? (log_term + std::sqrt(log_term * log_term + 8 * mu * log_term)) / (2 * mu) : 1e300;
      const double low_cap = lines * (1 - eps_low);
      const double high_cap = lines * (1 + eps_high);
      const std::size_t j = curve.capacity_edge_[i];
      auto one = [&](const std::vector<std::int64_t>& h, std::int64_t denominator, double n_eff,
                     std::int64_t all_sectors) {
        if (all_sectors == 0) return 0.0;
        if (denominator == 0 || n_eff <= 0) return 1.0;
        const double m = beyond(h, j, denominator);
        double m_low_cap = 1;  // the estimate at the largest edge <= low_cap (1 below every edge)
        const auto lo = std::upper_bound(curve.edges_.begin(), curve.edges_.end(), low_cap);
        if (low_cap >= 1 && lo != curve.edges_.begin())
          m_low_cap = beyond(h, static_cast<std::size_t>(lo - curve.edges_.begin()) - 1, denominator);
        // The estimate at the smallest edge >= high_cap (beyond every edge: first touches only).
        const auto hi = std::lower_bound(curve.edges_.begin(), curve.edges_.end(), high_cap);
        const double m_high_cap = hi == curve.edges_.end()
                                      ? static_cast<double>(h.back()) / static_cast<double>(denominator)
                                      : beyond(h, static_cast<std::size_t>(hi - curve.edges_.begin()), denominator);
        const double band = std::max(m_low_cap - m, m - m_high_cap);
        const double stat = std::sqrt((1 - rate) * log_term / (2 * n_eff));
        return std::min(1.0, band + stat + st.options.delta);
      };
      bound.read_miss_ratio = one(total.read, sampled_reads, n_reads, total.read_sectors);
      bound.write_miss_ratio = one(total.write, sampled_writes, n_writes, total.write_sectors);
      bound.writeback_ratio = one(total.writeback, sampled_writes, n_writes, total.write_sectors);
    }
    curve.bounds_.push_back(bound);
  }
  return curve;
}

MissRatioCurve build_mrc(std::span<const L2Access> accesses, const MrcOptions& options) {
  MrcBuilder builder(options);
  builder.consume(accesses);
  return builder.finish();
}

// ------------------------------------------------------------------------------------------------
// The curve

MissRatioCurve::Histograms MissRatioCurve::total() const {
  const std::size_t buckets = edges_.size() + 1;
  Histograms t{.read = std::vector<std::int64_t>(buckets, 0),
               .write = std::vector<std::int64_t>(buckets, 0),
               .writeback = std::vector<std::int64_t>(buckets, 0),
               .read_sectors = 0,
               .write_sectors = 0};
  for (const Histograms& k : kernels_) {
    for (std::size_t b = 0; b < buckets; ++b) {
      t.read[b] += k.read[b];
      t.write[b] += k.write[b];
      t.writeback[b] += k.writeback[b];
    }
    t.read_sectors += k.read_sectors;
    t.write_sectors += k.write_sectors;
  }
  return t;
}

MissRatioCurve::Ratios MissRatioCurve::ratios(const Histograms& h, std::size_t capacity_index) const {
  const std::size_t j = capacity_edge_.at(capacity_index);
  const std::int64_t reads = sum(h.read);
  const std::int64_t writes = sum(h.write);
  return Ratios{.read = beyond(h.read, j, reads),
                .write = beyond(h.write, j, writes),
                .writeback = beyond(h.writeback, j, writes)};
}

namespace {
// count * total / sampled, exact when nothing was sampled out (total == sampled).
double scale(double ratio_times_sampled, std::int64_t total) {
  return ratio_times_sampled * static_cast<double>(total);
}
}  // namespace

MrcPoint MissRatioCurve::make_point(const Histograms& h, std::size_t capacity_index) const {
  const Ratios r = ratios(h, capacity_index);
  const auto sector = static_cast<double>(kL2SectorBytes);
  return MrcPoint{.capacity_bytes = capacities_.at(capacity_index),
                  .read_miss_ratio = r.read,
                  .write_miss_ratio = r.write,
                  .dram_read_bytes = sector * std::round(scale(r.read, h.read_sectors)),
                  .dram_write_bytes = sector * std::round(scale(r.writeback, h.write_sectors))};
}

TrafficCounters MissRatioCurve::make_counters(const Histograms& h, std::size_t capacity_index) const {
  const Ratios r = ratios(h, capacity_index);
  const auto read_misses = static_cast<std::int64_t>(std::llround(scale(r.read, h.read_sectors)));
  const auto allocates = static_cast<std::int64_t>(std::llround(scale(r.write, h.write_sectors)));
  const auto writebacks = static_cast<std::int64_t>(std::llround(scale(r.writeback, h.write_sectors)));
  const auto sector = static_cast<std::int64_t>(kL2SectorBytes);
  TrafficCounters c;
  c.l2_read_sectors = h.read_sectors;
  c.l2_write_sectors = h.write_sectors;
  c.l2_read_hits = h.read_sectors - read_misses;
  c.l2_write_hits = h.write_sectors;
  c.l2_write_allocates = allocates;
  c.dram_read_bytes = sector * read_misses;
  c.dram_write_bytes = sector * writebacks;
  return c;
}

std::vector<MrcPoint> MissRatioCurve::points() const {
  const Histograms t = total();
  std::vector<MrcPoint> out;
  for (std::size_t i = 0; i < capacities_.size(); ++i) out.push_back(make_point(t, i));
  return out;
}

MrcPoint MissRatioCurve::point(std::size_t capacity_index) const { return make_point(total(), capacity_index); }

MrcPoint MissRatioCurve::kernel_point(std::size_t kernel, std::size_t capacity_index) const {
  return make_point(kernels_.at(kernel), capacity_index);
}

TrafficCounters MissRatioCurve::counters(std::size_t capacity_index) const {
  return make_counters(total(), capacity_index);
}

TrafficCounters MissRatioCurve::kernel_counters(std::size_t kernel, std::size_t capacity_index) const {
  return make_counters(kernels_.at(kernel), capacity_index);
}

double MissRatioCurve::error_bound() const {
  double worst = 0;
  for (const MrcErrorBound& b : bounds_)
    worst = std::max({worst, b.read_miss_ratio, b.write_miss_ratio, b.writeback_ratio});
  return worst;
}

}  // namespace deepnvm::cachesim
