// SPDX-License-Identifier: MIT
// CACTI 7's UCA SRAM array (cacti_uca.h). Every equation cites its CACTI 7 source (HewlettPackard/cacti,
// commit 1ffd8df): file and function. Lengths are metres inside (CACTI works in microns; the formulas
// are unit-consistent, the few unit-bearing constants are converted where they appear).
#include "deepnvm/array/cacti_uca.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

#include "deepnvm/tech/formulas.h"

namespace deepnvm {
namespace {

using circuit::DeviceModel;

constexpr double kEpsilon0 = 8.8542e-12;           // F/m [wire.cc Wire::wire_cap]
constexpr double kCuResistivity = 0.022e-6;        // Ohm m, CU_RESISTIVITY 0.022 ohm-micron [const.h]
constexpr double kAlphaScatter = 1.05;             // [wire.cc Wire::wire_res]
constexpr double kMiller = 1.5, kVerticalK = 3.9;  // the .dat files' miller_value, vert_dielectric_constant
constexpr double kShortCircuitCurrent = 65e-6;     // A per unit width ratio, Ishort_ckt [wire.cc]
constexpr double kVbitSenseMin = 0.08;             // V, VBITSENSEMIN [const.h]
constexpr int kStitchingCells = 16;                // sram_num_cells_wl_stitching_ [const.h]
constexpr double kFanoutOptimal = 4.0;             // fopt [basic_circuit.cc logical_effort]
constexpr int kMaxDataN = 512, kMaxColMux = 256;   // MAXDATAN, MAX_COL_MUX [const.h]
constexpr double kMaxDataSpd = 256.0;              // MAXDATASPD [const.h]
constexpr int kMinRows = 16, kMaxRows = 262144, kMinCols = 2, kMaxCols = 262144;  // [const.h]
constexpr int kAddressBits = 42, kExtraTagBits = 5;  // ADDRESS_BITS, EXTRA_TAG_BITS [const.h]
constexpr double kCompInverterSwitch = 0.5;          // VTHCOMPINV [const.h]

int log2_floor(std::int64_t v) {
  int r = 0;
  while (v > 1) {
    v >>= 1;
    ++r;
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Transistor primitives [CACTI basic_circuit.cc, technology.cc layout rules].

struct Prims {
  const DeviceModel* d;
  double F, wn_min, wp_min, n2p;
  double local_cap;  // F/m, wire_local C_per_um (folded-drain metal)

  double gate(double w) const { return d->cap_gate_per_width() * w; }  // gate_C
  // drain_C_ [basic_circuit.cc]: `cell_fold` true: fold inside a cell of height `dim` (power rails and
  // the P-N gap removed, P:N = 2:1); false: `dim` is the folding width itself.
  double drain(double w, bool nch, int stack, bool cell_fold, double dim) const {
    double folded = dim;
    if (cell_fold) {
      const double region = dim - 2.0 * 2.0 * F;                  // 2 x HPOWERRAIL (2F)
      const double ratio = 2.0 / 3.0;                             // ratio_p_to_n
      folded = (nch ? 1.0 - ratio : ratio) * (region - 5.0 * F);  // MIN_GAP_BET_P_AND_N_DIFFS = 5F
    }
    const int folds = static_cast<int>(std::ceil(w / folded));
    if (folds < 2) folded = w;
    double drain_w = 3.0 * F + (stack - 1) * 1.5 * F;  // contact F + 2 x F poly spacing; 1.5F poly-poly
    double side_h = folded;
    double gate_h = folded + 2.0 * folded * (stack - 1);
    double metal = 0.0;
    if (folds > 1) {
      drain_w += (folds - 2) * 3.0 * F + (folds - 1) * (stack - 1) * 1.5 * F;
      if (folds % 2 == 0) side_h = 0.0;
      gate_h *= folds;
      metal = local_cap * drain_w;
    }
    return d->cap_junction * drain_w * folded + d->cap_sidewall * (side_h + 2.0 * drain_w) +
           (2.0 * d->cap_fringe + 2.0 * d->cap_overlap) * gate_h + metal;
  }
  // tr_R_on: R_nch_on / W x stack; R_pch_on = n_to_p_eff_curr_drv_ratio x R_nch_on [parameter.cc].
  double res(double w, bool nch, int stack = 1) const {
    const double r_n = d->effective_resistance_multiplier * d->vdd / d->on_current_n;
    return stack * (nch ? r_n : n2p * r_n) / w;
  }
  // cmos_Isub_leakage [basic_circuit.cc]: state-averaged subthreshold current, stack factor 0.43.
  double sub_inv(double wn, double wp) const { return (wn * d->off_current_n + wp * d->off_current_p) / 2.0; }
  double sub_nand(double wn, double wp, int k) const {
    // Average over the 2^k states: all-on pulls down (k parallel PMOS leak), else the series NMOS
    // stack leaks with 0.43 per extra off device (UNI_LEAK_STACK_FACTOR).
    double i = k * wp * d->off_current_p;
    for (int j = 1; j <= k; ++j) {
      double c = 1.0;
      for (int m = 1; m <= j; ++m) c = c * (k - j + m) / m;
      i += wn * d->off_current_n * std::pow(0.43, j - 1) * c;
    }
    return i / std::pow(2.0, k);
  }
  double sub_nmos(double wn) const { return wn * d->off_current_n / 2.0; }
};

// horowitz [basic_circuit.cc]: input rise time `tin`, time constant `tf`, switching thresholds.
double horowitz(double tin, double tf, double vs1, double vs2, bool rise) {
  const double a = tin / tf;
  if (rise) {
    const double b = 0.5;
    return tf * std::sqrt(std::log(vs1) * std::log(vs1) + 2.0 * a * b * (1.0 - vs1)) +
           tf * (std::log(vs1) - std::log(vs2));
  }
  const double b = 0.4;
  return tf * std::sqrt(std::log(1.0 - vs1) * std::log(1.0 - vs1) + 2.0 * a * b * vs1) +
         tf * (std::log(1.0 - vs1) - std::log(1.0 - vs2));
}

// ---------------------------------------------------------------------------------------------
// A NAND (or inverter) followed by a logical-effort inverter chain driving a load [CACTI decoder.cc
// Decoder::compute_widths, compute_delays, compute_power_energy; basic_circuit.cc logical_effort;
// the same chain from a minimum inverter is CACTI's Driver].

struct Chain {
  double delay = 0.0, out_rise = 0.0, energy = 0.0, leakage = 0.0, width = 0.0;
};

Chain drive(const Prims& p, int nand_inputs, double load, double wire_res, double in_rise, double region_h) {
  std::array<double, 24> wn{}, wp{};
  double g = 1.0;
  if (nand_inputs >= 2) {
    wn[0] = nand_inputs * p.wn_min;
    wp[0] = p.n2p * p.wn_min;
    g = (nand_inputs + p.n2p) / (1.0 + p.n2p);
  } else {
    wn[0] = p.wn_min;
    wp[0] = p.wp_min;
  }
  const double fanout = std::max(1.0, g * load / p.gate(wn[0] + wp[0]));
  int stages = static_cast<int>(std::log(fanout) / std::log(kFanoutOptimal));
  stages += stages % 2;
  stages = std::max(stages, nand_inputs >= 2 ? 2 : 1);
  stages = std::min(stages, 20);
  const double f = std::pow(fanout, 1.0 / stages);
  const double unit = p.gate(1.0);
  double c_in = load / f;
  for (int i = stages; i >= 1; --i) {
    if (i < stages) c_in = p.gate(wn[i + 1] + wp[i + 1]) / f;
    wn[i] = std::min(std::max(c_in / unit / (1.0 + p.n2p), p.wn_min), p.d->max_nmos_width);
    wp[i] = p.n2p * wn[i];
  }
  // The NAND (or first inverter) stage, then the chain; the last stage drives the load and wire.
  Chain c;
  const DeviceModel& d = *p.d;
  const double vdd2 = d.vdd * d.vdd;
  const int k = std::max(nand_inputs, 1);
  double rise = in_rise;
  for (int i = 0; i <= stages; ++i) {
    const bool last = i == stages;
    const double c_load = last ? load : p.gate(wn[i + 1] + wp[i + 1]);
    double c_intr;
    double r;
    if (i == 0 && nand_inputs >= 2) {
      r = p.res(wn[0], true, k);
      c_intr = p.drain(wp[0], false, 1, true, region_h) * k + p.drain(wn[0], true, k, true, region_h);
      c.leakage += p.sub_nand(wn[0], wp[0], k) * d.vdd;
    } else {
      r = p.res(wn[i], true);
      c_intr = p.drain(wp[i], false, 1, true, region_h) + p.drain(wn[i], true, 1, true, region_h);
      c.leakage += p.sub_inv(wn[i], wp[i]) * d.vdd;
    }
    const double tf = r * (c_intr + c_load) + (last ? wire_res * c_load / 2.0 : 0.0);
    const double t = horowitz(rise, tf, 0.5, 0.5, true);
    c.delay += t;
    rise = t / (1.0 - 0.5);
    c.energy += (c_intr + c_load) * vdd2;
    // Footprint along the row: each stage's devices side by side (CACTI compute_gate_area, folded to
    // the region height: width grows with the fingers).
    const double fingers = std::ceil((wn[i] + wp[i]) / std::max(region_h - 9.0 * p.F, p.F));
    c.width += (k > 1 && i == 0 ? k : 1) * fingers * p.F + 2.0 * 3.0 * p.F;
  }
  c.out_rise = rise;
  return c;
}

// ---------------------------------------------------------------------------------------------
// CACTI's repeated wire [wire.cc].

struct WireRc {
  double res, cap;  // per metre
};
WireRc htree_wire_rc(const CactiTech& t) {
  // Wire::calculate_wire_stats: width = spacing = pitch/2 x (w_scale 1e-6 / 2) in CACTI's microns,
  // i.e. a quarter of the outside-mat pitch; height = aspect ratio x width.
  const double w = t.outside_pitch / 4.0;
  const double s = w;
  const double h = w * t.outside_aspect_ratio;
  WireRc rc;
  rc.res = kAlphaScatter * kCuResistivity / (h * w);  // Wire::wire_res (no barrier, no dishing)
  // Wire::wire_cap: one Miller-weighted sidewall, the vertical plate, the fringe.
  rc.cap = kMiller * t.outside_horizontal_k * (h / s) * kEpsilon0 +
           kMiller * kVerticalK * w / t.outside_ild * kEpsilon0 + t.fringe_cap;
  return rc;
}

}  // namespace

CactiRepeatedWire cacti_global_30(const CactiTech& t) {
  const DeviceModel& d = t.device;
  const double F = d.feature_size;
  Prims p{&d, F, 1.5 * F, d.pn_size_ratio * 1.5 * F, d.pn_size_ratio, t.local_cap};
  const WireRc rc = htree_wire_rc(t);
  CactiRepeatedWire out;
  out.res = rc.res;
  out.cap = rc.cap;
  const double cell_h_def = 50.0 * F;
  const double input_cap = p.gate(p.wn_min + p.wp_min);
  const double out_cap = p.drain(p.wp_min, false, 1, true, cell_h_def) + p.drain(p.wn_min, true, 1, true, cell_h_def);
  const double out_res = (p.res(p.wn_min, true) + p.res(p.wp_min, false)) / 2.0;
  // delay_optimal_wire
  const double size_opt = std::sqrt(out_res * rc.cap / (rc.res * input_cap));
  const double spacing_opt = std::sqrt(2.0 * out_res * (out_cap + input_cap) / (rc.res * rc.cap));
  auto model = [&](double spacing, double size, double& delay, double& dynamic, double& leak) {
    // wire_model: note the wire-resistance term charges the output cap (as CACTI writes it).
    const double switching = (size * (input_cap + out_cap) + spacing * rc.cap) * d.vdd * d.vdd;
    const double tc = out_res * (input_cap + out_cap) + out_res * rc.cap * spacing / size +
                      rc.res * spacing * out_cap * size + 0.5 * rc.res * rc.cap * spacing * spacing;
    delay = 0.693 * tc / spacing;
    const double short_ckt = d.vdd * p.wn_min * 1e6 * kShortCircuitCurrent * 1.0986 * size * tc;
    dynamic = (switching + short_ckt) / spacing;
    leak = d.vdd * p.sub_inv(p.wn_min * size, d.pn_size_ratio * p.wn_min * size) / spacing;
  };
  double opt_delay, opt_dyn, opt_leak;
  model(spacing_opt, size_opt, opt_delay, opt_dyn, opt_leak);
  out.optimal_size = size_opt;
  out.optimal_spacing = spacing_opt;
  out.optimal_delay = opt_delay;
  // init_wire + update_fullswing: spacings from the optimum in 100 um steps below 4x, sizes from the
  // optimum down by one while above 1; keep the least normalised dynamic + leakage cost among those
  // within 30 % of the optimal delay.
  const double limit = opt_delay * 1.3;
  double best = 1e300;
  out.size = size_opt;
  out.spacing = spacing_opt;
  out.delay = opt_delay;
  out.energy = opt_dyn;
  out.leakage = opt_leak;
  for (double sp = spacing_opt; sp < 4.0 * spacing_opt; sp += 100e-6) {
    for (double si = size_opt; si > 1.0; si -= 1.0) {
      double dl, dy, lk;
      model(sp, si, dl, dy, lk);
      if (dl > limit) continue;
      const double cost = dy / opt_dyn + lk / opt_leak;
      if (cost < best) {
        best = cost;
        out.size = si;
        out.spacing = sp;
        out.delay = dl;
        out.energy = dy;
        out.leakage = lk;
      }
    }
  }
  return out;
}

namespace {

// One wire of `length` of the Global_30 type [wire.cc calculate_wire_stats].
struct WireSeg {
  double delay, energy, leakage;
};
WireSeg segment(const CactiRepeatedWire& w, double length) {
  return {w.delay * length, w.energy * length, w.leakage * length};
}

// The bank H-tree [htree2.cc Htree2::in_htree / out_htree, uca_tree false]: per-bit delay and energy
// of the path to one mat, the NAND (address/data in) or tristate buffer (data out) at every node.
struct Tree {
  double delay = 0.0, energy_per_bit = 0.0, height = 0.0, width = 0.0;
};
Tree htree(const CactiTech& t, const Prims& p, const CactiRepeatedWire& wire, double mat_w, double mat_h, int add_bits,
           int in_bits, int out_bits, int ndbl, int ndwl, bool out_tree) {
  const DeviceModel& d = *p.d;
  const double pitch = t.outside_pitch;
  int h = log2_floor(ndwl / 2), v = log2_floor(ndbl / 2);
  double ht_temp, len_temp;
  const double data = in_bits + out_bits;
  if (ndwl == ndbl) {
    ht_temp = (mat_h * ndbl / 2 + add_bits * (ndbl / 2 - 1) * pitch + data * pitch * h) / 2;
    len_temp = (mat_w * ndwl / 2 + add_bits * (ndwl / 2 - 1) * pitch + data * pitch * v) / 2;
  } else if (ndwl > ndbl) {
    const double excess = log2_floor(ndwl / 2) - log2_floor(ndbl / 2);
    ht_temp = (mat_h * ndbl / 2 + add_bits * ((ndbl / 2 - 1) + excess) * pitch +
               data * pitch * (2 * (1 - std::pow(0.5, h - v)) + std::pow(0.5, v - h) * v)) /
              2;
    len_temp = (mat_w * ndwl / 2 + add_bits * (ndwl / 2 - 1) * pitch + data * pitch * v) / 2;
  } else {
    const double excess = log2_floor(ndbl / 2) - log2_floor(ndwl / 2);
    ht_temp = (mat_h * ndbl / 2 + add_bits * ((ndwl / 2 - 1) + excess) * pitch + data * pitch * h) / 2;
    len_temp = (mat_w * ndwl / 2 + add_bits * ((ndwl / 2 - 1) + excess) * pitch +
                data * pitch * (h + 2 * (1 - std::pow(0.5, v - h)))) /
               2;
  }
  Tree tree;
  tree.height = ht_temp * 2;
  tree.width = len_temp * 2;
  double len = len_temp, ht = ht_temp / 2;
  const double vdd2 = d.vdd * d.vdd;
  const double cell_h_def = 50.0 * p.F;
  const double pton = d.pn_size_ratio;
  // The gate at a node: NAND2 in the input trees (input_nand), a tristate buffer (NAND + NOR +
  // output transistors, output_buffer) in the output tree; s1 drives the link, s2 the next one.
  auto node = [&](double s1, double s2, double l_eff, double rise) {
    if (!out_tree) {
      const double nsize = std::max(1.0, s1 * (1 + pton) / (2 + pton));
      const double tc =
          2 * p.res(nsize * p.wn_min, true) *
          (p.drain(nsize * p.wn_min, true, 1, true, cell_h_def) * 2 + 2 * p.gate(s2 * (p.wn_min + p.wp_min)));
      tree.delay += horowitz(rise, tc, d.vth / d.vdd, d.vth / d.vdd, true);
      tree.energy_per_bit +=
          0.5 *
          (2 * p.drain(pton * nsize * p.wp_min, false, 1, true, cell_h_def) +
           p.drain(nsize * p.wn_min, true, 1, true, cell_h_def) + 2 * p.gate(s2 * (p.wn_min + p.wp_min))) *
          vdd2;
      return;
    }
    const double size = std::max(1.0, s1 * (1 + pton) / (2 + pton + 1 + 2 * pton));
    const double wire_cap = wire.cap * l_eff;
    const double s_eff = (p.gate(s2 * (p.wn_min + p.wp_min)) + wire_cap) / p.gate(s2 * (p.wn_min + p.wp_min));
    const double tr_size = p.gate(s1 * (p.wn_min + p.wp_min)) * 0.5 / (s_eff * p.gate(p.wp_min));
    const double res_nor = 2 * p.res(size * p.wp_min, false);
    const double res_ptrans = p.res(tr_size * p.wn_min, true);
    const double cap_nand_out = p.drain(size * p.wn_min, true, 1, true, cell_h_def) +
                                p.drain(size * p.wp_min, false, 1, true, cell_h_def) * 2 + p.gate(tr_size * p.wp_min);
    const double cap_ptrans_out = 2 * (p.drain(tr_size * p.wp_min, false, 1, true, cell_h_def) +
                                       p.drain(tr_size * p.wn_min, true, 1, true, cell_h_def)) +
                                  p.gate(s1 * (p.wn_min + p.wp_min));
    const double tc = res_nor * cap_nand_out + (res_nor + res_ptrans) * cap_ptrans_out;
    tree.delay += horowitz(rise, tc, d.vth / d.vdd, d.vth / d.vdd, true);
    const double dn = p.drain(size * p.wn_min, true, 1, true, cell_h_def);
    const double dp = p.drain(size * p.wp_min, false, 1, true, cell_h_def);
    tree.energy_per_bit += 0.5 * (2 * dp + dn + p.gate(tr_size * p.wp_min)) * vdd2;               // nand
    tree.energy_per_bit += 0.5 * (dp + dn + p.gate(size * (p.wn_min + p.wp_min))) * vdd2;         // not
    tree.energy_per_bit += 0.5 * (dp + 2 * dn + p.gate(tr_size * (p.wn_min + p.wp_min))) * vdd2;  // nor
    tree.energy_per_bit += 0.5 *
                           ((p.drain(tr_size * p.wp_min, false, 1, true, cell_h_def) +
                             p.drain(tr_size * p.wn_min, true, 1, true, cell_h_def)) *
                                2 +
                            p.gate(s1 * (p.wn_min + p.wp_min))) *
                           vdd2;  // output transistors
  };
  auto sized = [&](double link, double reach, double& s, double& l_eff) {
    if (link > wire.spacing) {
      s = wire.size;
      l_eff = wire.spacing;
    } else {
      s = (reach / wire.spacing) * wire.size;
      l_eff = link;
    }
  };
  while (v > 0 || h > 0) {
    double l1, l2 = 0.0, lt = 0.0, htt = 0.0;
    int option;
    if (h > v) {
      l1 = len;
      l2 = len / 2;
      lt = len;
      len /= 2;
      --h;
      option = 0;
    } else if (v > 0 && h > 0) {
      l1 = len;
      l2 = ht;
      lt = len;
      htt = ht;
      len /= 2;
      ht /= 2;
      --v;
      --h;
      option = 1;
    } else {
      l1 = ht;
      l2 = ht / 2;
      htt = ht;
      ht /= 2;
      --v;
      option = 2;
    }
    const WireSeg w1 = segment(wire, l1);
    tree.delay += w1.delay;
    tree.energy_per_bit += w1.energy;
    // CACTI sizes the node gates from len_temp / ht_temp as the loop left them (option 2 keeps the
    // previous horizontal len_temp).
    if (option != 2) len_temp = lt;
    if (option != 0) ht_temp = htt;
    double s1, s2, l_eff;
    sized(len_temp, len_temp, s1, l_eff);
    if (ht_temp > wire.spacing)
      s2 = wire.size;
    else
      s2 = (len_temp / wire.spacing) * wire.size;
    // The node's input edge is CACTI's Wire(l_eff).out_rise_time = delay(l_eff) x repeater spacing / Vth,
    // a product of seconds and metres, so practically a step [wire.cc calculate_wire_stats].
    node(s1, s2, l_eff, wire.delay * l_eff * wire.spacing / d.vth);
    if (option != 1) continue;
    const WireSeg w2 = segment(wire, l2);
    tree.delay += w2.delay;
    tree.energy_per_bit += w2.energy;
    double s3;
    if (ht_temp > wire.spacing) {
      s3 = wire.size;
      l_eff = wire.spacing;
    } else {
      s3 = (len_temp / wire.spacing) * wire.size;
      l_eff = ht_temp;
    }
    node(s2, s3, l_eff, wire.delay * l_eff * wire.spacing / d.vth);
  }
  return tree;
}

}  // namespace

CactiTech make_cacti_tech(const Technology& technology, std::string_view flavour, const DeviceModel& device,
                          const ArrayCell& cell) {
  CactiTech t;
  t.device = device;
  const Device& dev = technology.device(flavour);
  t.electrical_gate_length = dev.electrical_gate_length.value_or(dev.gate_length);
  t.gm_p_to_gm_n = dev.gm_p_to_gm_n.value_or(1.0);
  const Wire& local = technology.wire("local_conservative");
  const Wire& semi = technology.wire("semi_conservative");
  t.local_res = wire_resistance_per_length(local, device.temperature);
  t.local_cap = wire_capacitance_per_length(local);
  t.local_pitch = local.pitch;
  t.inside_res = wire_resistance_per_length(semi, device.temperature);
  t.inside_cap = wire_capacitance_per_length(semi);
  t.inside_pitch = semi.pitch;
  t.outside_pitch = semi.pitch;
  t.outside_aspect_ratio = semi.thickness / semi.width;
  t.outside_ild = semi.ild_thickness;
  t.outside_horizontal_k = semi.dielectric_constant;
  t.cell = cell;
  t.global_30 = cacti_global_30(t);
  return t;
}

bool cacti_array(const CactiArraySpec& spec, const CactiTech& t, double nspd, int ndwl, int ndbl, int ndcm, int ndsam1,
                 int ndsam2, CactiArray& a) {
  const DeviceModel& d = t.device;
  const double F = d.feature_size;
  const Prims p{&d, F, 1.5 * F, d.pn_size_ratio * 1.5 * F, d.pn_size_ratio, t.local_cap};
  const double vdd2 = d.vdd * d.vdd;
  const bool tag = spec.tag;
  // Sequential access reads one way after the tag: the data array is a one-way array [CACTI
  // parameter.cc InputParameter: data_assoc = 1 when is_seq_access].
  const int data_assoc = (spec.cache && spec.mode == CacheAccessMode::sequential) ? 1 : spec.associativity;
  const int tag_assoc = spec.associativity;
  const bool fast = spec.cache && spec.mode == CacheAccessMode::fast;
  const double C = spec.capacity_bytes;
  const int B = spec.line_bytes;

  // DynamicParameter [parameter.cc].
  int tagbits = 0, rows, cols;
  if (tag) {
    tagbits = kAddressBits + kExtraTagBits - log2_floor(static_cast<std::int64_t>(C)) + log2_floor(tag_assoc * 2 - 1);
    tagbits = ((tagbits + 3) >> 2) << 2;
    rows = static_cast<int>(C / (B * tag_assoc * ndbl * nspd) + 1e-9);
    cols = static_cast<int>(tagbits * tag_assoc * nspd / ndwl + 1e-9);
  } else {
    rows = static_cast<int>(C / (B * data_assoc * ndbl * nspd) + 1e-9);
    cols = static_cast<int>(8.0 * B * data_assoc * nspd / ndwl + 1e-9);
  }
  if (rows < kMinRows || rows > kMaxRows || cols < kMinCols || cols > kMaxCols) return false;
  const int subarrays = ndwl * ndbl;
  const int mats_h = std::max(ndwl / 2, 1), mats_v = std::max(ndbl / 2, 1);
  const int mats = mats_h * mats_v;
  const int per_mat = subarrays / mats;
  const int per_row = ndwl / mats_h;
  int do_b_mat = std::max(per_mat * cols / (ndcm * ndsam1 * ndsam2), 1);
  if (do_b_mat < per_mat) return false;
  int do_b_subbank, sa_mux_non_assoc;
  if (!tag) {
    if (fast) {
      do_b_subbank = spec.output_bits * data_assoc;
      sa_mux_non_assoc = ndsam1;
    } else {
      do_b_subbank = spec.output_bits;
      sa_mux_non_assoc = ndsam1 / data_assoc;
      if (sa_mux_non_assoc < 1) return false;
    }
  } else {
    do_b_subbank = tagbits * tag_assoc;
    if (do_b_mat < tagbits) return false;
    sa_mux_non_assoc = ndsam1;
  }
  const int act = do_b_subbank / do_b_mat;
  if (act == 0 || act > mats_h) return false;
  if (tag) do_b_mat = tag_assoc / act;
  const int addr_row = log2_floor(rows);
  const int subbanks = mats / act;
  const int addr_mat = addr_row + log2_floor(ndcm) + log2_floor(sa_mux_non_assoc) + log2_floor(ndsam2);
  const int way_select = (!tag && data_assoc > 1 && !fast) ? data_assoc : 0;
  const int di_bank = tag ? tagbits : spec.output_bits + data_assoc;
  int do_bank = tag ? data_assoc : spec.output_bits;
  if (fast && !tag) do_bank *= data_assoc;

  a.ndwl = ndwl;
  a.ndbl = ndbl;
  a.ndcm = ndcm;
  a.ndsam1 = ndsam1;
  a.ndsam2 = ndsam2;
  a.nspd = nspd;
  a.rows = rows;
  a.columns = cols;
  a.mats_horizontal = mats_h;
  a.mats_vertical = mats_v;
  a.active_mats = act;
  a.subarrays_per_mat = per_mat;

  // Subarray [subarray.cc]: cell pitch, wordline stitching every 16 cells (7.5F), line RC.
  const ArrayCell& cell = t.cell;
  const double cell_w = cell.width_f * F, cell_h = cell.height_f * F;
  const double w_a = cell.access_width_f * F, w_cn = cell.sram_nmos_width_f * F, w_cp = cell.sram_pmos_width_f * F;
  const double sub_h = cell_h * rows;
  const double sub_w = cell_w * cols + std::ceil(static_cast<double>(cols) / kStitchingCells) * 7.5 * F;
  const double C_wl = (p.gate(w_a) * 2 + cell_w * t.local_cap) * cols;
  const double R_wl = cols * cell_w * t.local_res;
  const double C_bl = rows * (p.drain(w_a, true, 1, false, cell_w) / 2.0 + cell_h * t.local_cap);
  const double R_bl = rows * cell_h * t.local_res;
  a.subarray_height = sub_h;
  a.subarray_width = sub_w;

  // Device sizes [technology.cc].
  const double w_iso = 12.5 * F, w_sense_n = 3.75 * F, w_sense_p = 7.5 * F, w_sense_en = 5.0 * F;
  const double w_b_mux = 6.0 * p.wn_min, w_sa_mux = 6.0 * p.wn_min;
  const double w_pre = 6.0 * p.n2p * p.wn_min, w_eq = p.n2p * p.wn_min;
  const double region_dec = 4.0 * cell_h;  // h_dec = 4 cells for SRAM

  const CactiRepeatedWire& wire = t.global_30;

  // Row decoder [mat.cc Mat::Mat: Decoder(rows, C_wl, R_wl)]; predecoders [PredecBlk]: each block
  // drives the row-decoder NAND inputs it fans out to plus the predecode wire across the mat.
  const int blk1 = (addr_row + 1) / 2, blk2 = addr_row / 2;
  const double c_nand_in = p.gate(2 * p.wn_min + p.n2p * p.wn_min);
  const double c_wire_predec = per_row * rows * t.inside_cap * cell_h;
  const double r_wire_predec = per_row * rows * t.inside_res * cell_h;
  auto predecode = [&](int bits, int other_bits) {
    if (bits <= 0) return Chain{};
    const double load = (1 << other_bits) * c_nand_in * per_mat + c_wire_predec;
    const int k = std::min(bits, 3);
    Chain c = drive(p, k >= 2 ? k : 1, load, r_wire_predec, 0.0, 50.0 * F);
    c.energy *= 1.0;           // one output of the block switches
    c.leakage *= (1 << bits);  // every output gate leaks
    return c;
  };
  const Chain pre1 = predecode(blk1, blk2), pre2 = predecode(blk2, blk1);
  const Chain& pre_slow = pre1.delay >= pre2.delay ? pre1 : pre2;
  const Chain row_dec = rows >= 16 ? drive(p, 2, C_wl, R_wl, pre_slow.out_rise, region_dec)
                                   : drive(p, 1, C_wl, R_wl, pre_slow.out_rise, region_dec);
  a.predecoder = std::max(pre1.delay, pre2.delay);
  a.row_decoder = row_dec.delay;

  // Sense-amp mux level 1 decoder (the column path of a normal-access cache) [mat.cc].
  const double r_wire_mux = per_row * cols * t.inside_res * cell_w / (per_row >= 2 ? 2.0 : 1.0);
  const double sa_count = static_cast<double>(cols) / ndcm;
  auto mux_decoder = [&](int degree, double gates, bool way) {
    if (degree <= 1 && !way) return Chain{};
    const double load = gates * p.gate(w_sa_mux) + per_row * cols * t.inside_cap * cell_w;
    return drive(p, 2, load, r_wire_mux, 0.0, region_dec);
  };
  const Chain bl_mux_dec =
      ndcm > 1 ? drive(p, 2, 2.0 * per_mat * cols / ndcm * p.gate(w_b_mux) + per_row * cols * t.inside_cap * cell_w,
                       r_wire_mux, 0.0, region_dec)
               : Chain{};
  const Chain sa1_dec = mux_decoder(sa_mux_non_assoc, per_mat * sa_count / ndsam1, way_select > 0);
  const Chain sa2_dec = mux_decoder(ndsam2, per_mat * sa_count / (ndsam1 * ndsam2), false);

  // Bitline [mat.cc compute_bitline_delay, SRAM].
  const double v_sense = std::max(0.05 * d.vdd, kVbitSenseMin);
  const double R_pd = p.res(w_cn, true), R_acc = p.res(w_a, true);
  const double sa_fold = cell_w * ndcm;
  const double C_bm = p.drain(w_b_mux, true, 1, false, cell_w / 2.0);
  const double R_bm = p.res(w_b_mux, true);
  const double C_iso = p.drain(w_iso, false, 1, false, sa_fold);
  const double R_iso = p.res(w_iso, false);
  const double C_latch = p.gate(w_sense_p + w_sense_n) + p.drain(w_sense_n, true, 1, false, sa_fold) +
                         p.drain(w_sense_p, false, 1, false, sa_fold);
  const double C_samux = p.drain(w_sa_mux, true, 1, false, sa_fold);
  double tau, e_col;
  if (ndcm > 1) {
    tau = (R_pd + R_acc) * (C_bl + 2 * C_bm + 2 * C_iso + C_latch + C_samux) +
          R_bl * (C_bl / 2 + 2 * C_bm + 2 * C_iso + C_latch + C_samux) + R_bm * (C_bm + 2 * C_iso + C_latch + C_samux) +
          R_iso * (C_iso + C_latch + C_samux);
    e_col = (C_bl + 2 * C_bm) * 2 * v_sense * d.vdd + (2 * C_iso + C_latch + C_samux) * 2 * v_sense * d.vdd / ndcm;
  } else {
    tau = (R_pd + R_acc) * (C_bl + C_iso + C_latch + C_samux) + R_bl * C_bl / 2 + R_iso * (C_iso + C_latch + C_samux);
    e_col = (C_bl + 2 * C_iso + C_latch + C_samux) * 2 * v_sense * d.vdd;
  }
  const double tstep = tau * std::log(d.vdd / (d.vdd - v_sense));
  const double m = d.vdd / row_dec.out_rise;
  a.bitline = tstep <= 0.5 * (d.vdd - d.vth) / m ? std::sqrt(2 * tstep * (d.vdd - d.vth) / m)
                                                 : tstep + (d.vdd - d.vth) / (2 * m);

  // Sense amp [mat.cc compute_sa_delay]: g_m of the latch = (mu_n / 2) C_ox (W_n / L_elec) V_dsat,
  // plus the PMOS share [technology.cc gm_sense_amp_latch].
  const double gmn = d.mobility_n / 2.0 * d.cap_ox * (w_sense_n / t.electrical_gate_length) * d.vdsat_n;
  const double gm = gmn * (1.0 + t.gm_p_to_gm_n);
  const double C_sa = C_latch + C_iso + C_samux;
  a.senseamp = C_sa / gm * std::log(d.vdd / v_sense);
  const double e_sa = C_sa * vdd2;

  // Subarray output driver and its wire across the subarray [mat.cc compute_subarray_out_drv].
  double rise = 0.0, t_out = 0.0, e_out = 0.0, l_out = 0.0;
  const double cell_h_def = 50.0 * F;
  // The output wire runs along the subarray's width: the reference runs print "Subarray Driver
  // direction: 1" (cl_vertical), so Mat::Mat builds Wire(subarray.area.w) [mat.cc].
  const double sub_wire_len = sub_w;
  const WireSeg sub_wire = segment(wire, sub_wire_len);
  {
    double c_ld = ndsam1 * p.drain(w_sa_mux, true, 1, false, sa_fold) + p.gate(p.wn_min + p.wp_min);
    double tt = horowitz(rise, p.res(w_sa_mux, true) * c_ld, 0.5, 0.5, true);
    t_out += tt;
    rise = tt / 0.5;
    e_out += c_ld * 0.5 * vdd2;
    c_ld = p.drain(p.wn_min, true, 1, true, cell_h_def) + p.drain(p.wp_min, false, 1, true, cell_h_def) +
           p.gate(p.wn_min + p.wp_min);
    tt = horowitz(rise, p.res(p.wn_min, true) * c_ld, 0.5, 0.5, true);
    t_out += tt;
    rise = tt / 0.5;
    e_out += c_ld * 0.5 * vdd2;
    l_out += p.sub_inv(p.wn_min, p.wp_min) * d.vdd;
    c_ld = p.drain(p.wn_min, true, 1, true, cell_h_def) + p.drain(p.wp_min, false, 1, true, cell_h_def) +
           p.drain(w_sa_mux, true, 1, false, sa_fold * ndsam1);
    tt = horowitz(rise, p.res(p.wn_min, true) * c_ld, 0.5, 0.5, true);
    t_out += tt;
    rise = tt / 0.5;
    e_out += c_ld * 0.5 * vdd2;
    l_out += p.sub_inv(p.wn_min, p.wp_min) * d.vdd;
    c_ld = ndsam2 * p.drain(w_sa_mux, true, 1, false, sa_fold * ndsam1) +
           p.gate(wire.size * (sub_wire_len / wire.spacing) * p.wn_min * (1 + d.pn_size_ratio));
    tt = horowitz(rise, p.res(w_sa_mux, true) * c_ld, 0.5, 0.5, true);
    t_out += tt;
    e_out += c_ld * 0.5 * vdd2;
  }
  a.subarray_output = t_out + sub_wire.delay;

  // Tag comparator [mat.cc compute_comparator_delay]: the first three inverters of each quarter
  // comparator (the evaluation stage is not ported; it adds a few ps).
  double comp_energy = 0.0, comp_leak = 0.0;
  if (tag) {
    const double n1 = 7.5 * F, p1 = 12.5 * F, n2 = 15 * F, p2 = 25 * F, n3 = 30 * F, p3 = 50 * F;
    const int A = tag_assoc;
    double ceq = p.gate(n2 + p2) + p.drain(p1, false, 1, true, cell_h_def) + p.drain(n1, true, 1, true, cell_h_def);
    double s1 = horowitz(0.0, p.res(p1, false) * ceq, kCompInverterSwitch, kCompInverterSwitch, false);
    comp_energy += 0.5 * ceq * vdd2 * 4 * A;
    ceq = p.gate(n3 + p3) + p.drain(p2, false, 1, true, cell_h_def) + p.drain(n2, true, 1, true, cell_h_def);
    const double s2 =
        horowitz(s1 / kCompInverterSwitch, p.res(n2, true) * ceq, kCompInverterSwitch, kCompInverterSwitch, true);
    comp_energy += 0.5 * ceq * vdd2 * 4 * A;
    a.comparator = s1 + s2;
    comp_leak = (p.sub_inv(n1, p1) + p.sub_inv(n2, p2) + p.sub_inv(n3, p3)) * 4 * A * d.vdd;
  }

  // Precharge and equalisation driver [mat.cc: Driver(cols x gate(2 W_pre + W_eq), wire outside mat)].
  const double pre_load = cols * p.gate(2 * w_pre + w_eq) + cols * cell_w * t.inside_cap;
  const Chain pre_drv = drive(p, 1, pre_load, cols * cell_w * t.inside_res, 0.0, cell_h_def);

  // Mat area [mat.cc Mat::Mat]: subarrays plus the bitline periphery below them (precharge, column
  // mux, sense amp, output mux, output drivers) and the row decoders beside them.
  auto fold_w = [&](double w, double pitch) {
    const double fingers = std::ceil(w / std::max(pitch, 1e-12));
    return fingers > 1 ? pitch : w;  // compute_tr_width_after_folding: height of the folded device
  };
  double h_periph = fold_w(w_pre, cell_w / 2) + fold_w(w_eq, cell_w);
  if (ndcm > 1) h_periph += fold_w(w_b_mux, cell_w / 2);
  // height_sense_amplifier [mat.cc]: the latch, isolation and enable devices stacked across the pitch.
  const double sa_pitch = cell_w * ndcm;
  h_periph += 2 * fold_w(w_sense_p, sa_pitch) + fold_w(w_iso, sa_pitch) + 2 * fold_w(w_sense_n, sa_pitch) +
              fold_w(w_sense_en, sa_pitch) + 2 * 1.5 * F + 2 * 1.5 * F + 2 * F;
  if (ndsam1 > 1) h_periph += fold_w(w_sa_mux, cell_w * ndsam1);
  if (ndsam2 > 1)
    h_periph += fold_w(w_sa_mux, cell_w * ndcm * ndsam1) + 2 * fold_w(p.wp_min, cell_w * ndsam2) +
                2 * fold_w(p.wn_min, cell_w * ndsam2);
  // Output drivers: the repeaters of the subarray-output wire, one per output bit of the subarray.
  const double rep_area = (sub_wire_len / wire.spacing) * (wire.size * (p.wn_min + p.wp_min) + 6 * F) * 20 * F;
  const double h_out_drv = rep_area * (static_cast<double>(cols) / (ndcm * ndsam1 * ndsam2)) / sub_w;
  const double h_wires = (addr_mat + way_select + static_cast<double>(2 * do_b_mat) / per_row) * t.inside_pitch +
                         (ndcm > 1 ? ndcm * t.inside_pitch : 0.0) + (ndsam1 > 1 ? ndsam1 * t.inside_pitch : 0.0) +
                         (ndsam2 > 1 ? ndsam2 * t.inside_pitch : 0.0);
  double h_comp = 0.0;
  if (tag) h_comp = 0.0;  // compute_comparators_height not ported (small beside the periphery)
  const double h_non_cell = (h_periph + h_out_drv + h_comp) * (per_mat / per_row) + h_wires;
  const double w_row_dec = row_dec.width;
  const double w_predec_wires = ((1 << blk2) + (1 << blk1)) * t.inside_pitch;
  const double w_non_cell = std::max(w_predec_wires, per_row * w_row_dec);
  a.mat_height = (per_mat / per_row) * sub_h + h_non_cell;
  a.mat_width = per_row * sub_w + w_non_cell;

  // Mat energy per access [mat.cc compute_power_energy] and leakage.
  const double e_bitline = e_col * per_mat * cols;
  const double e_sa_all = e_sa * sa_count * per_mat;
  const double e_outdrv = (e_out + sub_wire.energy) * do_b_mat;
  const double e_rowdec = row_dec.energy * per_mat;
  const double e_pre = pre_drv.energy * per_mat;
  a.mat_energy = pre1.energy + pre2.energy + e_rowdec + e_pre + e_sa_all + e_bitline + e_outdrv + bl_mux_dec.energy +
                 sa1_dec.energy + sa2_dec.energy + comp_energy;
  // Leakage: cells (two inverters, state-averaged, and the access port half the time), precharge
  // driver, sense amps (enable device idle), output drivers, comparators, decoders.
  const double cell_leak = (p.sub_inv(w_cn, w_cp) * 2 + p.sub_nmos(w_a)) * d.vdd;
  a.cell_leakage = cell_leak * rows * cols * per_mat * mats;
  const int out_drivers = static_cast<int>(sa_count / (ndsam1 * ndsam2));
  double mat_leak = cell_leak * rows * cols * per_mat + pre_drv.leakage * per_mat +
                    w_sense_en * d.off_current_n * d.vdd * sa_count * per_mat +
                    (l_out + sub_wire.leakage) * out_drivers * per_mat + comp_leak * do_b_mat;
  mat_leak += pre1.leakage + pre2.leakage + row_dec.leakage * rows * per_mat + bl_mux_dec.leakage * ndcm +
              sa1_dec.leakage * ndsam1 + sa2_dec.leakage * ndsam2;

  // Bank [bank.cc, htree2.cc]: address and data-in trees, data-out tree over the mat grid.
  const int addr_bits = addr_mat + log2_floor(subbanks);
  const Tree in =
      htree(t, p, wire, a.mat_width, a.mat_height, addr_bits, di_bank, do_bank, mats_v * 2, mats_h * 2, false);
  const Tree out =
      htree(t, p, wire, a.mat_width, a.mat_height, addr_bits, di_bank, do_bank, mats_v * 2, mats_h * 2, true);
  a.height = in.height;
  a.width = in.width;
  a.htree_in = in.delay;
  a.htree_out = out.delay;
  a.htree_energy = in.energy_per_bit * addr_bits + out.energy_per_bit * do_bank;
  a.read_energy = a.mat_energy * act + a.htree_energy;
  a.write_energy = a.read_energy - e_bitline * act + in.energy_per_bit * di_bank - out.energy_per_bit * do_bank;
  a.leakage = mat_leak * mats;  // the bank's H-tree leakage is not added [bank.cc compute_power_energy]

  // Access time [uca.cc UCA::compute_delays].
  const double row_path = a.htree_in + a.predecoder + a.row_decoder + a.bitline + a.senseamp;
  a.column_decoder_path = a.htree_in + std::max(sa1_dec.delay, sa2_dec.delay);
  a.before_output = std::max(row_path, a.htree_in + bl_mux_dec.delay + a.senseamp);
  a.before_output = std::max(a.before_output, a.column_decoder_path);
  a.access = a.before_output + a.subarray_output + a.htree_out;
  return true;
}

std::vector<CactiArray> cacti_arrays(const CactiArraySpec& spec, const CactiTech& tech) {
  std::vector<CactiArray> out;
  const double nspd_min =
      spec.tag ? 1.0 : std::max(1.0 / 1024.0, static_cast<double>(spec.output_bits) / (8.0 * spec.line_bytes));
  for (double nspd = nspd_min; nspd <= kMaxDataSpd; nspd *= 2)
    for (int ndwl = 1; ndwl <= kMaxDataN; ndwl *= 2)
      for (int ndbl = 1; ndbl <= kMaxDataN; ndbl *= 2)
        for (int ndcm = 1; ndcm <= kMaxColMux; ndcm *= 2)
          for (int s1 = 1; s1 <= kMaxColMux; s1 *= 2)
            for (int s2 = 1; s2 <= kMaxColMux; s2 *= 2) {
              CactiArray a;
              if (cacti_array(spec, tech, nspd, ndwl, ndbl, ndcm, s1, s2, a)) out.push_back(a);
            }
  return out;
}

}  // namespace deepnvm
