// SPDX-License-Identifier: MIT
#include "deepnvm/array/evaluate.h"

#include "deepnvm/array/cacti_mode.h"
#include "deepnvm/array/cacti_uca.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <exception>
#include <limits>
#include <optional>
#include <span>
#include <thread>

#include <fmt/format.h>

#include "deepnvm/cell/nvsim_cell.h"
#include "deepnvm/core/error.h"
#include "deepnvm/tech/technology.h"

namespace deepnvm {
namespace {

using circuit::DeviceModel;
using circuit::WireModel;

// ---------------------------------------------------------------------------------------------
// The search space [NVSim macros.h BIGFOR, RESTORE_SEARCH_SIZE, REDUCE_SEARCH_SIZE; note §1.6].

struct Range {
  int min = 1, max = 1;
};

struct SearchSpace {
  Range mat_rows, mat_columns, active_mat_columns, active_mat_rows;
  Range subarray_rows, subarray_columns, active_subarray_columns, active_subarray_rows;
  Range mux_sense_amp, mux_output_lev1, mux_output_lev2, rows_per_set;
  Range buffer_style{0, 2};
  Range local_type, global_type, local_repeater, global_repeater, local_swing, global_swing;
};

// The data (or RAM) space: mats up to 512 x 512, muxes up to 256, every wire option.
SearchSpace full_space(int associativity) {
  SearchSpace s;
  s.mat_rows = s.mat_columns = {1, 512};
  s.active_mat_columns = s.active_mat_rows = {1, 512};
  s.subarray_rows = s.subarray_columns = {1, 2};
  s.active_subarray_columns = s.active_subarray_rows = {1, 2};
  s.mux_sense_amp = s.mux_output_lev1 = s.mux_output_lev2 = {1, 256};
  s.rows_per_set = {1, associativity};
  s.local_type = {static_cast<int>(WireType::local_aggressive), static_cast<int>(WireType::semi_conservative)};
  s.global_type = {static_cast<int>(WireType::semi_aggressive), static_cast<int>(WireType::global_conservative)};
  s.local_repeater =
      s.global_repeater = {static_cast<int>(RepeaterType::none), static_cast<int>(RepeaterType::penalty_50)};
  s.local_swing = s.global_swing = {0, 1};
  return s;
}

// The tag space: NVSim overwrites the cfg's bounds with this reduced set (quirk Q1).
SearchSpace tag_space() {
  SearchSpace s;
  s.mat_rows = s.mat_columns = {1, 64};
  s.active_mat_columns = s.active_mat_rows = {1, 64};
  s.subarray_rows = s.subarray_columns = {1, 2};
  s.active_subarray_columns = s.active_subarray_rows = {1, 2};
  s.mux_sense_amp = s.mux_output_lev1 = s.mux_output_lev2 = {1, 64};
  s.rows_per_set = {1, 1};
  s.local_type = {static_cast<int>(WireType::local_aggressive), static_cast<int>(WireType::local_conservative)};
  s.global_type = {static_cast<int>(WireType::global_aggressive), static_cast<int>(WireType::global_conservative)};
  s.local_repeater =
      s.global_repeater = {static_cast<int>(RepeaterType::none), static_cast<int>(RepeaterType::optimal)};
  s.local_swing = s.global_swing = {0, 1};
  return s;
}

void fix(Range& r, int value) { r.min = r.max = value; }

// The cfg's circuit keys: buffer style and wires.
void apply_circuit_keys(const NvsimConfig& c, SearchSpace& s) {
  if (c.buffer_design) fix(s.buffer_style, static_cast<int>(*c.buffer_design));
  if (c.local_wire.type) fix(s.local_type, static_cast<int>(*c.local_wire.type));
  if (c.local_wire.repeater) fix(s.local_repeater, static_cast<int>(*c.local_wire.repeater));
  if (c.local_wire.low_swing) fix(s.local_swing, *c.local_wire.low_swing ? 1 : 0);
  if (c.global_wire.type) fix(s.global_type, static_cast<int>(*c.global_wire.type));
  if (c.global_wire.repeater) fix(s.global_repeater, static_cast<int>(*c.global_wire.repeater));
  if (c.global_wire.low_swing) fix(s.global_swing, *c.global_wire.low_swing ? 1 : 0);
}

// The cfg narrows the data space [NVSim InputParameter.cpp; note §1.8], in file order for
// UseCactiAssumption against ForceBank/ForceMat (quirk Q3).
// Fixed (Q3): the Force lines win over UseCactiAssumption wherever they stand in the file.
SearchSpace data_space(const NvsimConfig& c, int associativity, Compat compat) {
  SearchSpace s = full_space(associativity);
  auto force_bank = [&] {
    if (!c.force_bank) return;
    fix(s.mat_rows, c.force_bank->rows);
    fix(s.mat_columns, c.force_bank->columns);
    fix(s.active_mat_rows, c.force_bank->active_rows);
    fix(s.active_mat_columns, c.force_bank->active_columns);
  };
  auto force_mat = [&] {
    if (!c.force_mat) return;
    fix(s.subarray_rows, c.force_mat->rows);
    fix(s.subarray_columns, c.force_mat->columns);
    fix(s.active_subarray_rows, c.force_mat->active_rows);
    fix(s.active_subarray_columns, c.force_mat->active_columns);
  };
  auto cacti = [&] {
    fix(s.active_mat_columns, s.mat_columns.max);
    fix(s.active_mat_rows, 1);
    fix(s.subarray_rows, 2);
    fix(s.subarray_columns, 2);
    fix(s.active_subarray_rows, 2);
    fix(s.active_subarray_columns, 2);
  };
  const bool bank_first = compat == Compat::nvsim && c.cacti_assumption_after_force_bank;
  const bool mat_first = compat == Compat::nvsim && c.cacti_assumption_after_force_mat;
  if (c.use_cacti_assumption && bank_first) force_bank();
  if (c.use_cacti_assumption && mat_first) force_mat();
  if (c.use_cacti_assumption) cacti();
  if (!(c.use_cacti_assumption && bank_first)) force_bank();
  if (!(c.use_cacti_assumption && mat_first)) force_mat();
  if (c.force_mux_sense_amp) fix(s.mux_sense_amp, *c.force_mux_sense_amp);
  if (c.force_mux_output_lev1) fix(s.mux_output_lev1, *c.force_mux_output_lev1);
  if (c.force_mux_output_lev2) fix(s.mux_output_lev2, *c.force_mux_output_lev2);
  apply_circuit_keys(c, s);
  return s;
}

// Fixed (Q1): the tag array is searched over the whole space, with the cfg's circuit keys (buffer
// style, wires: they describe the process and the periphery, shared by both arrays) but not its
// Force lines, which describe the data array's organisation.
SearchSpace fixed_tag_space(const NvsimConfig& c) {
  SearchSpace s = full_space(1);
  apply_circuit_keys(c, s);
  return s;
}

// NVSim's "basic" wire: the fixed option where the space has one, else aggressive, unrepeated,
// full swing [NVSim macros.h INITIAL_BASIC_WIRE].
WireChoice basic_wire(const Range& type, const Range& repeater, const Range& swing, WireType fallback) {
  WireChoice w;
  w.type = type.min == type.max ? static_cast<WireType>(type.min) : fallback;
  w.repeater = repeater.min == repeater.max ? static_cast<RepeaterType>(repeater.min) : RepeaterType::none;
  w.low_swing = swing.min == swing.max && swing.min == 1;
  return w;
}

// ---------------------------------------------------------------------------------------------
// Evaluation context: everything fixed for one run.

std::string_view tech_wire_name(WireType t) { return wire_types()[static_cast<std::size_t>(t)]; }

struct Context {
  const NvsimConfig* config = nullptr;
  unsigned threads = 1;
  const Technology* technology = nullptr;
  DeviceModel device;
  ArrayCell cell;
  std::string flavour;  // the device flavour of the run (CACTI model: CACTI's technology view)
  Compat compat = Compat::nvsim;

