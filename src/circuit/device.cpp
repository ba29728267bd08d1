// SPDX-License-Identifier: MIT
#include "deepnvm/circuit/device.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "deepnvm/core/error.h"
#include "deepnvm/tech/formulas.h"

namespace deepnvm::circuit {
namespace {

// Carrier saturation velocity NVSim uses for V_dsat = L_phy v_sat / mu [NVSim Technology.cpp].
constexpr double kSaturationVelocity = 1e5;  // m/s

// Width of the diffusion strip beside a contact: the contact plus its two poly spacings.
double contact_strip(const DeviceModel& d) { return d.feature_size * (kContactSizeF + 2.0 * kGapContactPolyF); }

// The largest unfolded NMOS and PMOS widths in a region of `height`, split in the gate's P/N ratio.
struct MaxWidths {
  double n = 0.0, p = 0.0;
};
MaxWidths max_widths(const DeviceModel& d, double width_n, double width_p, double height) {
  const double ratio = width_p / (width_p + width_n);
  if (ratio == 0.0) return {height, 0.0};
  if (ratio == 1.0) return {0.0, height};
  const double p = ratio * (height - kGapPAndNDiffusionF * d.feature_size);
  return {p / ratio * (1.0 - ratio), p};
}

// One diffusion network (N or P) of a gate after folding: how many fingers and how tall.
struct Network {
  int fingers = 1;
  double height = 0.0;        // height of the diffusion (the device width, or the region limit)
  double finger_width = 0.0;  // poly-to-poly width added by the fingers (area model)
  double drain_extra = 0.0;   // extra drain strip width from folding (capacitance model)
};
Network fold(const DeviceModel& d, double width, double max_width) {
  Network net;
  if (width <= 0.0) return net;
  const double F = d.feature_size;
  if (width < max_width) {
    net.height = width;
    net.finger_width = F;
    return net;
  }
  // NVSim stops the run when the region cannot hold a folded device; here the device is unbuildable.
  if (max_width < 3.0 * F)
    throw ModelError(
        "a transistor cannot be folded: the layout region leaves less than 3F per finger (NVSim stops here too)");
  net.fingers = static_cast<int>(std::ceil(width / (max_width - 3.0 * F)));  // 3F folding overhead per finger
  net.height = max_width;
  net.finger_width = net.fingers * F + (net.fingers - 1) * F * kGapPolyF;
  net.drain_extra = (net.fingers - 1) * F * kGapPolyF;
  return net;
}

}  // namespace

DeviceModel make_device_model(const Technology& technology, std::string_view flavour, double temperature,
                              double max_nmos_size_f, CircuitModel model) {
  const Device& dev = technology.device(flavour);
  const bool finfet = technology.process == "finfet";
  DeviceModel d;
  d.feature_size = technology.node;
  d.temperature = temperature;
  // FinFET with fin geometry: per-effective-width values become per drawn width at whole fins (one
  // fin per 2F drawn, NS-Cache formula.cpp), scale = W_eff,fin / 2F. Planar and fin-less: scale 1.
  double scale = 1.0;
  if (finfet) {
    std::optional<double> fin = dev.fin_effective_width;
    if (!fin && dev.fin_height && dev.fin_width) fin = 2.0 * *dev.fin_height + *dev.fin_width;
    if (fin) {
      d.fin_effective_width = *fin;
      d.fin_drawn_width = 2.0 * technology.node;
      scale = d.fin_effective_width / d.fin_drawn_width;
    }
  }
  d.vdd = dev.vdd;
  d.gate_length = dev.gate_length;
  d.cap_ideal_gate = dev.gate_cap_ideal * scale;
  d.cap_fringe = dev.fringe_cap * scale;
  d.cap_overlap = dev.overlap_cap.value_or(0.2 * dev.gate_cap_ideal) * scale;  // NVSim: C_ov = 0.2 C_gi
  d.cap_junction = junction_cap_bottom(dev.vdd);
  d.cap_sidewall = junction_cap_sidewall(dev.vdd);
  d.cap_drain_to_channel = junction_cap_gate_edge(dev.vdd);
  if (finfet) {  // junction caps a FinFET source states (McPAT 16 nm: C_j = 0) win over NVSim's planar ones
    d.cap_junction = dev.bottom_junction_cap.value_or(d.cap_junction);
    d.cap_sidewall = dev.sidewall_junction_cap.value_or(d.cap_sidewall);
  }
  if (finfet && dev.drain_cap_total) d.drain_cap_per_width = *dev.drain_cap_total * scale;
  if (finfet && dev.transconductance_per_width) {
    // g_m comes from the table (NeuroSim gm_oncurrent), so V_th, C_ox and the mobilities are unused.
    d.transconductance_per_width = *dev.transconductance_per_width * scale;
    d.vth = dev.vth.value_or(0.0);
    d.cap_ox = dev.oxide_cap.value_or(0.0);
  } else {
    d.vth = dev.need(dev.vth, "vth");
    d.cap_ox = dev.need(dev.oxide_cap, "oxide_cap");
    d.mobility_n = dev.need(dev.electron_mobility, "electron_mobility");
    d.mobility_p = dev.need(dev.hole_mobility, "hole_mobility");
    d.vdsat_n = d.gate_length * kSaturationVelocity / d.mobility_n;
    d.vdsat_p = d.gate_length * kSaturationVelocity / d.mobility_p;
  }
  d.pn_size_ratio = dev.pn_size_ratio;
  d.effective_resistance_multiplier = dev.effective_resistance_multiplier;
  d.on_current_n = dev.current(DeviceCurrent::on_n, temperature) * scale;
  d.on_current_p = dev.current(DeviceCurrent::on_p, temperature) * scale;
  d.off_current_n = dev.current(DeviceCurrent::off_n, temperature) * scale;
  d.off_current_p = dev.current(DeviceCurrent::off_p, temperature) * scale;
  d.max_nmos_width = max_nmos_size_f * d.feature_size;
  d.model = model;
  if (model == CircuitModel::cacti && !finfet) {
    // CACTI stores V_dsat and the junction caps per device instead of deriving them [CACTI
    // parameter.cc DeviceType::assign]; I_g,on(T) is the gate-oxide leakage, equal for N and P.
    d.vdsat_n = d.vdsat_p = dev.saturation_voltage.value_or(d.vdsat_n);
    d.cap_junction = dev.bottom_junction_cap.value_or(d.cap_junction);
    d.cap_sidewall = dev.sidewall_junction_cap.value_or(d.cap_sidewall);
    d.gate_leakage_n = d.gate_leakage_p = dev.gate_leakage_current(temperature).value_or(0.0);
  }
  return d;
}

int DeviceModel::fins(double width) const {
  if (!finfet() || width <= 0.0) return 0;
  // The tolerance keeps a width of exactly k fins (k * 2F in floating point) at k fins.
  return std::max(1, static_cast<int>(std::ceil(width / fin_drawn_width - 1e-9)));
}

double gate_cap(const DeviceModel& d, double width) { return d.cap_gate_per_width() * d.electrical_width(width); }

GateCaps gate_caps(const DeviceModel& d, Gate gate, int inputs, double width_n, double width_p, double region_height) {
  if (d.finfet()) {
    width_n = d.electrical_width(width_n);
    width_p = d.electrical_width(width_p);
    if (d.drain_cap_per_width > 0.0) {
      // NeuroSim's total drain cap per width; a parallel network exposes `inputs` drains, a series one.
      const double k = inputs;
      const double n_drains = gate == Gate::nor ? k : 1.0;
      const double p_drains = gate == Gate::nand ? k : 1.0;
      GateCaps caps;
      caps.output = d.drain_cap_per_width * (n_drains * width_n + p_drains * width_p);
      caps.input = gate_cap(d, width_n) + gate_cap(d, width_p);
      return caps;
    }
  }
  const MaxWidths max = max_widths(d, width_n, width_p, region_height);
  const Network n = fold(d, width_n, max.n);
  const Network p = fold(d, width_p, max.p);
  const double strip = contact_strip(d);
  const double F = d.feature_size;
  const double k = inputs;
  // Width of the drain strip of each network; the series stack exposes one drain, the parallel one k.
  double drain_n = 0.0, drain_p = 0.0;
  switch (gate) {
    case Gate::inv:
      if (width_p > 0) drain_p = strip + p.drain_extra;
      if (width_n > 0) drain_n = strip + n.drain_extra;
      break;
    case Gate::nor:
      if (width_p > 0) drain_p = strip + p.drain_extra * k + (k - 1) * F * kGapPolyF;
      if (width_n > 0) drain_n = (strip + n.drain_extra) * k;
      break;
    case Gate::nand:
      if (width_n > 0) drain_n = strip + n.drain_extra * k + (k - 1) * F * kGapPolyF;
      if (width_p > 0) drain_p = (strip + p.drain_extra) * k;
      break;
  }
  auto sidewall = [&](double strip_width, const Network& net) {
    return (net.fingers % 2 == 0 ? 2.0 * strip_width : 2.0 * strip_width + net.height) * d.cap_sidewall;
  };
  GateCaps caps;
  caps.output = (drain_n * n.height + drain_p * p.height) * d.cap_junction + sidewall(drain_n, n) +
                sidewall(drain_p, p) + (n.fingers * n.height + p.fingers * p.height) * d.cap_drain_to_channel;
  caps.input = gate_cap(d, width_n) + gate_cap(d, width_p);
  return caps;
}

double drain_cap(const DeviceModel& d, double width, Channel channel, double region_height) {
  return channel == Channel::nmos ? gate_caps(d, Gate::inv, 1, width, 0.0, region_height).output
                                  : gate_caps(d, Gate::inv, 1, 0.0, width, region_height).output;
}

Footprint gate_area(const DeviceModel& d, Gate gate, int inputs, double width_n, double width_p, double region_height) {
  width_n = d.electrical_width(width_n);
  width_p = d.electrical_width(width_p);
  const MaxWidths max = max_widths(d, width_n, width_p, region_height);
  // The area model folds without the 3F check of the capacitance model (NVSim does the same).
  auto fold_area = [&](double width, double max_width) {
    Network net;
    if (width <= 0.0) return net;
    if (width < max_width) {
      net.height = width;
      net.finger_width = d.feature_size;
    } else {
      net.fingers = static_cast<int>(std::ceil(width / (max_width - 3.0 * d.feature_size)));
      net.height = max_width;
      net.finger_width = net.fingers * d.feature_size + (net.fingers - 1) * d.feature_size * kGapPolyF;
    }
    return net;
  };
  const Network n = fold_area(width_n, max.n);
  const Network p = fold_area(width_p, max.p);
  const double ends = 2.0 * contact_strip(d);
  const double F = d.feature_size;
  const double k = inputs;
  double region_n = 0.0, region_p = 0.0;
  switch (gate) {
    case Gate::inv:
      region_p = ends + p.finger_width;
      region_n = ends + n.finger_width;
      break;
    case Gate::nor:  // series PMOS, parallel NMOS
      region_p = ends + p.finger_width * k + (k - 1) * F * kGapPolyF;
      region_n = ends + n.finger_width * k + (k - 1) * contact_strip(d);
      break;
    case Gate::nand:  // series NMOS, parallel PMOS
      region_n = ends + n.finger_width * k + (k - 1) * F * kGapPolyF;
      region_p = ends + p.finger_width * k + (k - 1) * contact_strip(d);
      break;
  }
  Footprint f;
  f.width = std::max(region_n, region_p);
  f.height = (width_n > 0 && width_p > 0) ? n.height + p.height + F * kGapPAndNDiffusionF + 2.0 * F * kPowerRailWidthF
                                          : n.height + p.height;  // a lone transistor has no rails
  return f;
}

namespace {

// Binomial coefficient C(n, k) for the small fan-ins of a gate.
double choose(int n, int k) {
  double c = 1.0;
  for (int i = 1; i <= k; ++i) c = c * (n - k + i) / i;
  return c;
}

// CACTI's state-averaged leakage of a gate (subthreshold plus gate oxide): every one of the 2^k
// input states is equally likely; a stack of j off transistors leaks 0.43^(j-1) of one (CACTI
// const.h UNI_LEAK_STACK_FACTOR) [CACTI basic_circuit.cc cmos_Isub_leakage, cmos_Ig_leakage].
double cacti_gate_leakage(const DeviceModel& d, Gate gate, int k, double width_n, double width_p) {
  constexpr double kStackFactor = 0.43;
  const double sub_n = width_n * d.off_current_n, sub_p = width_p * d.off_current_p;
  const double ig_n = width_n * d.gate_leakage_n, ig_p = width_p * d.gate_leakage_p;
  const double states = std::pow(2.0, k);
  if (gate == Gate::inv) return (sub_n + sub_p) / 2.0 + (ig_n + ig_p) / 2.0;
  // The series network leaks through its off stacks; the parallel one only when all inputs are off.
  const double sub_series = gate == Gate::nand ? sub_n : sub_p;
  const double sub_parallel = gate == Gate::nand ? sub_p : sub_n;
  const double ig_series = gate == Gate::nand ? ig_n : ig_p;
  const double ig_parallel = gate == Gate::nand ? ig_p : ig_n;
  double sub = k * sub_parallel, ig = k * ig_series;
  for (int j = 1; j <= k; ++j) {
    sub += sub_series * std::pow(kStackFactor, j - 1) * choose(k, j);
    ig += ig_parallel * choose(k, j) * j;                 // on transistors of the parallel network
    if (j < k) ig += ig_series * choose(k, j) * j / 2.0;  // CACTI's half-on approximation of the stack
  }
  return (sub + ig) / states;
}

}  // namespace

double gate_leakage(const DeviceModel& d, Gate gate, int inputs, double width_n, double width_p) {
  width_n = d.electrical_width(width_n);
  width_p = d.electrical_width(width_p);
  if (d.model == CircuitModel::cacti) return cacti_gate_leakage(d, gate, inputs, width_n, width_p);
  // Average-state stack factors of NVSim's constant.h (AVG_RATIO_LEAK_*).
  switch (gate) {
    case Gate::inv:
      return std::max(width_n * d.off_current_n, width_p * d.off_current_p);
    case Gate::nor:
      return (inputs == 2 ? 0.95 : 0.62) * width_n * d.off_current_n * inputs;
    case Gate::nand:
      return (inputs == 2 ? 0.48 : 0.31) * width_p * d.off_current_p * inputs;
  }
  return 0.0;
}

double on_resistance(const DeviceModel& d, double width, Channel channel) {
  const double current = channel == Channel::nmos ? d.on_current_n : d.on_current_p;
  return d.effective_resistance_multiplier * d.vdd / (current * d.electrical_width(width));
}

double transconductance(const DeviceModel& d, double width, Channel channel) {
  if (d.transconductance_per_width > 0.0) return d.transconductance_per_width * d.electrical_width(width);
  const bool n = channel == Channel::nmos;
  const double overdrive = std::min(n ? d.vdsat_n : d.vdsat_p, d.vdd - d.vth);
  return (n ? d.mobility_n : d.mobility_p) * d.cap_ox / 2.0 * width / d.gate_length * overdrive;
}

Delay horowitz(double tau, double beta, double ramp_in) {
  // Normalised switching point v_s = 0.5: t = tau sqrt(ln^2 v_s + 2 alpha beta (1 - v_s)), alpha = 1/(ramp tau).
  constexpr double kSwitch = 0.5;
  const double alpha = 1.0 / ramp_in / tau;
  const double ln_vs = std::log(kSwitch);
  Delay out;
  out.latency = tau * std::sqrt(ln_vs * ln_vs + 2.0 * alpha * beta * (1.0 - kSwitch));
  out.ramp_out = (1.0 - kSwitch) / out.latency;
  return out;
}

}  // namespace deepnvm::circuit
