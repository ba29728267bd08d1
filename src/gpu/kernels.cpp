// SPDX-License-Identifier: MIT
// The L2 access stream of one kernel (docs/models/traffic.md "Wave scheduling"): CTAs in waves,
// requests of the resident CTAs interleaved round-robin per K step (GEMMs) or per line (streams),
// emitted as line accesses with sector masks in chunks of kAccessChunk.
#include <algorithm>
#include <vector>

#include "deepnvm/core/error.h"
#include "deepnvm/gpu/lowering.h"

namespace deepnvm {

namespace {

constexpr std::uint64_t kLineShift = 7;    // 128-byte lines
constexpr std::uint64_t kSectorShift = 5;  // 32-byte sectors

// Collects accesses and hands them to the sink in chunks; no allocation per access.
class Emitter {
 public:
  explicit Emitter(AccessSink& sink) : sink_(sink), buf_(kAccessChunk) {}
  Emitter(const Emitter&) = delete;
  Emitter& operator=(const Emitter&) = delete;

  void push(std::uint64_t line, unsigned mask, bool write) {
    buf_[n_++] = L2Access{.line = line, .sectors = static_cast<std::uint8_t>(mask), .write = write};
    if (n_ == kAccessChunk) flush();
  }

  // Every line of [address, address + bytes) with the sectors the range covers.
  void range(std::uint64_t address, std::uint64_t bytes, bool write) {
    if (bytes == 0) return;
    const std::uint64_t end = address + bytes - 1;
    const std::uint64_t first = address >> kLineShift, last = end >> kLineShift;
    const unsigned lo = static_cast<unsigned>((address >> kSectorShift) & 3u);
    const unsigned hi = static_cast<unsigned>((end >> kSectorShift) & 3u);
    if (first == last) {
      push(first, mask(lo, hi), write);
      return;
    }
    push(first, mask(lo, 3), write);
    for (std::uint64_t l = first + 1; l < last; ++l) push(l, 0xFu, write);
    push(last, mask(0, hi), write);
  }

  void flush() {
    if (n_ == 0) return;
    sink_.consume(std::span<const L2Access>(buf_.data(), n_));
    n_ = 0;
  }

 private:
  static unsigned mask(unsigned lo, unsigned hi) { return (0xFu >> (3 - hi)) & (0xFu << lo) & 0xFu; }

  AccessSink& sink_;
  std::vector<L2Access> buf_;
  std::size_t n_ = 0;
};

// Runs of contiguous bytes are merged before they become line accesses (an im2col row of a
// small-channel convolution is many short runs that touch the same lines).
class RunMerger {
 public:
  explicit RunMerger(Emitter& out, bool write) : out_(out), write_(write) {}
  void add(std::uint64_t address, std::uint64_t bytes) {
    if (bytes_ > 0 && address == start_ + bytes_) {
      bytes_ += bytes;
      return;
    }
    flush();
    start_ = address;
    bytes_ = bytes;
  }
  void flush() {
    if (bytes_ > 0) out_.range(start_, bytes_, write_);
    bytes_ = 0;
  }

 private:
  Emitter& out_;
  bool write_;
  std::uint64_t start_ = 0, bytes_ = 0;
};

std::int64_t eval(const IndexMap& m, std::int64_t x) {
  return m.lo_count > 0 ? (x / m.lo_count) * m.hi_stride + (x % m.lo_count) * m.lo_stride : x * m.lo_stride;
}

// A GEMM operand with the address arithmetic of tile loads and stores.
class OperandStream {
 public:
  OperandStream(const PlacedOperand& p, bool write)
      : p_(p), write_(write), eb_(static_cast<std::uint64_t>(p.element_bytes)) {}

  // The tile rows [r0, r1) x columns [c0, c1) of GEMM batch b.
  void tile(Emitter& out, std::int64_t b, std::int64_t r0, std::int64_t r1, std::int64_t c0, std::int64_t c1) {
    if (p_.layout.im2col) {
      gather(out, b, r0, r1, c0, c1);
    } else {
      dense(out, b, r0, r1, c0, c1);
    }
  }