  WireModel wire(const WireChoice& w) const {
    circuit::WireSpec spec;
    spec.repeater = static_cast<circuit::RepeaterKind>(w.repeater);
    spec.low_swing = w.low_swing;
    spec.sense_voltage = cell.min_sense_voltage;
    return circuit::make_wire_model(device, technology->wire(tech_wire_name(w.type)), spec);
  }
};

// What one array stores and how it is accessed.
struct ArrayJob {
  ArrayRole role = ArrayRole::data;
  double capacity_bits = 0.0;
  std::int64_t block_bits = 0;  // tag: recomputed per candidate (rounded up to the active partitions)
  int associativity = 1;        // of the bank (1 for sequential and fast data arrays)
  bool cache_non_sequential = false;
  int cache_associativity = 1;  // the cache's own associativity (subarray rules)
  int write_energy_divisor = 1;
  // Tag width before rounding (tag arrays only).
  std::int64_t tag_bits = 0;
};

// The value of target `t` for a Bank, or for a BankScreen (the same figures before the bank is built).
template <class Figures>
double metric(const Figures& b, OptimizationTarget t) {
  switch (t) {
    case OptimizationTarget::read_latency:
      return b.read_latency;
    case OptimizationTarget::write_latency:
      return b.write_latency;
    case OptimizationTarget::read_energy:
      return b.read_energy;
    case OptimizationTarget::write_energy:
      return b.write_energy;
    case OptimizationTarget::read_edp:
      return b.read_latency * b.read_energy;
    case OptimizationTarget::write_edp:
      return b.write_latency * b.write_energy;
    case OptimizationTarget::leakage:
      return b.leakage;
    case OptimizationTarget::area:
      return b.area();
    case OptimizationTarget::exploration:
      break;
  }
  return b.read_latency;
}

constexpr std::array<OptimizationTarget, 8> kTargets{
    OptimizationTarget::read_latency, OptimizationTarget::write_latency, OptimizationTarget::read_energy,
    OptimizationTarget::write_energy, OptimizationTarget::read_edp,      OptimizationTarget::write_edp,
    OptimizationTarget::leakage,      OptimizationTarget::area};

// Per-metric limits of the constrained second pass (note §1.9); infinite when unconstrained.
struct Limits {
  std::array<double, 8> max;
  Limits() { max.fill(std::numeric_limits<double>::infinity()); }
  template <class Figures>
  bool admit(const Figures& b) const {
    for (std::size_t i = 0; i < kTargets.size(); ++i)
      if (metric(b, kTargets[i]) > max[i]) return false;
    return true;
  }
};

BankSpec make_spec(const Context& ctx, const ArrayJob& job) {
  BankSpec s;
  s.capacity_bits = job.capacity_bits;
  s.block_bits = job.block_bits;
  s.associativity = job.associativity;
  s.role = job.role;
  s.write_energy_divisor = job.write_energy_divisor;
  s.subarray.internal_sensing = ctx.config->internal_sensing;
  s.subarray.cache_non_sequential = job.cache_non_sequential;
  s.subarray.associativity = job.cache_associativity;
  s.subarray.write_scheme = ctx.config->write_scheme;
  s.subarray.compat = ctx.compat;
  return s;
}

Bank evaluate(const Context& ctx, BankSpec spec, BufferDesignStyle style, const WireModel& local,
              const WireModel& global, MatCache* cache = nullptr, const BankRoute* route = nullptr) {
  spec.subarray.buffer_style = style;
  spec.subarray.local_wire_res_per_length = local.res_per_length;
  spec.subarray.local_wire_cap_per_length = local.cap_per_length;
  return ctx.config->routing == Routing::non_h_tree ? evaluate_bus_bank(ctx.device, ctx.cell, global, spec, cache)
                                                    : evaluate_bank(ctx.device, ctx.cell, global, spec, cache, route);
}

// The figures of one array that a cache combines: those of ram_figures(), plus the mat and
// column-decoder latencies of the normal-access hit time.
struct CacheTerms {
  double read_latency = 0.0, write_latency = 0.0, read_energy = 0.0, write_energy = 0.0;
  double leakage = 0.0, area = 0.0;
  double mat_read_latency = 0.0, column_decoder_latency = 0.0;
};

CacheTerms cache_terms(const Bank& b, bool set_reset) {
  CacheTerms t;
  t.read_latency = b.read_latency;
  t.read_energy = b.read_energy;
  t.leakage = b.leakage;
  t.area = b.area();
  t.write_latency = set_reset ? std::max(b.set_latency, b.reset_latency) : b.write_latency;
  t.write_energy = set_reset ? std::max(b.set_energy, b.reset_energy) : b.write_energy;
  t.mat_read_latency = b.mat_timing.read_latency;
  t.column_decoder_latency = b.mat_timing.subarray.column_decoder_latency;
  return t;
}

// The hit latency of a tag and a data array by access mode [NVSim Result.cpp:554-600; note §1.7].
double hit_latency(const CacheTerms& t, const CacheTerms& d, CacheAccessMode mode, Compat compat) {
  switch (mode) {
    case CacheAccessMode::normal:
      // Fixed: the tag's way select is needed only at the data array's column decoder.
      if (compat == Compat::fixed)
        return std::max(t.read_latency + d.column_decoder_latency, d.mat_read_latency) +
               (d.read_latency - d.mat_read_latency);
      // NVSim adds the column decoder on top of a mat latency that already holds it (quirk Q9).
      return std::max(t.read_latency, d.mat_read_latency) + d.column_decoder_latency +
             (d.read_latency - d.mat_read_latency);
    case CacheAccessMode::fast:
      return std::max(t.read_latency, d.read_latency);
    case CacheAccessMode::sequential:
      break;
  }
  return t.read_latency + d.read_latency;
}

// The cache's value of `target` for a tag and a data array: what cache_figures() reports, so the
// search ranks by the reported figure.
double cache_metric(const CacheTerms& t, const CacheTerms& d, CacheAccessMode mode, OptimizationTarget target,
                    Compat compat) {
  switch (target) {
    case OptimizationTarget::read_latency:
      return hit_latency(t, d, mode, compat);
    case OptimizationTarget::write_latency:
      return std::max(t.write_latency, d.write_latency);
    case OptimizationTarget::read_energy:
      return t.read_energy + d.read_energy;
    case OptimizationTarget::write_energy:
      return t.write_energy + d.write_energy;
    case OptimizationTarget::read_edp:
      return hit_latency(t, d, mode, compat) * (t.read_energy + d.read_energy);
    case OptimizationTarget::write_edp:
      return std::max(t.write_latency, d.write_latency) * (t.write_energy + d.write_energy);
    case OptimizationTarget::leakage:
      return t.leakage + d.leakage;
    case OptimizationTarget::area:
    case OptimizationTarget::exploration:
      break;
  }
  return t.area + d.area;
}

// The one or two tag figures the cache value of `target` depends on (non-decreasingly): a tag that
// is no better in both than another can be skipped.
std::pair<double, double> tag_features(const CacheTerms& t, OptimizationTarget target) {
  switch (target) {
    case OptimizationTarget::read_latency:
      return {t.read_latency, 0.0};
    case OptimizationTarget::write_latency:
      return {t.write_latency, 0.0};
    case OptimizationTarget::read_energy:
      return {t.read_energy, 0.0};
    case OptimizationTarget::write_energy:
      return {t.write_energy, 0.0};
    case OptimizationTarget::read_edp:
      return {t.read_latency, t.read_energy};
    case OptimizationTarget::write_edp:
      return {t.write_latency, t.write_energy};
    case OptimizationTarget::leakage:
      return {t.leakage, 0.0};
    case OptimizationTarget::area:
    case OptimizationTarget::exploration:
      break;
  }
  return {t.area, 0.0};
}

// One valid candidate as the CACTI model's whole-cache choice and the fixed joint cache search need it.
struct Candidate {
  BankSpec spec;
  BufferDesignStyle style = BufferDesignStyle::latency;
  std::uint64_t order = 0;
  CactiFigures figures;
  double mat_latency = 0.0, column_decoder_latency = 0.0;  // for the normal-access hit time
  CacheTerms terms;
};

// What the data pass of the fixed joint cache search ranks by: the cache value of the target,
// with the best of the candidate tags (sorted by NVSim loop order, so ties go to the earlier tag).
struct CacheObjective {
  CacheAccessMode mode = CacheAccessMode::normal;
  OptimizationTarget target = OptimizationTarget::read_latency;
  bool set_reset = false;
  Compat compat = Compat::fixed;
  const std::vector<Candidate>* tags = nullptr;
  bool tag_front = false;  // the tag pass: keep the tags on the Pareto front of tag_features()
};

// Whether tag `a` makes tag `b` useless: no worse in both features and better in one, or equal and
// earlier in NVSim's loop order. The relation is transitive, so fronts kept per worker and merged
// give the same front whatever the thread count.
bool dominates(const Candidate& a, const Candidate& b, OptimizationTarget target) {
  const auto fa = tag_features(a.terms, target), fb = tag_features(b.terms, target);
  return fa.first <= fb.first && fa.second <= fb.second &&
         (fa.first < fb.first || fa.second < fb.second || a.order < b.order);
}

void add_to_front(std::vector<Candidate>& front, Candidate c, OptimizationTarget target) {
  for (const Candidate& e : front)
    if (dominates(e, c, target)) return;
  std::erase_if(front, [&](const Candidate& e) { return dominates(c, e, target); });
  front.push_back(std::move(c));
}

struct SearchOutcome {
  ArrayDesign best;
  std::size_t best_tag = 0;  // joint cache search: the tag (index into CacheObjective::tags) of `best`
  ArrayDesign alone;         // joint cache search: the best data array on its own target value
  bool alone_found = false;
  std::vector<Candidate> all;  // every valid candidate, when collected
  bool found = false;
  std::array<double, 8> best_metric;  // best value of every metric over the valid candidates
  std::uint64_t candidates = 0, valid = 0;
  std::string_view last_invalid_reason;  // why the last illegal candidate (in NVSim's order) was illegal
};

// A candidate's position in NVSim's loop nest (outermost first, 4 bits per loop, every loop index
// below 16): the search may visit candidates in any order and still pick NVSim's, the first of the
// best in this order (quirk Q8).
std::uint64_t nvsim_order(std::initializer_list<int> doubling_loops, int style) {
  std::uint64_t key = 0;
  for (const int v : doubling_loops)
    key = key * 16 + static_cast<std::uint64_t>(std::countr_zero(static_cast<unsigned>(v)));
  return key * 16 + static_cast<std::uint64_t>(style);
}

// The loops that fix the mat (subarray grid, activation, muxes, rows per set, buffer style): one
// work item each. Inside an item only the bank grid (and, in a batch, the capacity) varies, so the mats
// it meets repeat and are sized once (MatCache), and the cache stays small.
struct MatChoice {
  int sr, sc, asc, asr, m0, m1, m2, rps, style;
};

// One bank grid (mats and active mats) with the word it routes, for one count of active subarrays.
struct Grid {
  int mr, mc, amc, amr;
  std::int64_t block;
  double capacity_bits;
  std::optional<BankRoute> route;  // H-tree banks: the tree, routed once for every mat choice
};

// The grids of the space whose H-tree reaches the mats, in NVSim's order, for each count of active
// subarrays per mat (1, 2, 4): routing depends on nothing else, so hopeless grids are dropped once
// instead of once per mat choice. Bus-routed banks keep every grid.
std::array<std::vector<Grid>, 3> routable_grids(const Context& ctx, const ArrayJob& job, const SearchSpace& s) {
  std::array<std::vector<Grid>, 3> out;
  for (int mr = s.mat_rows.min; mr <= s.mat_rows.max; mr *= 2)
    for (int mc = s.mat_columns.min; mc <= s.mat_columns.max; mc *= 2)
      for (int amc = std::min(mc, s.active_mat_columns.min); amc <= std::min(mc, s.active_mat_columns.max); amc *= 2)
        for (int amr = std::min(mr, s.active_mat_rows.min); amr <= std::min(mr, s.active_mat_rows.max); amr *= 2)
          for (int k = 0; k < 3; ++k) {
            const int partitions = amc * amr * (1 << k);
            std::int64_t block = job.block_bits;
            if (job.role == ArrayRole::tag) {
              block = job.tag_bits;
              if (block / partitions == 0) continue;
              if (block % partitions) block = (block / partitions + 1) * partitions;  // tag rounded up
            } else if (block / partitions == 0) {
              continue;  // too aggressive partitioning
            }
            const double capacity =
                job.role == ArrayRole::tag ? job.capacity_bits * static_cast<double>(block) : job.capacity_bits;
            if (ctx.config->routing == Routing::h_tree) {
              BankSpec spec = make_spec(ctx, job);
              spec.block_bits = block;
              spec.capacity_bits = capacity;
              spec.mat_rows = mr;
              spec.mat_columns = mc;
              spec.active_mat_rows = amr;
              spec.active_mat_columns = amc;
              BankRoute route = route_bank(spec);
              if (!route.routes) continue;
              out[static_cast<std::size_t>(k)].push_back({mr, mc, amc, amr, block, capacity, std::move(route)});
              continue;
            }
            out[static_cast<std::size_t>(k)].push_back({mr, mc, amc, amr, block, capacity, std::nullopt});
          }
  return out;
}

// Whether a mat of this choice under this grid keeps at least one row (Mat.cpp's first checks:
// address bits left after gating, rows after the column muxes). Skipping the others changes nothing
// but time: size_mat would reject them.
bool mat_has_rows(const Grid& g, const MatChoice& m, const ArrayJob& job) {
  // Subarray counts are powers of two: log2(subarrays / active ones) without a division (hot path).
  const int gating =
      std::countr_zero(static_cast<unsigned>(m.sr * m.sc)) - std::countr_zero(static_cast<unsigned>(m.asr * m.asc));
  const int bits = g.route->mat_address_bits - gating;
  if (bits <= 0) return false;
  if (bits >= 63) return true;
  // Data mats hold 2^(log2 ways) ways per row set; extra ways fold into the muxes (same product).
  // Rows = 2^bits x ways / mux (integer division) > 0, i.e. ways >= ceil(mux / 2^bits): no overflow.
  const std::int64_t ways = job.role == ArrayRole::data ? job.associativity : 1;
  const std::int64_t mux = static_cast<std::int64_t>(m.m0) * m.m1 * m.m2;
  return ways > ((mux - 1) >> bits);
}

struct SearchPartial {
  SearchOutcome out;
  double best_value = std::numeric_limits<double>::infinity();
  std::uint64_t best_order = std::numeric_limits<std::uint64_t>::max();
  double alone_value = std::numeric_limits<double>::infinity();
  std::uint64_t alone_order = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t invalid_order = 0;
  bool collect = false;
};

// Keeps `bank` as `slot`'s design (its own copy of the mat: the cache reuses its storage).
void keep(ArrayDesign& slot, const BankSpec& spec, BufferDesignStyle style, const WireChoice& local,
          const WireChoice& global, Bank bank) {
  slot.spec = spec;
  slot.buffer_style = style;
  slot.local_wire = local;
  slot.global_wire = global;
  slot.bank = std::move(bank);
  slot.bank.mat = std::make_shared<const Mat>(*slot.bank.mat);
}

void search_item(const Context& ctx, const ArrayJob& job, OptimizationTarget target, const WireChoice& local_choice,
                 const WireChoice& global_choice, const WireModel& local, const WireModel& global, const Limits& limits,
                 const MatChoice& m, const std::vector<Grid>& grids, MatCache& cache, SearchPartial& p,
                 const CacheObjective* objective) {
  SearchOutcome& out = p.out;
  for (const Grid& g : grids) {
    const int mr = g.mr, mc = g.mc, amc = g.amc, amr = g.amr;
    BankSpec spec = make_spec(ctx, job);
    spec.block_bits = g.block;
    spec.capacity_bits = g.capacity_bits;
    spec.mat_rows = mr;
    spec.mat_columns = mc;
    spec.active_mat_rows = amr;
    spec.active_mat_columns = amc;
    spec.subarray_rows = m.sr;
    spec.subarray_columns = m.sc;
    spec.active_subarray_rows = m.asr;
    spec.active_subarray_columns = m.asc;
    spec.subarray.mux_sense_amp = m.m0;
    spec.subarray.mux_output_lev1 = m.m1;
    spec.subarray.mux_output_lev2 = m.m2;
    spec.rows_per_set = m.rps;
    const std::uint64_t order =
        nvsim_order({mr, mc, amc, amr, m.sr, m.sc, m.asc, m.asr, m.m0, m.m1, m.m2, m.rps}, m.style);
    ++out.candidates;
    const auto keep_best = [&](double value, std::uint64_t at, Bank bank) {
      p.best_value = value;
      p.best_order = at;
      out.found = true;
      keep(out.best, spec, static_cast<BufferDesignStyle>(m.style), local_choice, global_choice, std::move(bank));
    };
    const auto invalid = [&](std::string_view reason) {
      if (order >= p.invalid_order) {
        p.invalid_order = order;
        out.last_invalid_reason = reason;
      }
    };
    if (g.route) {
      if (!mat_has_rows(g, m, job)) continue;  // the mat would be illegal
      // Most rejections (the aspect ratio, once the mat is known) cost no bank.
      spec.subarray.buffer_style = static_cast<BufferDesignStyle>(m.style);
      spec.subarray.local_wire_res_per_length = local.res_per_length;
      spec.subarray.local_wire_cap_per_length = local.cap_per_length;
      const BankScreen screen = screen_bank(ctx.device, ctx.cell, global, spec, cache, *g.route);
      if (!screen.rejection.empty()) {
        invalid(screen.rejection);
        continue;
      }
      if (!p.collect && !objective) {
        // NVSim's search ranks by the figures alone: a bank is built only for a new best.
        ++out.valid;
        for (std::size_t i = 0; i < kTargets.size(); ++i)
          out.best_metric[i] = std::min(out.best_metric[i], metric(screen, kTargets[i]));
        if (!limits.admit(screen)) continue;
        const double value = metric(screen, target);
        if (value < p.best_value || (value == p.best_value && order < p.best_order))
          keep_best(value, order,
                    evaluate(ctx, spec, static_cast<BufferDesignStyle>(m.style), local, global, &cache, &*g.route));
        continue;
      }
    }
    Bank bank = evaluate(ctx, spec, static_cast<BufferDesignStyle>(m.style), local, global, &cache,
                         g.route ? &*g.route : nullptr);
    if (!bank.valid) {
      invalid(bank.invalid_reason);
      continue;
    }
    ++out.valid;
    for (std::size_t i = 0; i < kTargets.size(); ++i)
      out.best_metric[i] = std::min(out.best_metric[i], metric(bank, kTargets[i]));
    if (!limits.admit(bank)) continue;
    if (p.collect || (objective && objective->tag_front)) {
      const CactiFigures f{bank.read_latency, bank.read_energy, bank.leakage, bank.read_latency, bank.area()};
      Candidate c{spec,
                  static_cast<BufferDesignStyle>(m.style),
                  order,
                  f,
                  bank.mat_timing.read_latency,
                  bank.mat_timing.subarray.column_decoder_latency,
                  cache_terms(bank, objective ? objective->set_reset : false)};
      if (p.collect)
        out.all.push_back(std::move(c));
      else
        add_to_front(out.all, std::move(c), objective->target);
    }
    if (objective && objective->tags) {
      // Joint cache search: the cache value with the best tag for this data array; the data array's
      // own best is kept too (the separate choice, NVSim's Q2, to fall back on).
      const CacheTerms d = cache_terms(bank, objective->set_reset);
      double joint = std::numeric_limits<double>::infinity();
      std::size_t pick = 0;
      const std::vector<Candidate>& tags = *objective->tags;
      for (std::size_t i = 0; i < tags.size(); ++i) {
        const double v = cache_metric(tags[i].terms, d, objective->mode, objective->target, objective->compat);
        if (v < joint) {
          joint = v;
          pick = i;
        }
      }
      const double alone = metric(bank, target);
      const auto style = static_cast<BufferDesignStyle>(m.style);
      const bool better_alone = alone < p.alone_value || (alone == p.alone_value && order < p.alone_order);
      const bool better_joint = joint < p.best_value || (joint == p.best_value && order < p.best_order);
      if (better_alone) {
        p.alone_value = alone;
        p.alone_order = order;
        out.alone_found = true;
        keep(out.alone, spec, style, local_choice, global_choice, better_joint ? bank : std::move(bank));
      }
      if (better_joint) {
        p.best_value = joint;
        p.best_order = order;
        out.found = true;
        out.best_tag = pick;
        keep(out.best, spec, style, local_choice, global_choice, std::move(bank));
      }
      continue;
    }
    const double value = metric(bank, target);
    if (value < p.best_value || (value == p.best_value && order < p.best_order))
      keep_best(value, order, std::move(bank));
  }
}

// NVSim's organisation search with one wire pair, on `ctx.threads` threads, for several arrays at
// once (`jobs`: the same array at several capacities, each with its own limits and objective). Each
// work item fixes the mat choice and walks every job's bank grids, so a mat met at several capacities
// is sized once. Every job's outcome is what a search of that job alone returns, for any thread
// count: NVSim's first-best in its own loop order.
std::vector<SearchOutcome> search_batch(const Context& ctx, std::span<const ArrayJob> jobs, const SearchSpace& s,
                                        OptimizationTarget target, const WireChoice& local_choice,
                                        const WireChoice& global_choice, std::span<const Limits> limits,
                                        bool collect = false, std::span<const CacheObjective* const> objectives = {}) {
  const WireModel local = ctx.wire(local_choice);
  const WireModel global = ctx.wire(global_choice);
  const int associativity = jobs.front().associativity;
  for (const ArrayJob& job : jobs)
    if (job.associativity != associativity) throw ModelError("search_batch: the jobs differ in associativity");
  std::vector<MatChoice> items;
  for (int sr = s.subarray_rows.min; sr <= s.subarray_rows.max; sr *= 2)
    for (int sc = s.subarray_columns.min; sc <= s.subarray_columns.max; sc *= 2)
      for (int asc = std::min(sc, s.active_subarray_columns.min); asc <= std::min(sc, s.active_subarray_columns.max);
           asc *= 2)
        for (int asr = std::min(sr, s.active_subarray_rows.min); asr <= std::min(sr, s.active_subarray_rows.max);
             asr *= 2)
          for (int m0 = s.mux_sense_amp.min; m0 <= s.mux_sense_amp.max; m0 *= 2)
            for (int m1 = s.mux_output_lev1.min; m1 <= s.mux_output_lev1.max; m1 *= 2)
              for (int m2 = s.mux_output_lev2.min; m2 <= s.mux_output_lev2.max; m2 *= 2)
                for (int rps = s.rows_per_set.min; rps <= std::min(s.rows_per_set.max, associativity); rps *= 2)
                  for (int style = s.buffer_style.min; style <= s.buffer_style.max; ++style)
                    items.push_back({sr, sc, asc, asr, m0, m1, m2, rps, style});

  std::vector<std::array<std::vector<Grid>, 3>> grids;
  for (const ArrayJob& job : jobs) grids.push_back(routable_grids(ctx, job, s));
  const unsigned workers = std::max(1u, std::min<unsigned>(ctx.threads, static_cast<unsigned>(items.size())));
  std::vector<std::vector<SearchPartial>> partials(workers, std::vector<SearchPartial>(jobs.size()));
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> errors(workers);
  auto work = [&](unsigned w) {
    try {
      MatCache cache;
      for (SearchPartial& p : partials[w]) {
        p.out.best_metric.fill(std::numeric_limits<double>::infinity());
        p.collect = collect;
      }
      for (std::size_t i = next++; i < items.size(); i = next++) {
        cache.clear();  // the mats of one item; the next item's differ in the mat choice
        const auto k = static_cast<std::size_t>(std::countr_zero(static_cast<unsigned>(items[i].asc * items[i].asr)));
        for (std::size_t j = 0; j < jobs.size(); ++j)
          search_item(ctx, jobs[j], target, local_choice, global_choice, local, global, limits[j], items[i],
                      grids[j][k], cache, partials[w][j], objectives.empty() ? nullptr : objectives[j]);
      }
    } catch (...) {
      errors[w] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned w = 1; w < workers; ++w) threads.emplace_back(work, w);
  work(0);
  for (auto& t : threads) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);

  std::vector<SearchOutcome> outcomes;
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    // Merge in a fixed way: the best value, ties to NVSim's earlier candidate.
    SearchPartial merged;
    merged.out.best_metric.fill(std::numeric_limits<double>::infinity());
    for (auto& worker : partials) {
      SearchPartial& p = worker[j];
      merged.out.all.insert(merged.out.all.end(), p.out.all.begin(), p.out.all.end());
      merged.out.candidates += p.out.candidates;
      merged.out.valid += p.out.valid;
      for (std::size_t i = 0; i < kTargets.size(); ++i)
        merged.out.best_metric[i] = std::min(merged.out.best_metric[i], p.out.best_metric[i]);
      if (!p.out.last_invalid_reason.empty() && p.invalid_order >= merged.invalid_order) {
        merged.invalid_order = p.invalid_order;
        merged.out.last_invalid_reason = p.out.last_invalid_reason;
      }
      if (p.out.found && (p.best_value < merged.best_value ||
                          (p.best_value == merged.best_value && p.best_order < merged.best_order))) {
        merged.best_value = p.best_value;
        merged.best_order = p.best_order;
        merged.out.found = true;
        merged.out.best = std::move(p.out.best);
        merged.out.best_tag = p.out.best_tag;
      }
      if (p.out.alone_found && (p.alone_value < merged.alone_value ||
                                (p.alone_value == merged.alone_value && p.alone_order < merged.alone_order))) {
        merged.alone_value = p.alone_value;
        merged.alone_order = p.alone_order;
        merged.out.alone_found = true;
        merged.out.alone = std::move(p.out.alone);
      }
    }
    // Collected candidates in NVSim's loop order, whatever the thread count.
    std::sort(merged.out.all.begin(), merged.out.all.end(),
              [](const Candidate& a, const Candidate& b) { return a.order < b.order; });
    outcomes.push_back(std::move(merged.out));
  }
  return outcomes;
}

// The search of one array.
SearchOutcome search(const Context& ctx, const ArrayJob& job, const SearchSpace& s, OptimizationTarget target,
                     const WireChoice& local_choice, const WireChoice& global_choice, const Limits& limits,
                     bool collect = false, const CacheObjective* objective = nullptr) {
  return std::move(
      search_batch(ctx, {&job, 1}, s, target, local_choice, global_choice, {&limits, 1}, collect, {&objective, 1})
          .front());
}

// Re-evaluates the best design with every allowed local wire, then every allowed global wire,
// keeping strict improvements [NVSim main.cpp REFINE_*_WIRE_FORLOOP; note §1.6 two-phase choice].
void refine_wires(const Context& ctx, const SearchSpace& s, OptimizationTarget target, ArrayDesign& best) {
  auto try_design = [&](const WireChoice& local, const WireChoice& global) {
    Bank bank = evaluate(ctx, best.spec, best.buffer_style, ctx.wire(local), ctx.wire(global));
    if (bank.valid && metric(bank, target) < metric(best.bank, target)) {
      best.local_wire = local;
      best.global_wire = global;
      best.bank = std::move(bank);
    }
  };
  auto sweep = [&](const Range& type, const Range& repeater, const Range& swing, bool local) {
    for (int t = type.min; t <= type.max; ++t)
      for (int r = repeater.min; r <= repeater.max; ++r)
        for (int sw = swing.min; sw <= swing.max; ++sw) {
          if (r != static_cast<int>(RepeaterType::none) && sw == 1) continue;  // low swing is unrepeated only
          const WireChoice w{static_cast<WireType>(t), static_cast<RepeaterType>(r), sw == 1};
          if (local)
            try_design(w, best.global_wire);
          else
            try_design(best.local_wire, w);
        }
  };
  sweep(s.local_type, s.local_repeater, s.local_swing, true);
  sweep(s.global_type, s.global_repeater, s.global_swing, false);
}

// Re-evaluates `best` with every allowed local wire, then every allowed global wire, keeping strict
// improvements of `score` among designs within `limits` (compat: fixed: the constrained pass and the
// cache-level refinement).
template <typename Score>
void refine_wires_with(const Context& ctx, const SearchSpace& s, ArrayDesign& best, const Limits& limits, Score score) {
  double best_score = score(best.bank);
  auto try_design = [&](const WireChoice& local, const WireChoice& global) {
    Bank bank = evaluate(ctx, best.spec, best.buffer_style, ctx.wire(local), ctx.wire(global));
    if (!bank.valid || !limits.admit(bank)) return;
    const double v = score(bank);
    if (v < best_score) {
      best_score = v;
      best.local_wire = local;
      best.global_wire = global;
      best.bank = std::move(bank);
    }
  };
  auto sweep = [&](const Range& type, const Range& repeater, const Range& swing, bool local) {
    for (int t = type.min; t <= type.max; ++t)
      for (int r = repeater.min; r <= repeater.max; ++r)
        for (int sw = swing.min; sw <= swing.max; ++sw) {
          if (r != static_cast<int>(RepeaterType::none) && sw == 1) continue;  // low swing is unrepeated only
          const WireChoice w{static_cast<WireType>(t), static_cast<RepeaterType>(r), sw == 1};
          if (local)
            try_design(w, best.global_wire);
          else
            try_design(best.local_wire, w);
        }
  };
  sweep(s.local_type, s.local_repeater, s.local_swing, true);
  sweep(s.global_type, s.global_repeater, s.global_swing, false);
}

struct ArraySearch {
  ArrayDesign design;
  std::uint64_t candidates = 0, valid = 0;
  std::string_view last_invalid_reason;
};

// The limits of a constrained pass: each constrained metric within (1 + x) of its best in the first.
Limits constraint_limits(const NvsimConstraints& c, const std::array<double, 8>& best_metric) {
  Limits limits;
  const std::array<std::optional<double>, 8> given{c.read_latency, c.write_latency, c.read_energy, c.write_energy,
                                                   c.read_edp,     c.write_edp,     c.leakage,     c.area};
  for (std::size_t i = 0; i < kTargets.size(); ++i)
    if (given[i]) limits.max[i] = best_metric[i] * (1.0 + *given[i]);
  return limits;
}

// NVSim's search of one array (per job: the same array at several capacities, searched together):
// the basic wires, then wire refinement of the best; with constraints, a second pass with the basic
// wires, limits relative to each metric's best, and no wire refinement (quirk Q4).
std::vector<ArraySearch> search_arrays(const Context& ctx, std::span<const ArrayJob> jobs, const SearchSpace& space,
                                       OptimizationTarget target, const NvsimConstraints* constraints) {
  const WireChoice local =
      basic_wire(space.local_type, space.local_repeater, space.local_swing, WireType::local_aggressive);
  const WireChoice global =
      basic_wire(space.global_type, space.global_repeater, space.global_swing, WireType::global_aggressive);
  const std::vector<Limits> unlimited(jobs.size());
  std::vector<SearchOutcome> first = search_batch(ctx, jobs, space, target, local, global, unlimited);
  std::vector<ArraySearch> results(jobs.size());
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    results[j].candidates = first[j].candidates;
    results[j].valid = first[j].valid;
    results[j].last_invalid_reason = first[j].last_invalid_reason;
    if (!first[j].found) continue;
    refine_wires(ctx, space, target, first[j].best);
    results[j].design = std::move(first[j].best);
  }
  if (!constraints || *constraints == NvsimConstraints{}) return results;
  std::vector<ArrayJob> constrained;
  std::vector<Limits> limits;
  std::vector<std::size_t> index;
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    if (!first[j].found) continue;
    constrained.push_back(jobs[j]);
    limits.push_back(constraint_limits(*constraints, first[j].best_metric));
    index.push_back(j);
  }
  if (constrained.empty()) return results;
  std::vector<SearchOutcome> second = search_batch(ctx, constrained, space, target, local, global, limits);
  for (std::size_t c = 0; c < constrained.size(); ++c) {
    ArraySearch& result = results[index[c]];
    result.candidates += second[c].candidates;
    if (!second[c].found) continue;
    result.design = std::move(second[c].best);
    // Fixed (Q4): the constrained winner is wire-refined too, among designs that meet the limits.
    if (ctx.compat == Compat::fixed)
      refine_wires_with(ctx, space, result.design, limits[c], [&](const Bank& b) { return metric(b, target); });
  }
  return results;
}

