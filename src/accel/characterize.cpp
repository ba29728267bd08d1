// SPDX-License-Identifier: MIT
#include "deepnvm/accel/characterize.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <random>
#include <vector>

#include "deepnvm/core/error.h"

namespace deepnvm::accel {
namespace {

const std::vector<std::uint32_t>& port(const std::map<std::string, std::vector<std::uint32_t>>& ports,
                                       const std::string& name, std::size_t bits, const std::string& module) {
  const auto it = ports.find(name);
  if (it == ports.end() || it->second.size() != bits)
    throw ModelError("netlist {}: expected port {} of {} bits (the generated PE's)", module, name, bits);
  return it->second;
}

// Fan-in loads: every net's capacitance is its driver's drain plus its readers' gate inputs.
std::vector<double> net_capacitance(const GateNetlist& n, const GateLibrary& lib) {
  std::vector<double> cap(n.nets, 0.0);
  for (const NetlistGate& g : n.gates) {
    const LibraryGate& cell = lib[g.kind];
    cap[g.y] += cell.output_cap;
    cap[g.a] += cell.input_cap;
    if (g.kind != GateKind::inv) cap[g.b] += cell.input_cap;
  }
  cap[0] = cap[1] = 0.0;  // the rails do not switch
  return cap;
}

// Arrival time and slope along the netlist: each gate's Horowitz delay for its load, driven by the
// slope of its latest input [NVSim formula.cpp horowitz; the inputs arrive as ideal steps].
double critical_path(const GateNetlist& n, const GateLibrary& lib, const std::vector<double>& cap) {
  std::vector<double> arrival(n.nets, 0.0), ramp(n.nets, circuit::kStepRamp);
  for (const NetlistGate& g : n.gates) {
    const LibraryGate& cell = lib[g.kind];
    std::uint32_t in = g.a;
    if (g.kind != GateKind::inv && arrival[g.b] > arrival[g.a]) in = g.b;
    const double tau = cell.resistance * cap[g.y];
    const circuit::Delay d = circuit::horowitz(tau, 1.0 / (cell.resistance * cell.transconductance), ramp[in]);
    arrival[g.y] = arrival[in] + d.latency;
    ramp[g.y] = d.ramp_out;
  }
  double worst = 0.0;
  for (const auto& [name, bits] : n.outputs)
    for (const std::uint32_t b : bits) worst = std::max(worst, arrival[b]);
  return worst;
}

struct Operands {
  std::int64_t act = 0;
  std::uint64_t code = 0;
};

class StreamSource {
 public:
  StreamSource(const PeSpec& pe, const OperandStream& s) : pe_(pe), stream_(s), rng_(s.seed) {}

  Operands next() {
    Operands o;
    const double act_max = std::ldexp(1.0, pe_.act_bits - 1) - 1.0;
    if (!bernoulli(stream_.zero_activations)) {
      std::normal_distribution<double> a(0.0, std::ldexp(1.0, pe_.act_bits - 1) / 4.0);
      o.act = static_cast<std::int64_t>(std::min(act_max, std::floor(std::fabs(a(rng_)))));
    }
    if (pe_.kind == PeKind::int_mac) {
      const double w_max = std::ldexp(1.0, pe_.weight_bits - 1);
      std::normal_distribution<double> w(0.0, w_max / 4.0);
      const double v = std::clamp(std::round(w(rng_)), -w_max, w_max - 1.0);
      o.code = static_cast<std::uint64_t>(static_cast<std::int64_t>(v)) & ((std::uint64_t{1} << pe_.weight_bits) - 1);
      return o;
    }
    const int terms = pe_.kind == PeKind::light1 ? 1 : 2;
    for (int t = 0; t < terms; ++t) {
      const double e_max = std::ldexp(1.0, pe_.weight_bits) - 1.0;
      std::normal_distribution<double> e(0.0, (e_max + 1.0) / 3.0);
      const auto exponent = static_cast<std::uint64_t>(std::min(e_max, std::floor(std::fabs(e(rng_)))));
      const std::uint64_t sign = bernoulli(0.5) ? 1 : 0;
      o.code |= ((sign << pe_.weight_bits) | exponent) << (t * (pe_.weight_bits + 1));
    }
    return o;
  }