 private:
  std::uint64_t at(std::int64_t element) const { return p_.address + static_cast<std::uint64_t>(element) * eb_; }

  // Contiguous runs along one index, split where its two-level map jumps.
  void runs(Emitter& out, std::int64_t base, const IndexMap& m, std::int64_t x0, std::int64_t x1) {
    if (m.lo_count <= 0) {
      out.range(at(base + x0), static_cast<std::uint64_t>(x1 - x0) * eb_, write_);
      return;
    }
    for (std::int64_t x = x0; x < x1;) {
      const std::int64_t lo = x % m.lo_count;
      const std::int64_t len = std::min(m.lo_count - lo, x1 - x);
      out.range(at(base + (x / m.lo_count) * m.hi_stride + lo), static_cast<std::uint64_t>(len) * eb_, write_);
      x += len;
    }
  }

  void dense(Emitter& out, std::int64_t b, std::int64_t r0, std::int64_t r1, std::int64_t c0, std::int64_t c1) {
    const Operand& o = p_.layout;
    const std::int64_t base = o.offset + eval(o.batches, b);
    if (o.cols.lo_stride == 1) {
      for (std::int64_t r = r0; r < r1; ++r) runs(out, base + eval(o.rows, r), o.cols, c0, c1);
    } else if (o.rows.lo_stride == 1) {
      for (std::int64_t c = c0; c < c1; ++c) runs(out, base + eval(o.cols, c), o.rows, r0, r1);
    } else {
      for (std::int64_t r = r0; r < r1; ++r)
        for (std::int64_t c = c0; c < c1; ++c) out.range(at(base + eval(o.rows, r) + eval(o.cols, c)), eb_, write_);
    }
  }

  struct TapRun {
    std::int64_t dr, ds, c, len;
  };

  // Implicit-GEMM gather: rows are pixels, columns taps (r, s, c) with c fastest (training.h).
  void gather(Emitter& out, std::int64_t b, std::int64_t p0, std::int64_t p1, std::int64_t t0, std::int64_t t1) {
    const Im2col& g = *p_.layout.im2col;
    const std::int64_t channels = g.channels;
    taps_.clear();
    for (std::int64_t t = t0; t < t1;) {
      const std::int64_t rs = t / channels, c = t % channels;
      const std::int64_t len = std::min(channels - c, t1 - t);
      taps_.push_back(TapRun{(rs / g.kernel.w) * g.dilation.h, (rs % g.kernel.w) * g.dilation.w, c, len});
      t += len;
    }
    const std::int64_t base = p_.layout.offset + eval(p_.layout.batches, b);
    const std::int64_t plane = g.out_h * g.out_w;
    RunMerger merge(out, write_);
    // (n, oh, ow) of p0 by division, then by counting: rows of a tile are consecutive pixels.
    std::int64_t n = p0 / plane, oh = (p0 % plane) / g.out_w, ow = p0 % g.out_w;
    for (std::int64_t p = p0; p < p1; ++p, ++ow) {
      if (ow == g.out_w) {
        ow = 0;
        if (++oh == g.out_h) oh = 0, ++n;
      }
      const std::int64_t image = n * g.in_h;
      for (const TapRun& tap : taps_) {
        std::int64_t ih = 0, iw = 0;
        if (!g.transposed) {
          ih = oh * g.stride.h + tap.dr - g.padding.h;
          iw = ow * g.stride.w + tap.ds - g.padding.w;
        } else {
          const std::int64_t th = oh + g.padding.h - tap.dr, tw = ow + g.padding.w - tap.ds;
          if (th < 0 || tw < 0 || th % g.stride.h != 0 || tw % g.stride.w != 0) continue;
          ih = th / g.stride.h;
          iw = tw / g.stride.w;
        }
        if (ih < 0 || iw < 0 || ih >= g.in_h || iw >= g.in_w) continue;  // padding: predicated off
        merge.add(at(base + ((image + ih) * g.in_w + iw) * g.pixel_stride + tap.c),
                  static_cast<std::uint64_t>(tap.len) * eb_);
      }
      merge.flush();  // a new row is a new request
    }
  }