// A cache chosen by compat: fixed.
struct CacheChoice {
  ArrayDesign tag, data;
  std::uint64_t candidates = 0, valid = 0;
};

// compat: fixed's cache search (docs/models/array.md "compat: fixed"). Every valid tag array of the
// full space is collected; only those on the Pareto front of the (one or two) tag figures the
// cache value of the target depends on can be part of the optimum, because that value never
// decreases when a tag figure grows. The data pass then ranks each data array by the cache value
// with the best of those tags: the exact optimum over (tag, data) pairs for the basic wires, at the
// cost of one data search plus |front| cheap evaluations per valid data array. The pair's wires are
// then refined by coordinate descent on the cache value (data, then tag), and the separately
// optimised pair (NVSim's Q2 choice, tracked in the same passes) is kept if it does better, so the
// result is never worse than the separate search. Constraints (Q4 fixed) limit both arrays, each
// relative to its own best, in the passes and in the refinement.
CacheChoice search_cache_fixed(const Context& ctx, const ArrayJob& tag_job, const SearchSpace& tag_space,
                               const ArrayJob& data_job, const SearchSpace& data_space, CacheSearch mode,
                               bool set_reset) {
  const NvsimConfig& config = *ctx.config;
  const OptimizationTarget target = config.optimization_target;
  // Plain variables, not structured bindings: the lambdas below capture them (clang 14 cannot).
  const auto local_wire = [](const SearchSpace& s) {
    return basic_wire(s.local_type, s.local_repeater, s.local_swing, WireType::local_aggressive);
  };
  const auto global_wire = [](const SearchSpace& s) {
    return basic_wire(s.global_type, s.global_repeater, s.global_swing, WireType::global_aggressive);
  };
  const auto tag_local = local_wire(tag_space), tag_global = global_wire(tag_space);
  const auto data_local = local_wire(data_space), data_global = global_wire(data_space);
  CacheObjective objective;
  objective.mode = config.cache_access_mode;
  objective.target = target;
  objective.set_reset = set_reset;
  objective.compat = Compat::fixed;
  CacheChoice choice;

  auto run = [&](const Limits& tag_limits, const Limits& data_limits, SearchOutcome& tags, SearchOutcome& data) {
    // The tag pass keeps the Pareto front per worker (joint), or every tag (exhaustive, separate).
    objective.tags = nullptr;
    objective.tag_front = mode == CacheSearch::joint;
    tags = search(ctx, tag_job, tag_space, target, tag_local, tag_global, tag_limits, mode == CacheSearch::exhaustive,
                  &objective);
    objective.tag_front = false;
    choice.candidates += tags.candidates;
    choice.valid += tags.valid;
    if (!tags.found) return;
    std::vector<Candidate> front = std::move(tags.all);
    if (mode == CacheSearch::joint) {
      // The workers' fronts merged: by the first feature, then the second, then loop order; a tag is
      // kept only if its second feature is strictly below every earlier one's.
      std::vector<std::pair<std::pair<double, double>, std::size_t>> keyed;
      keyed.reserve(front.size());
      for (std::size_t i = 0; i < front.size(); ++i) keyed.push_back({tag_features(front[i].terms, target), i});
      std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
        if (a.first != b.first) return a.first < b.first;
        return front[a.second].order < front[b.second].order;
      });
      std::vector<Candidate> kept;
      double lowest = std::numeric_limits<double>::infinity();
      for (const auto& [features, i] : keyed)
        if (kept.empty() || features.second < lowest) {
          lowest = features.second;
          kept.push_back(front[i]);
        }
      std::sort(kept.begin(), kept.end(), [](const Candidate& a, const Candidate& b) { return a.order < b.order; });
      front = std::move(kept);
    }
    tags.all = std::move(front);
    objective.tags = mode == CacheSearch::separate ? nullptr : &tags.all;
    data = search(ctx, data_job, data_space, target, data_local, data_global, data_limits, false, &objective);
    if (mode == CacheSearch::separate) {  // the data pass ranked by the data array's own value
      data.alone = data.best;
      data.alone_found = data.found;
    }
    choice.candidates += data.candidates;
    choice.valid += data.valid;
  };

  SearchOutcome tags, data;
  Limits tag_limits, data_limits;
  run(tag_limits, data_limits, tags, data);
  if (!tags.found) throw ModelError("no valid organisation of the tag array (NVSim: 'No valid solutions for tags.')");
  if (!data.found)
    throw ModelError(
        "no valid organisation of the data array (NVSim: 'No valid solutions.'); {} of {} candidates "
        "valid{}{}",
        data.valid, data.candidates,
        data.last_invalid_reason.empty() ? "" : ", the last illegal because: ", data.last_invalid_reason);
  if (config.constraints != NvsimConstraints{}) {
    tag_limits = constraint_limits(config.constraints, tags.best_metric);
    data_limits = constraint_limits(config.constraints, data.best_metric);
    SearchOutcome ctags, cdata;
    run(tag_limits, data_limits, ctags, cdata);
    if (ctags.found && cdata.found) {
      tags = std::move(ctags);
      data = std::move(cdata);
    } else {
      tag_limits = data_limits = Limits{};  // as NVSim: no survivor keeps the unconstrained choice
    }
  }

  const auto design_of = [&](const Candidate& c, const WireChoice& local, const WireChoice& global) {
    ArrayDesign a;
    a.spec = c.spec;
    a.buffer_style = c.style;
    a.local_wire = local;
    a.global_wire = global;
    a.bank = evaluate(ctx, c.spec, c.style, ctx.wire(local), ctx.wire(global));
    return a;
  };
  const auto value = [&](const ArrayDesign& t, const ArrayDesign& d) {
    return cache_metric(cache_terms(t.bank, set_reset), cache_terms(d.bank, set_reset), objective.mode, target,
                        Compat::fixed);
  };
  // The separate pair: each array's own best, wire-refined on its own target value (as NVSim).
  ArrayDesign tag_alone = tags.best, data_alone = data.alone;
  refine_wires_with(ctx, tag_space, tag_alone, tag_limits, [&](const Bank& b) { return metric(b, target); });
  refine_wires_with(ctx, data_space, data_alone, data_limits, [&](const Bank& b) { return metric(b, target); });
  if (mode == CacheSearch::separate) {
    choice.tag = std::move(tag_alone);
    choice.data = std::move(data_alone);
    return choice;
  }
  // The joint pair, wire-refined on the cache value: the data array with the tag held, then the tag.
  ArrayDesign tag = design_of(tags.all[data.best_tag], tag_local, tag_global);
  ArrayDesign best = std::move(data.best);
  const CacheTerms tag_terms = cache_terms(tag.bank, set_reset);
  refine_wires_with(ctx, data_space, best, data_limits, [&](const Bank& b) {
    return cache_metric(tag_terms, cache_terms(b, set_reset), objective.mode, target, Compat::fixed);
  });
  const CacheTerms data_terms = cache_terms(best.bank, set_reset);
  refine_wires_with(ctx, tag_space, tag, tag_limits, [&](const Bank& b) {
    return cache_metric(cache_terms(b, set_reset), data_terms, objective.mode, target, Compat::fixed);
  });
  if (value(tag_alone, data_alone) < value(tag, best)) {
    tag = std::move(tag_alone);
    best = std::move(data_alone);
  }
  choice.tag = std::move(tag);
  choice.data = std::move(best);
  return choice;
}

