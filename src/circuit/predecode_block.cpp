// SPDX-License-Identifier: MIT
#include "deepnvm/circuit/predecode_block.h"

#include <algorithm>

namespace deepnvm::circuit {
namespace {

// NVSim stops the run above 27 bits; here the design is simply invalid.
constexpr int kMaxPredecodeBits = 27;

RowDecoder nand_stage(const DeviceModel& d, int rows, double load_cap, double load_resistance, bool three_inputs) {
  RowDecoderSpec s;
  s.rows = rows;
  s.load_cap = load_cap;
  s.load_resistance = load_resistance;
  s.way_select = three_inputs;  // NVSim reuses the way-select flag to ask for a NAND3
  s.style = BufferStyle::latency;
  s.min_driver_current = 0.0;
  return size_row_decoder(d, s);
}

BasicDecoder basic(const DeviceModel& d, int bits, double load_cap, double load_resistance = 0.0) {
  return size_basic_decoder(d, BasicDecoderSpec{bits, load_cap, load_resistance});
}

}  // namespace

PredecodeBlock size_predecode_block(const DeviceModel& d, const PredecodeBlockSpec& spec) {
  PredecodeBlock out;
  const int n = spec.address_bits;
  out.address_bits = n;
  if (n < 0 || n > kMaxPredecodeBits) {
    out.valid = false;
    out.invalid_reason = "predecode block of more than 27 address bits";
    out.figures.height = out.figures.width = kInfinite;
    out.figures.read_energy = out.figures.write_energy = out.figures.leakage = kInfinite;
    return out;
  }
  out.valid = true;
  if (n == 0) return out;  // no block: zero area, latency, energy and leakage

  // Split the bits into 1->2, 2->4 and 3->8 decoders.
  int dec12 = 0, dec24 = 0, dec38 = 0;
  if (n == 1) {
    dec12 = 1;
  } else {
    if (n % 3 == 2) dec24 = 1;
    if (n % 3 == 1) dec24 = 2;
    dec38 = (n - 2 * dec24) / 3;
  }
  const int count = dec12 + dec24 + dec38;
  out.basic_decoders = count;
  const int outputs = 1 << n;

  int nand_a = 0, nand_b = 0, nand_c = 0;  // inputs of the stage-1 NANDs
  if (count >= 2 && count <= 3) {
    nand_a = count;
    out.stage1a = nand_stage(d, outputs, spec.load_cap, spec.load_resistance, nand_a == 3);
    out.has_stage1a = true;
  } else if (count >= 4 && count <= 6) {
    out.stage2 = nand_stage(d, outputs, spec.load_cap, spec.load_resistance, false);
    out.has_stage2 = true;
    const double cin2 = out.stage2.nand_input_cap;
    nand_b = count / 2;
    nand_a = count - nand_b;
    const int rows_a = 1 << (3 * nand_a - dec24);
    const int rows_b = 1 << (3 * nand_b);
    out.stage1a = nand_stage(d, rows_a, rows_b * cin2, 0.0, nand_a == 3);
    out.stage1b = nand_stage(d, rows_b, rows_a * cin2, 0.0, nand_b == 3);
    out.has_stage1a = out.has_stage1b = true;
  } else if (count >= 7) {
    out.stage2 = nand_stage(d, outputs, spec.load_cap, spec.load_resistance, true);
    out.has_stage2 = true;
    const double cin2 = out.stage2.nand_input_cap;
    nand_a = 3;
    nand_b = count >= 8 ? 3 : 2;
    nand_c = count >= 9 ? 3 : 2;
    const int rows_b = nand_b == 3 ? 512 : 64;
    const int rows_c = nand_c == 3 ? 512 : 64;
    // Quirk Q19: NVSim shifts an uninitialised row count here; we start it from 1 (the intent).
    // Unreachable for memories (it needs >= 19 bits in one block).
    const int rows_a = 1 << (3 * nand_a - dec24);
    out.stage1a = nand_stage(d, rows_a, static_cast<double>(rows_b) * rows_c * cin2, 0.0, true);
    out.stage1b = nand_stage(d, rows_b, static_cast<double>(rows_a) * rows_c * cin2, 0.0, nand_b == 3);
    out.stage1c = nand_stage(d, rows_c, static_cast<double>(rows_a) * rows_b * cin2, 0.0, nand_c == 3);
    out.has_stage1a = out.has_stage1b = out.has_stage1c = true;
  }

  // Basic decoders: each output fans out to every combination of the other decoders' outputs.
  if (out.has_stage1c) {
    out.c = basic(d, 3, (nand_c == 2 ? 8 : 64) * out.stage1c.nand_input_cap);
    out.count_c = nand_c;
  }
  if (out.has_stage1b) {
    out.b = basic(d, 3, (nand_b == 2 ? 8 : 64) * out.stage1b.nand_input_cap);
    out.count_b = nand_b;
  }
  if (out.has_stage1a) {
    const double cin1 = out.stage1a.nand_input_cap;
    if (dec24 == 0) {
      out.count_a1 = nand_a;
      out.a1 = basic(d, 3, (1 << (3 * (nand_a - 1))) * cin1);
    } else if (dec24 == 1) {
      out.count_a1 = 1;
      out.count_a2 = nand_a - 1;
      out.a1 = basic(d, 2, (1 << (3 * out.count_a2)) * cin1);
      out.a2 = basic(d, 3, (1 << (2 + 3 * (out.count_a2 - 1))) * cin1);
    } else if (nand_a == 2) {  // two 2->4
      out.count_a1 = 2;
      out.a1 = basic(d, 2, 4 * cin1);
    } else {  // two 2->4 and one 3->8
      out.count_a1 = 2;
      out.count_a2 = 1;
      out.a1 = basic(d, 2, 32 * cin1);
      out.a2 = basic(d, 3, 16 * cin1);
    }
  } else {
    // A single basic decoder drives the block's load itself.
    out.count_a1 = 1;
    out.a1 = basic(d, n, spec.load_cap, spec.load_resistance);
  }

  // Area: the basic decoders stacked, beside the stage-1 arrays (stacked) and the stage-2 array.
  BlockFigures& fig = out.figures;
  double h = 0.0, w = 0.0;
  auto stack_basic = [&](const BasicDecoder& dec, int copies) {
    if (copies == 0) return;
    w = std::max(w, dec.figures.width);
    h += copies * dec.figures.height;
  };
  stack_basic(out.a1, out.count_a1);
  stack_basic(out.a2, out.count_a2);
  stack_basic(out.b, out.count_b);
  stack_basic(out.c, out.count_c);
  fig.width = w;
  fig.height = h;
  h = w = 0.0;
  if (out.has_stage1a) {
    for (const RowDecoder* s : {&out.stage1a, &out.stage1b, &out.stage1c}) {
      if (s == &out.stage1b && !out.has_stage1b) continue;
      if (s == &out.stage1c && !out.has_stage1c) continue;
      w = std::max(w, s->figures.width);
      h += s->figures.height;
    }
    if (out.has_stage2) {
      w += out.stage2.figures.width;
      h = std::max(h, out.stage2.figures.height);
    }
  }
  fig.width += w;
  fig.height = std::max(fig.height, h);

  // Energy and leakage: one copy of each basic decoder and every stage-1 array. Quirk Q19: NVSim
  // never evaluates the stage-2 array's power, so it adds nothing.
  auto add_power = [&](const BlockFigures& f) {
    fig.leakage += f.leakage;
    fig.read_energy += f.read_energy;
  };
  add_power(out.a1.figures);
  if (out.count_a2 > 0) add_power(out.a2.figures);
  if (out.count_b > 0) add_power(out.b.figures);
  if (out.count_c > 0) add_power(out.c.figures);
  if (out.has_stage1a) add_power(out.stage1a.figures);
  if (out.has_stage1b) add_power(out.stage1b.figures);
  if (out.has_stage1c) add_power(out.stage1c.figures);
  fig.write_energy = fig.read_energy;
  return out;
}

Delay predecode_block_delay(const DeviceModel& d, const PredecodeBlock& block, double ramp_in) {
  if (!block.valid) return Delay{kInfinite, kStepRamp};
  if (block.address_bits == 0) return Delay{0.0, ramp_in};  // a missing block passes its input slope on

  Delay worst{0.0, 0.0};
  auto merge = [&worst](double latency, double ramp) {
    worst.latency = std::max(worst.latency, latency);
    worst.ramp_out = std::max(worst.ramp_out, ramp);
  };
  // Runs a basic decoder's output through stage 1 (if any) and stage 2 (if any).
  auto through_stages = [&](const RowDecoder* stage1, double latency, double ramp) {
    Delay path{latency, ramp};
    if (stage1 != nullptr) {
      const Delay s1 = row_decoder_delay(d, *stage1, path.ramp_out);
      path.latency += s1.latency;
      path.ramp_out = s1.ramp_out;
      if (block.has_stage2) {
        const Delay s2 = row_decoder_delay(d, block.stage2, path.ramp_out);
        path.latency += s2.latency;
        path.ramp_out = s2.ramp_out;
      }
    }
    return path;
  };

  const RowDecoder* stage1a = block.has_stage1a ? &block.stage1a : nullptr;
  const Delay a1 = basic_decoder_delay(d, block.a1, ramp_in);
  const Delay path_a1 = through_stages(stage1a, a1.latency, a1.ramp_out);
  merge(path_a1.latency, path_a1.ramp_out);
  if (block.count_a2 > 0) {
    // Quirk Q19: the A2 path starts from A1's basic-decoder delay, with A2's output slope.
    const Delay a2 = basic_decoder_delay(d, block.a2, ramp_in);
    const Delay path_a2 = through_stages(stage1a, a1.latency, a2.ramp_out);
    merge(path_a2.latency, path_a2.ramp_out);
  }
  if (block.count_b > 0) {
    const Delay b = basic_decoder_delay(d, block.b, ramp_in);
    const Delay path_b = through_stages(&block.stage1b, b.latency, b.ramp_out);
    merge(path_b.latency, path_b.ramp_out);
  }
  if (block.count_c > 0) {
    const Delay c = basic_decoder_delay(d, block.c, ramp_in);
    const Delay path_c = through_stages(&block.stage1c, c.latency, c.ramp_out);
    merge(path_c.latency, path_c.ramp_out);
  }
  return worst;
}

}  // namespace deepnvm::circuit