  const PlacedOperand& p_;
  bool write_;
  std::uint64_t eb_;
  std::vector<TapRun> taps_;
};

struct Cta {
  std::int64_t m0, m1, n0, n1, batch, k0, k1, slice;
};

void gemm_stream(const Kernel& kernel, Emitter& out) {
  const GemmLaunch& L = *kernel.gemm;
  OperandStream a(L.a, false), b(L.b, false), c(L.c, true);
  const std::int64_t tiles_mn = L.tiles_m * L.tiles_n;
  const std::int64_t slice = L.split_k > 1 ? (L.k + L.split_k - 1) / L.split_k : L.k;
  const std::int64_t slice_k = L.split_k > 1 ? (slice + L.k_step - 1) / L.k_step * L.k_step : L.k;
  const std::int64_t slice_stride = L.batch * L.m * L.n;  // elements of one split-K partial
  std::vector<Cta> wave;
  wave.reserve(static_cast<std::size_t>(kernel.wave_ctas));
  for (std::int64_t w0 = 0; w0 < kernel.ctas; w0 += kernel.wave_ctas) {
    const std::int64_t w1 = std::min(kernel.ctas, w0 + kernel.wave_ctas);
    wave.clear();
    std::int64_t steps = 0;
    for (std::int64_t id = w0; id < w1; ++id) {  // blockIdx.x = M tile, then N tile, then batch and slice
      const std::int64_t mt = id % L.tiles_m, nt = (id / L.tiles_m) % L.tiles_n;
      const std::int64_t rest = id / tiles_mn;
      Cta t{.m0 = mt * L.tile.m,
            .m1 = std::min(L.m, (mt + 1) * L.tile.m),
            .n0 = nt * L.tile.n,
            .n1 = std::min(L.n, (nt + 1) * L.tile.n),
            .batch = rest % L.batch,
            .k0 = 0,
            .k1 = L.k,
            .slice = rest / L.batch};
      if (L.split_k > 1) {
        t.k0 = std::min(L.k, t.slice * slice_k);
        t.k1 = std::min(L.k, t.k0 + slice_k);
      }
      steps = std::max(steps, (t.k1 - t.k0 + L.k_step - 1) / L.k_step);
      wave.push_back(t);
    }
    // Main loop: the CTAs of a wave advance together; each step loads its A and B tiles.
    for (std::int64_t s = 0; s < steps; ++s) {
      for (const Cta& t : wave) {
        const std::int64_t k0 = t.k0 + s * L.k_step;
        if (k0 >= t.k1) continue;
        const std::int64_t k1 = std::min(t.k1, k0 + L.k_step);
        a.tile(out, t.batch, t.m0, t.m1, k0, k1);
        b.tile(out, t.batch, k0, k1, t.n0, t.n1);
      }
    }
    // Epilogue: bias, then the output tile (or the split-K partial).
    for (const Cta& t : wave) {
      if (L.bias && L.split_k == 1)
        out.range(*L.bias + static_cast<std::uint64_t>(t.n0 * L.bias_bytes),
                  static_cast<std::uint64_t>((t.n1 - t.n0) * L.bias_bytes), false);
      if (L.split_k > 1) {
        // The partial of slice s: batch-major M x N fp32 matrices, one per slice.
        const std::int64_t b_off = t.slice * slice_stride;
        for (std::int64_t r = t.m0; r < t.m1; ++r)
          out.range(L.c.address +
                        static_cast<std::uint64_t>((b_off + t.batch * L.m * L.n + r * L.n + t.n0) * L.c.element_bytes),
                    static_cast<std::uint64_t>((t.n1 - t.n0) * L.c.element_bytes), true);
      } else {
        c.tile(out, t.batch, t.m0, t.m1, t.n0, t.n1);
      }
    }
  }
}

// splitmix64: the data-dependent rows of a gather (token ids are not modelled, only spread).
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

void stream_line(Emitter& out, const StreamOperand& op, std::int64_t line) {
  const std::int64_t start = line * 128;
  const std::int64_t len = std::min<std::int64_t>(128, op.bytes - start);
  if (len <= 0) return;
  if (op.gather_row_bytes > 0) {
    const std::int64_t table_rows = std::max<std::int64_t>(1, op.period / op.gather_row_bytes);
    for (std::int64_t done = 0; done < len;) {
      const std::int64_t logical = start + done;
      const std::int64_t row = logical / op.gather_row_bytes, within = logical % op.gather_row_bytes;
      const std::int64_t piece = std::min(len - done, op.gather_row_bytes - within);
      const std::int64_t table_row =
          static_cast<std::int64_t>(mix(static_cast<std::uint64_t>(row)) % static_cast<std::uint64_t>(table_rows));
      out.range(op.address + static_cast<std::uint64_t>(table_row * op.gather_row_bytes + within),
                static_cast<std::uint64_t>(piece), op.write);
      done += piece;
    }
    return;
  }
  const std::int64_t at = op.offset + start;
  if (at + len <= op.period) {
    out.range(op.address + static_cast<std::uint64_t>(at), static_cast<std::uint64_t>(len), op.write);
    return;
  }
  for (std::int64_t done = 0; done < len;) {  // a broadcast operand wraps around its buffer
    const std::int64_t p = (at + done) % op.period;
    const std::int64_t piece = std::min(len - done, op.period - p);
    out.range(op.address + static_cast<std::uint64_t>(p), static_cast<std::uint64_t>(piece), op.write);
    done += piece;
  }
}

void stream_stream(const Kernel& kernel, Emitter& out) {
  const std::size_t n_ops = kernel.operands.size();
  std::vector<std::int64_t> lines(n_ops);
  for (std::size_t o = 0; o < n_ops; ++o) lines[o] = (kernel.operands[o].bytes + 127) / 128;
  // CTA i covers lines [i·L/ctas, (i+1)·L/ctas) of each operand of L lines; bounds per wave.
  std::vector<std::int64_t> bounds;
  for (std::int64_t w0 = 0; w0 < kernel.ctas; w0 += kernel.wave_ctas) {
    const std::int64_t w1 = std::min(kernel.ctas, w0 + kernel.wave_ctas);
    const std::size_t n_ctas = static_cast<std::size_t>(w1 - w0);
    bounds.resize((n_ctas + 1) * n_ops);
    for (std::size_t i = 0; i <= n_ctas; ++i)
      for (std::size_t o = 0; o < n_ops; ++o)
        bounds[i * n_ops + o] = (w0 + static_cast<std::int64_t>(i)) * lines[o] / kernel.ctas;
    for (std::int64_t j = 0; j < kernel.lines_per_cta; ++j)
      for (std::size_t i = 0; i < n_ctas; ++i)
        for (std::size_t o = 0; o < n_ops; ++o) {
          const std::int64_t line = bounds[i * n_ops + o] + j;
          if (line < bounds[(i + 1) * n_ops + o]) stream_line(out, kernel.operands[o], line);
        }
  }
}

}  // namespace

void stream_accesses(const Kernel& kernel, const GpuSpec&, AccessSink& sink) {
  Emitter out(sink);
  if (kernel.kind == KernelKind::gemm) {
    if (!kernel.gemm) throw ModelError("kernel '{}' is a GEMM without a launch description", kernel.name);
    gemm_stream(kernel, out);
  } else {
    stream_stream(kernel, out);
  }
  out.flush();
}

}  // namespace deepnvm