// ---------------------------------------------------------------------------------------------

// NVSim's own tables from 22 nm up; below, where NVSim has no device data (quirk Q7), deepnvm's
// FinFET tables (McPAT 16 nm, NeuroSim 14 / 7 nm).
Technology technology_for(const NvsimConfig& c, const std::filesystem::path& data_dir) {
  return find_technology(data_dir, default_table_set(c.process_node), c.process_node);
}

// The device flavour for the cfg's roadmap. NeuroSim's FinFET nodes have one low-power device that
// NS-Cache uses for both LSTP and LOP; a LOP request there takes it, with a warning.
std::string flavour_for(const Technology& technology, DeviceRoadmap roadmap, std::vector<std::string>& warnings) {
  const std::string wanted(device_flavour(roadmap));
  const bool has = std::any_of(technology.devices.begin(), technology.devices.end(),
                               [&](const Device& d) { return d.flavour == wanted; });
  if (!has && roadmap == DeviceRoadmap::lop && technology.table_set == "deepnvm" &&
      std::any_of(technology.devices.begin(), technology.devices.end(),
                  [](const Device& d) { return d.flavour == "lstp"; })) {
    warnings.push_back(fmt::format(
        "{} has no LOP device; using its LSTP device, as NS-Cache does for every non-HP roadmap", technology.name));
    return "lstp";
  }
  return wanted;
}