 private:
  bool bernoulli(double p) { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < p; }
  PeSpec pe_;
  OperandStream stream_;
  std::mt19937_64 rng_;
};

}  // namespace

PeFigures characterize(const PeSpec& pe, const GateNetlist& n, const GateLibrary& lib, const OperandStream& stream) {
  validate(pe);
  if (stream.dot_length < 1)
    throw ConfigError({"<stream>", 0}, "dot_length", "expected >= 1, got {}", stream.dot_length);
  // Toggles are counted between consecutive steps of 64 MACs: two steps at least.
  if (stream.macs < kMinStreamMacs)
    throw ConfigError({"<stream>", 0}, "macs", "expected at least {} MACs, got {}", kMinStreamMacs, stream.macs);
  const auto& act = port(n.inputs, "act", static_cast<std::size_t>(pe.act_bits), n.module);
  const auto& wcode = port(n.inputs, "wcode", static_cast<std::size_t>(weight_code_bits(pe)), n.module);
  const auto& acc_in = port(n.inputs, "acc_in", static_cast<std::size_t>(pe.acc_bits), n.module);
  const auto& acc_out = port(n.outputs, "acc_out", static_cast<std::size_t>(pe.acc_bits), n.module);

  PeFigures f;
  f.gates = n.gates.size();
  f.inverters = n.count(GateKind::inv);
  f.nand2 = n.count(GateKind::nand2);
  f.nor2 = n.count(GateKind::nor2);
  for (const NetlistGate& g : n.gates) {
    f.area += lib[g.kind].area;
    f.leakage += lib[g.kind].leakage;
  }
  const std::vector<double> cap = net_capacitance(n, lib);
  f.critical_path = critical_path(n, lib, cap);

  // 64 lanes step together; lane l's operands go into bit l of each input net.
  constexpr int kLanes = 64;
  const std::size_t steps = (stream.macs + kLanes - 1) / kLanes;
  const std::uint64_t acc_mask = (std::uint64_t{1} << pe.acc_bits) - 1;
  StreamSource source(pe, stream);
  std::vector<std::uint64_t> values(n.nets, 0), previous(n.nets, 0);
  std::vector<std::uint64_t> toggles(n.nets, 0);
  std::array<std::int64_t, kLanes> acc{};
  std::array<Operands, kLanes> ops{};
  for (std::size_t t = 0; t < steps; ++t) {
    if (t % static_cast<std::size_t>(stream.dot_length) == 0) acc.fill(0);
    for (int l = 0; l < kLanes; ++l) ops[static_cast<std::size_t>(l)] = source.next();
    const auto load = [&](const std::vector<std::uint32_t>& nets, auto bit_of) {
      for (std::size_t b = 0; b < nets.size(); ++b) {
        std::uint64_t lanes = 0;
        for (int l = 0; l < kLanes; ++l) lanes |= std::uint64_t{bit_of(static_cast<std::size_t>(l), b)} << l;
        values[nets[b]] = lanes;
      }
    };
    load(act, [&](std::size_t l, std::size_t b) { return (static_cast<std::uint64_t>(ops[l].act) >> b) & 1u; });
    load(wcode, [&](std::size_t l, std::size_t b) { return (ops[l].code >> b) & 1u; });
    load(acc_in, [&](std::size_t l, std::size_t b) { return (static_cast<std::uint64_t>(acc[l]) >> b) & 1u; });
    evaluate(n, values);
    for (int l = 0; l < kLanes; ++l) {
      const auto lane = static_cast<std::size_t>(l);
      std::uint64_t raw = 0;
      for (std::size_t b = 0; b < acc_out.size(); ++b) raw |= ((values[acc_out[b]] >> l) & 1u) << b;
      const std::int64_t want = mac(pe, acc[lane], ops[lane].act, ops[lane].code);
      if (raw != (static_cast<std::uint64_t>(want) & acc_mask))
        throw ModelError(
            "netlist {} differs from the reference: acc_in {} act {} code {:#x} gives bits {:#x}, mac() gives {} "
            "(yosys synthesis or the RTL generator is wrong)",
            n.module, acc[lane], ops[lane].act, ops[lane].code, raw, want);
      acc[lane] = want;
    }
    if (t > 0)
      for (std::uint32_t net = 2; net < n.nets; ++net)
        toggles[net] += static_cast<std::uint64_t>(std::popcount(values[net] ^ previous[net]));
    std::swap(values, previous);
  }
  f.macs_checked = steps * kLanes;
  const double transitions_counted = static_cast<double>((steps - 1) * kLanes);
  double energy = 0.0, total = 0.0;
  for (std::uint32_t net = 2; net < n.nets; ++net) {
    energy += static_cast<double>(toggles[net]) * 0.5 * cap[net] * lib.vdd * lib.vdd;
    total += static_cast<double>(toggles[net]);
  }
  f.energy_per_mac = energy / transitions_counted;
  f.toggles_per_mac = total / transitions_counted;
  return f;
}

double switching_energy(const GateNetlist& n, const GateLibrary& lib, std::size_t steps,
                        const std::function<void(std::size_t, std::vector<std::uint64_t>&)>& drive) {
  if (steps < 2) throw ConfigError({"<stream>", 0}, "steps", "expected at least 2 steps, got {}", steps);
  const std::vector<double> cap = net_capacitance(n, lib);
  std::vector<std::uint64_t> values(n.nets, 0), previous(n.nets, 0);
  double energy = 0.0;
  for (std::size_t t = 0; t < steps; ++t) {
    drive(t, values);
    evaluate(n, values);
    if (t > 0)
      for (std::uint32_t net = 2; net < n.nets; ++net)
        energy += static_cast<double>(std::popcount(values[net] ^ previous[net])) * 0.5 * cap[net] * lib.vdd * lib.vdd;
    previous = values;
  }
  return energy / static_cast<double>((steps - 1) * 64);
}

std::pair<double, double> gate_area_and_leakage(const GateNetlist& n, const GateLibrary& lib) {
  double area = 0.0, leakage = 0.0;
  for (const NetlistGate& g : n.gates) {
    area += lib[g.kind].area;
    leakage += lib[g.kind].leakage;
  }
  return {area, leakage};
}

}  // namespace deepnvm::accel