bool is_set_reset(const ArrayCell& cell) {
  return cell.type == ArrayCellType::pcram || (cell.type == ArrayCellType::memristor &&
                                               (cell.access == AccessDevice::cmos || cell.access == AccessDevice::bjt));
}

ArrayFigures ram_figures(const Bank& b, bool set_reset) {
  ArrayFigures f;
  f.height = b.height;
  f.width = b.width;
  f.area = b.area();
  f.read_latency = b.read_latency;
  f.read_energy = b.read_energy;
  f.leakage = b.leakage;
  f.set_reset = set_reset;
  f.set_latency = b.set_latency;
  f.reset_latency = b.reset_latency;
  f.set_energy = b.set_energy;
  f.reset_energy = b.reset_energy;
  f.write_latency = set_reset ? std::max(b.set_latency, b.reset_latency) : b.write_latency;
  f.write_energy = set_reset ? std::max(b.set_energy, b.reset_energy) : b.write_energy;
  return f;
}

}  // namespace

// NVSim's Result::printAsCache [reference README §4.2; note §1.7].
ArrayFigures cache_figures(const Bank& data, const Bank& tag, CacheAccessMode mode, bool set_reset, Compat compat) {
  const ArrayFigures d = ram_figures(data, set_reset);
  const ArrayFigures t = ram_figures(tag, set_reset);
  ArrayFigures f;
  f.area = d.area + t.area;
  f.leakage = d.leakage + t.leakage;
  f.miss_latency = t.read_latency;
  f.write_latency = std::max(t.write_latency, d.write_latency);
  f.write_energy = t.write_energy + d.write_energy;
  f.hit_energy = t.read_energy + d.read_energy;
  f.miss_energy = f.hit_energy;
  f.hit_latency = hit_latency(cache_terms(tag, set_reset), cache_terms(data, set_reset), mode, compat);
  if (mode == CacheAccessMode::sequential) f.miss_energy = t.read_energy;
  f.read_latency = f.hit_latency;
  f.read_energy = f.hit_energy;
  f.set_reset = set_reset;
  f.set_latency = std::max(t.set_latency, d.set_latency);
  f.reset_latency = std::max(t.reset_latency, d.reset_latency);
  f.set_energy = t.set_energy + d.set_energy;
  f.reset_energy = t.reset_energy + d.reset_energy;
  return f;
}

Technology fixed_technology(Technology t) {
  if (t.table_set != "nvsim") return t;
  const auto at = [](const std::vector<double>& temperatures, double kelvin) {
    const auto it = std::find(temperatures.begin(), temperatures.end(), kelvin);
    return it == temperatures.end() ? std::size_t{0} : static_cast<std::size_t>(it - temperatures.begin());
  };
  // A table typo replaced by the geometric mean of its neighbours (leakage is exponential in T).
  const auto smooth = [&](Device& d, std::vector<double>& table, const std::optional<std::vector<double>>& own,
                          double kelvin) {
    if (own || table.size() != d.temperatures.size()) return;
    const std::size_t i = at(d.temperatures, kelvin);
    if (i == 0 || i + 1 >= table.size()) return;
    table[i] = std::sqrt(table[i - 1] * table[i + 1]);
  };
  for (Device& d : t.devices) {
    // Q5: 22 nm I_on,p(T) = I_on,n(T)/2, not I_on,n(T - 10 K)/2.
    if (std::fabs(t.node - 22e-9) < 1e-12 && !d.on_current_p_temperatures && !d.on_current_n_temperatures &&
        d.on_current_p.size() == d.on_current_n.size())
      for (std::size_t i = 0; i < d.on_current_p.size(); ++i) d.on_current_p[i] = d.on_current_n[i] / 2.0;
    // Q6: 90 nm LSTP I_off,n(320 K) (10x its neighbours) and 65 nm LOP I_off,p(370 K) (below 360 K's).
    if (std::fabs(t.node - 90e-9) < 1e-12 && d.flavour == "lstp")
      smooth(d, d.off_current_n, d.off_current_n_temperatures, 320.0);
    if (std::fabs(t.node - 65e-9) < 1e-12 && d.flavour == "lop")
      smooth(d, d.off_current_p, d.off_current_p_temperatures, 370.0);
  }
  return t;
}

double cache_target_value(const ArrayFigures& f, OptimizationTarget target) {
  switch (target) {
    case OptimizationTarget::read_latency:
      return f.hit_latency;
    case OptimizationTarget::write_latency:
      return f.write_latency;
    case OptimizationTarget::read_energy:
      return f.hit_energy;
    case OptimizationTarget::write_energy:
      return f.write_energy;
    case OptimizationTarget::read_edp:
      return f.hit_latency * f.hit_energy;
    case OptimizationTarget::write_edp:
      return f.write_latency * f.write_energy;
    case OptimizationTarget::leakage:
      return f.leakage;
    case OptimizationTarget::area:
    case OptimizationTarget::exploration:
      break;
  }
  return f.area;
}

namespace {

// ---------------------------------------------------------------------------------------------
// The CACTI-like model (CircuitModel::cacti; cacti_mode.h).

// CACTI's organisation family in NVSim's terms (NVSim's UseCactiAssumption space, note §1.8): mats of
// 2 x 2 subarrays, all active, one row of mats active (all of its mats), with CACTI's fixed wires
// (cacti_default_wires) and one buffer style; the mat grid and the mux degrees stay searched.
SearchSpace cacti_family(SearchSpace s) {
  fix(s.active_mat_columns, s.mat_columns.max);
  fix(s.active_mat_rows, 1);
  fix(s.subarray_rows, 2);
  fix(s.subarray_columns, 2);
  fix(s.active_subarray_rows, 2);
  fix(s.active_subarray_columns, 2);
  fix(s.buffer_style, static_cast<int>(BufferDesignStyle::latency));
  const ModelWires w = cacti_default_wires();
  fix(s.local_type, static_cast<int>(w.local.type));
  fix(s.local_repeater, static_cast<int>(w.local.repeater));
  fix(s.local_swing, w.local.low_swing ? 1 : 0);
  fix(s.global_type, static_cast<int>(w.global.type));
  fix(s.global_repeater, static_cast<int>(w.global.repeater));
  fix(s.global_swing, w.global.low_swing ? 1 : 0);
  return s;
}

// The whole-cache figures CACTI's objective compares [CACTI cacti_interface.cc uca_org_t::find_delay,
// find_energy, find_area, find_cyc]. Normal access: the data array waits for the tag's way select only
// at its column (sense-amp mux) decoder, max(t_tag + t_coldec, t_mat) + the output H-tree.
CactiFigures cacti_cache_figures(const Candidate* tag, const Candidate& data, CacheAccessMode mode) {
  if (!tag) return data.figures;
  const CactiFigures& t = tag->figures;
  const CactiFigures& d = data.figures;
  CactiFigures f;
  switch (mode) {
    case CacheAccessMode::sequential:
      f.access = t.access + d.access;
      break;
    case CacheAccessMode::fast:
      f.access = std::max(t.access, d.access);
      break;
    case CacheAccessMode::normal:
      f.access = std::max(t.access + data.column_decoder_latency, data.mat_latency) + (d.access - data.mat_latency);
      break;
  }
  f.dynamic = t.dynamic + d.dynamic;
  f.leakage = t.leakage + d.leakage;
  f.area = t.area + d.area;
  f.cycle = std::max(t.cycle, d.cycle);
  return f;
}

// The CACTI model's bank of one chosen CACTI organisation, in the Bank/Mat shape the JSON report
// reads (organisation and breakdown): mats = Ndbl/2 x Ndwl/2, subarrays per mat, the figures of
// cacti_uca.h's CactiArray.
ArrayDesign cacti_design(const Context& ctx, const CactiArray& a, ArrayRole role) {
  ArrayDesign design;
  const ModelWires wires = cacti_default_wires();
  design.local_wire = wires.local;
  design.global_wire = wires.global;
  BankSpec& s = design.spec;
  s.role = role;
  s.mat_rows = a.mats_vertical;
  s.mat_columns = a.mats_horizontal;
  s.active_mat_rows = 1;
  s.active_mat_columns = a.active_mats;
  s.subarray_columns = s.active_subarray_columns = std::max(1, a.ndwl / a.mats_horizontal);
  s.subarray_rows = s.active_subarray_rows = std::max(1, a.subarrays_per_mat / s.subarray_columns);
  s.subarray.rows = a.rows;
  s.subarray.columns = a.columns;
  s.subarray.mux_sense_amp = a.ndcm;
  s.subarray.mux_output_lev1 = a.ndsam1;
  s.subarray.mux_output_lev2 = a.ndsam2;
  auto mat = std::make_shared<Mat>();
  mat->valid = true;
  mat->spec.subarray = s.subarray;
  mat->subarray.valid = true;
  mat->subarray.spec = s.subarray;
  mat->subarray.cell = ctx.cell;
  mat->subarray.height = a.subarray_height;
  mat->subarray.width = a.subarray_width;
  mat->height = a.mat_height;
  mat->width = a.mat_width;
  mat->read_energy = mat->write_energy = a.mat_energy;
  mat->leakage = a.leakage / (a.mats_horizontal * a.mats_vertical);
  Bank& b = design.bank;
  b.valid = true;
  b.spec = s;
  b.mat = mat;
  b.height = a.height;
  b.width = a.width;
  b.read_latency = b.write_latency = a.access;
  b.read_energy = a.read_energy;
  b.write_energy = a.write_energy;
  b.leakage = a.leakage;
  b.tree_read_latency = a.htree_in + a.htree_out;
  b.tree_write_latency = a.htree_in;
  b.tree_read_energy = a.htree_energy;
  b.mat_timing.predecoder_latency = a.predecoder;
  b.mat_timing.read_latency = b.mat_timing.write_latency = a.before_output - a.htree_in + a.subarray_output;
  b.mat_timing.comparator_latency = a.comparator;
  SubArrayTiming& st = b.mat_timing.subarray;
  st.row_decoder_latency = a.row_decoder;
  st.bitline_latency = a.bitline;
  st.sense_amp_latency = a.senseamp;
  st.mux_latency = a.subarray_output;
  st.read_latency = st.write_latency = a.row_decoder + a.bitline + a.senseamp + a.subarray_output;
  return design;
}

// CACTI's solve() for SRAM [Ucache.cc solve, filter_tag_arr, filter_data_arr, find_optimal_uca] over
// CACTI's own organisation family and circuit equations (cacti_uca.h).
void search_cacti_uca(const Context& ctx, bool cache, const CactiObjective& objective, ArrayResult& result) {
  const NvsimConfig& config = *ctx.config;
  const CactiTech tech = make_cacti_tech(*ctx.technology, ctx.flavour, ctx.device, ctx.cell);
  CactiArraySpec spec;
  spec.capacity_bytes = static_cast<double>(config.capacity);
  spec.line_bytes = static_cast<int>(config.word_width / 8);
  spec.associativity = cache ? config.associativity : 1;
  spec.cache = cache;
  spec.mode = config.cache_access_mode;
  spec.output_bits = static_cast<int>(config.word_width);  // bus width = 8 x line, as the reference runs
  auto figures_of = [](const CactiArray& a) {
    return CactiFigures{a.access, a.read_energy, a.leakage, a.access, a.area()};
  };
  std::optional<CactiArray> tag;
  if (cache) {
    CactiArraySpec tag_spec = spec;
    tag_spec.tag = true;
    const std::vector<CactiArray> tags = cacti_arrays(tag_spec, tech);
    result.candidates += tags.size();
    result.valid_candidates += tags.size();
    std::vector<CactiFigures> f;
    f.reserve(tags.size());
    for (const CactiArray& a : tags) f.push_back(figures_of(a));
    const std::size_t pick = cacti_pick_tag(f, objective);
    if (pick == f.size())
      throw ModelError(
          "CACTI model: no valid organisation of the tag array (CACTI: 'no valid tag organizations found')");
    tag = tags[pick];
  }
  const std::vector<CactiArray> data = cacti_arrays(spec, tech);
  result.candidates += data.size();
  result.valid_candidates += data.size();
  std::vector<CactiFigures> f;
  f.reserve(data.size());
  for (const CactiArray& a : data) f.push_back(figures_of(a));
  const CactiFigures data_min = cacti_minima(f);
  std::vector<std::size_t> kept;
  std::vector<CactiFigures> caches;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (!cacti_keep_data(f[i], data_min)) continue;
    kept.push_back(i);
    if (!tag) {
      caches.push_back(f[i]);
      continue;
    }
    Candidate t, d;
    t.figures = figures_of(*tag);
    d.figures = f[i];
    d.mat_latency = data[i].before_output;
    d.column_decoder_latency = data[i].column_decoder_path;
    caches.push_back(cacti_cache_figures(&t, d, config.cache_access_mode));
  }
  const std::size_t pick = cacti_pick(caches, objective);
  if (pick == caches.size())
    throw ModelError(
        "CACTI model: no valid organisation of the data array (CACTI: 'no valid cache organizations found')");
  const CactiArray& best = data[kept[pick]];
  result.data = cacti_design(ctx, best, ArrayRole::data);
  ArrayFigures& out = result.figures;
  if (!tag) {
    out = ram_figures(result.data.bank, false);
    return;
  }
  result.tag = cacti_design(ctx, *tag, ArrayRole::tag);
  // The whole cache [cacti_interface.cc uca_org_t::find_delay, find_energy, find_area]: data and tag
  // energies, leakages and areas add; the access time follows the access mode.
  out.area = best.area() + tag->area();
  out.leakage = best.leakage + tag->leakage;
  out.hit_latency = caches[pick].access;
  out.miss_latency = tag->access;
  out.hit_energy = best.read_energy + tag->read_energy;
  out.miss_energy = config.cache_access_mode == CacheAccessMode::sequential ? tag->read_energy : out.hit_energy;
  out.write_latency = std::max(best.access, tag->access);
  out.write_energy = best.write_energy + tag->write_energy;
  out.read_latency = out.hit_latency;
  out.read_energy = out.hit_energy;
}

// CACTI's solve() [Ucache.cc]: every valid tag array, then the one tag array filter_tag_arr keeps;
// every valid data array, thinned by filter_data_arr; each kept data array with that tag array as a
// whole cache; the cache find_optimal_uca picks. Fills `result` (designs and figures).
void search_cacti(const Context& ctx, const std::optional<ArrayJob>& tag_job, const ArrayJob& data_job,
                  const SearchSpace& data_space, const CactiObjective& objective, ArrayResult& result) {
  if (ctx.cell.type == ArrayCellType::sram) {
    search_cacti_uca(ctx, tag_job.has_value(), objective, result);
    return;
  }
  const ModelWires wires = cacti_default_wires();
  const OptimizationTarget target = ctx.config->optimization_target;
  std::optional<Candidate> tag;
  if (tag_job) {
    SearchSpace space = cacti_family(full_space(1));
    fix(space.rows_per_set, 1);
    SearchOutcome t = search(ctx, *tag_job, space, target, wires.local, wires.global, Limits{}, true);
    result.candidates += t.candidates;
    result.valid_candidates += t.valid;
    std::vector<CactiFigures> figures;
    figures.reserve(t.all.size());
    for (const Candidate& c : t.all) figures.push_back(c.figures);
    const std::size_t pick = cacti_pick_tag(figures, objective);
    if (pick == figures.size())
      throw ModelError(
          "CACTI model: no valid organisation of the tag array (CACTI: 'no valid tag organizations found')");
    tag = t.all[pick];
  }
  SearchOutcome d = search(ctx, data_job, data_space, target, wires.local, wires.global, Limits{}, true);
  result.candidates += d.candidates;
  result.valid_candidates += d.valid;
  std::vector<CactiFigures> data_figures;
  data_figures.reserve(d.all.size());
  for (const Candidate& c : d.all) data_figures.push_back(c.figures);
  const CactiFigures data_min = cacti_minima(data_figures);
  std::vector<std::size_t> kept;
  std::vector<CactiFigures> caches;
  for (std::size_t i = 0; i < d.all.size(); ++i) {
    if (!cacti_keep_data(d.all[i].figures, data_min)) continue;
    kept.push_back(i);
    caches.push_back(cacti_cache_figures(tag ? &*tag : nullptr, d.all[i], ctx.config->cache_access_mode));
  }
  const std::size_t pick = cacti_pick(caches, objective);
  if (pick == caches.size())
    throw ModelError(
        "CACTI model: no valid organisation of the data array (CACTI: 'no valid cache organizations found'); {} of {} "
        "candidates valid{}{}",
        d.valid, d.candidates,
        d.last_invalid_reason.empty() ? "" : ", the last illegal because: ", d.last_invalid_reason);
  const Candidate& best = d.all[kept[pick]];

  auto design = [&](const Candidate& c) {
    ArrayDesign a;
    a.spec = c.spec;
    a.buffer_style = c.style;
    a.local_wire = wires.local;
    a.global_wire = wires.global;
    a.bank = evaluate(ctx, c.spec, c.style, ctx.wire(wires.local), ctx.wire(wires.global));
    return a;
  };
  result.data = design(best);
  const bool set_reset = is_set_reset(ctx.cell);
  if (tag) {
    result.tag = design(*tag);
    const CacheAccessMode mode = ctx.config->cache_access_mode;
    result.figures = cache_figures(result.data.bank, result.tag->bank, mode, set_reset);
    if (mode == CacheAccessMode::normal) {
      const CactiFigures f = cacti_cache_figures(&*tag, best, mode);
      result.figures.hit_latency = result.figures.read_latency = f.access;
    }
  } else {
    result.figures = ram_figures(result.data.bank, set_reset);
  }
}

}  // namespace

namespace {
ArrayOptions threads_only(unsigned threads) {
  ArrayOptions options;
  options.threads = threads;
  return options;
}
}  // namespace

ArrayResult evaluate_nvsim_config(const NvsimConfig& config, const std::filesystem::path& data_dir, unsigned threads) {
  return evaluate_array(config, *load_nvsim_cell(config.cell_file), data_dir, threads_only(threads));
}

ArrayResult evaluate_nvsim_config(const NvsimConfig& config, const std::filesystem::path& data_dir,
                                  const ArrayOptions& options) {
  return evaluate_array(config, *load_nvsim_cell(config.cell_file), data_dir, options);
}

ArrayResult evaluate_array(const NvsimConfig& config, const Cell& cell_model, const std::filesystem::path& data_dir,
                           unsigned threads) {
  return evaluate_array(config, cell_model, data_dir, threads_only(threads));
}

ArrayResult evaluate_array(const NvsimConfig& config, const Cell& cell_model, const std::filesystem::path& data_dir,
                           const ArrayOptions& options) {
  return std::move(evaluate_array_capacities(config, {&config.capacity, 1}, cell_model, data_dir, options).front());
}

std::vector<ArrayResult> evaluate_array_capacities(const NvsimConfig& config, std::span<const std::uint64_t> capacities,
                                                   const Cell& cell_model, const std::filesystem::path& data_dir,
                                                   const ArrayOptions& options) {
  if (capacities.empty()) return {};
  const bool cacti_model = options.model == circuit::CircuitModel::cacti;
  const unsigned threads = options.threads;
  if (config.optimization_target == OptimizationTarget::exploration)
    throw ModelError(
        "OptimizationTarget Exploration (NVSim's CSV dump of every design) is not supported; name a target");
  if (config.design_target == DesignTarget::cam) throw ModelError("DesignTarget CAM is not supported");
  if (!config.internal_sensing && config.routing == Routing::h_tree)
    throw ModelError("H-tree routing does not support external sensing (NVSim refuses it too): use Routing non-H-tree");
  const bool fixed = options.compat == Compat::fixed;
  if (fixed && cacti_model)
    throw ModelError("compat: fixed corrects NVSim's quirks: it applies to model nvsim only, not to model cacti");

  const Technology technology = cacti_model ? technology_for_model(options.model, data_dir, config.process_node)
                                : fixed     ? fixed_technology(technology_for(config, data_dir))
                                            : technology_for(config, data_dir);
  Context ctx;
  ctx.config = &config;
  ctx.threads = threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  ctx.technology = &technology;
  std::vector<std::string> warnings = config.warnings;
  const std::string flavour = flavour_for(technology, config.device_roadmap, warnings);
  ctx.device = circuit::make_device_model(technology, flavour, config.temperature, config.max_nmos_size, options.model);
  ctx.flavour = flavour;
  const CellFigures cell_figures = cell_model.characterize(CellContext{&technology, config.temperature, flavour});
  ctx.cell = make_array_cell(cell_figures);
  ctx.compat = options.compat;
  // Fixed (Q30): NVSim never checks the access transistor against the write current. It is a property
  // of the cell, the same for every organisation, so it is reported rather than searched.
  if (fixed && ctx.cell.type != ArrayCellType::sram && ctx.cell.access == AccessDevice::cmos) {
    const double write_current = std::max(std::fabs(ctx.cell.set_current), std::fabs(ctx.cell.reset_current));
    const double drive = ctx.device.on_current_n * ctx.cell.access_width_f * ctx.device.feature_size;
    if (write_current > drive)
      warnings.push_back(fmt::format(
          "compat fixed: the cell's access transistor ({} F wide) drives {:.3g} A at {} K, less than its write "
          "current {:.3g} A (NVSim does not check it: quirk Q30)",
          ctx.cell.access_width_f, drive, config.temperature, write_current));
  }

  ArrayResult header;  // what every capacity's result shares
  header.target = config.design_target;
  header.optimization_target = config.optimization_target;
  header.access_mode = config.cache_access_mode;
  header.cell_name = cell_figures.name;
  header.cell_type = cell_figures.cell_type;
  header.node = config.process_node;
  header.temperature = config.temperature;
  header.node_source = technology.table_set;
  header.model = options.model;
  header.compat = options.compat;
  header.warnings = std::move(warnings);
  header.ignored_keys = config.ignored_keys;
  for (const auto& k : cell_figures.ignored_keys) header.ignored_keys.push_back(k);

  const bool cache = config.design_target == DesignTarget::cache;
  const int ways = config.associativity;
  const bool non_sequential = cache && config.cache_access_mode != CacheAccessMode::sequential;
  const auto word = static_cast<std::int64_t>(config.word_width);
  // Errors name the capacity when several are evaluated.
  const auto at = [&](std::size_t i) {
    return capacities.size() == 1 ? std::string() : fmt::format("at {} B: ", capacities[i]);
  };

  const auto tag_job = [&](std::uint64_t capacity) {
    const double capacity_bits = static_cast<double>(capacity) * 8.0;
    ArrayJob tag;
    tag.role = ArrayRole::tag;
    const double sets = capacity_bits / static_cast<double>(word) / ways;
    const int index_bits = static_cast<int>(std::log2(sets) + 0.1);
    const int offset_bits = static_cast<int>(std::log2(static_cast<double>(word) / 8.0) + 0.1);
    constexpr int kPhysicalAddressBits = 48;                             // NVSim's TOTAL_ADDRESS_BIT
    tag.tag_bits = kPhysicalAddressBits - index_bits - offset_bits + 2;  // plus valid and dirty bits
    tag.capacity_bits = capacity_bits / static_cast<double>(word);       // lines; x tag width per candidate
    tag.associativity = ways;
    tag.cache_non_sequential = non_sequential;
    tag.cache_associativity = ways;
    tag.write_energy_divisor = config.cache_access_mode == CacheAccessMode::fast ? ways : 1;
    return tag;
  };
  const auto data_job = [&](std::uint64_t capacity) {
    ArrayJob data;
    data.role = ArrayRole::data;
    data.capacity_bits = static_cast<double>(capacity) * 8.0;
    data.block_bits = word;
    data.associativity = cache ? ways : 1;
    data.cache_non_sequential = non_sequential;
    data.cache_associativity = cache ? ways : 1;
    if (cache && config.cache_access_mode == CacheAccessMode::sequential) data.associativity = 1;
    if (cache && config.cache_access_mode == CacheAccessMode::fast) {
      data.block_bits = word * ways;
      data.associativity = 1;
      data.write_energy_divisor = ways;
    }
    return data;
  };
  SearchSpace space = data_space(config, cache ? ways : 1, options.compat);
  if (cache && config.cache_access_mode == CacheAccessMode::normal) fix(space.rows_per_set, 1);
  const bool set_reset = is_set_reset(ctx.cell);

  std::vector<ArrayResult> results(capacities.size(), header);
  if (cacti_model) {
    const CactiObjective objective = options.cacti_objective.value_or(cacti_objective_for(config.optimization_target));
    for (std::size_t i = 0; i < capacities.size(); ++i) {
      std::optional<ArrayJob> tag;  // the CACTI model searches both arrays together
      if (cache) tag = tag_job(capacities[i]);
      search_cacti(ctx, tag, data_job(capacities[i]), cacti_family(space), objective, results[i]);
    }
    return results;
  }
  if (fixed && cache) {
    for (std::size_t i = 0; i < capacities.size(); ++i) {
      CacheChoice choice = search_cache_fixed(ctx, tag_job(capacities[i]), fixed_tag_space(config),
                                              data_job(capacities[i]), space, options.cache_search, set_reset);
      ArrayResult& result = results[i];
      result.candidates += choice.candidates;
      result.valid_candidates += choice.valid;
      result.data = std::move(choice.data);
      result.tag = std::move(choice.tag);
      result.figures =
          cache_figures(result.data.bank, result.tag->bank, config.cache_access_mode, set_reset, Compat::fixed);
    }
    return results;
  }

  // NVSim: the tag arrays of every capacity, searched together, then the data arrays.
  if (cache) {
    std::vector<ArrayJob> tags;
    for (const std::uint64_t c : capacities) tags.push_back(tag_job(c));
    std::vector<ArraySearch> found = search_arrays(ctx, tags, tag_space(), config.optimization_target, nullptr);
    for (std::size_t i = 0; i < capacities.size(); ++i) {
      results[i].candidates += found[i].candidates;
      results[i].valid_candidates += found[i].valid;
      if (!found[i].design.valid())
        throw ModelError(
            "{}no valid organisation of the tag array (NVSim: 'No valid solutions for tags.'); the last one "
            "tried was illegal because: {}",
            at(i), found[i].last_invalid_reason);
      results[i].tag = std::move(found[i].design);
    }
  }
  std::vector<ArrayJob> datas;
  for (const std::uint64_t c : capacities) datas.push_back(data_job(c));
  std::vector<ArraySearch> found = search_arrays(ctx, datas, space, config.optimization_target, &config.constraints);
  for (std::size_t i = 0; i < capacities.size(); ++i) {
    ArrayResult& result = results[i];
    result.candidates += found[i].candidates;
    result.valid_candidates += found[i].valid;
    if (found[i].candidates == 0)
      throw ModelError(
          "{}no organisation to evaluate: every bank grid of the search space either splits the {}-bit word over "
          "more active mats and subarrays than it has bits, or runs out of address bits in its H-tree (NVSim: too "
          "aggressive partitioning, 'No valid solutions.')",
          at(i), datas[i].block_bits);
    if (!found[i].design.valid())
      throw ModelError("{}no valid organisation: {} (NVSim: 'No valid solutions.'); {}: {}", at(i),
                       found[i].candidates == 1 ? "the forced organisation is illegal"
                                                : fmt::format("all {} candidates are illegal", found[i].candidates),
                       found[i].candidates == 1 ? "because" : "the last one because", found[i].last_invalid_reason);
    result.data = std::move(found[i].design);
    result.figures = cache ? cache_figures(result.data.bank, result.tag->bank, config.cache_access_mode, set_reset)
                           : ram_figures(result.data.bank, set_reset);
  }
  return results;
}

}  // namespace deepnvm
