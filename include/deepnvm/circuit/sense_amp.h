// SPDX-License-Identifier: MIT
#pragma once

// NVSim's latch-type voltage sense amplifier, optionally behind a current-to-voltage converter for
// current sensing (SenseAmp.cpp, commit 6334d00; shared/docs/notes/array-model.md §2.7).

#include <string_view>

#include "deepnvm/circuit/device.h"
#include "deepnvm/circuit/figures.h"

namespace deepnvm::circuit {

// Sense-amp device widths in units of F [NVSim constant.h W_SENSE_*; note §2.7].
inline constexpr double kSenseAmpPmosWidthF = 7.5;        // W_SENSE_P
inline constexpr double kSenseAmpNmosWidthF = 3.75;       // W_SENSE_N
inline constexpr double kSenseAmpIsolationWidthF = 12.5;  // W_SENSE_ISO
inline constexpr double kSenseAmpEnableWidthF = 5.0;      // W_SENSE_EN
inline constexpr double kSenseAmpMuxWidthF = 9.0;         // W_SENSE_MUX
/// Extra area of one current-sensing I-V converter, in F^2 [NVSim constant.h IV_CONVERTER_AREA].
inline constexpr double kIvConverterAreaF2 = 50000.0;

/// @brief A row of identical sense amps.
struct SenseAmpSpec {
  long long amps = 1;           // number of sense amps (NVSim numColumn = N_col / m_SA)
  bool current_sense = false;   // current-mode sensing: adds the I-V converter constants
  double sense_voltage = 0.08;  // V, the cell's MinSenseVoltage
  double pitch =
      0.0;  // m, width available to one amp (m_SA w_cell); invalid if <= 2F (NVSim) or <= 3F (see size_sense_amp)
};

/// @brief The sized sense-amp row. `figures`: height of the row, width = amps x pitch, read latency of
/// one amp, read energy and leakage of all amps; write latency and energy are 0 (NVSim).
struct SenseAmp {
  bool valid = true;
  std::string_view invalid_reason;
  BlockFigures figures;
  double input_cap = 0.0;  // F, C_SA: load one amp presents to the bitline (or the mux in front)
};

/// @brief Sizes a sense-amp row and evaluates it [NVSim SenseAmp.cpp; note §2.7]. Input cap
/// C_SA = C_g(7.5F + 3.75F) + drains of the 3.75F N, 7.5F P, 12.5F isolation P and 9F mux N in a region
/// of height `pitch`; latency C_SA/(g_m,n + g_m,p) ln(Vdd/V_s); energy C_SA Vdd^2 per amp; leakage
/// I_off,n 5F Vdd^2 per amp (the extra Vdd is quirk Q12); current sensing adds the per-node I-V
/// converter constants (uncalibrated below 31 nm: quirk Q28) and 50 000 F^2 per amp. Pitch <= 2F gives
/// `valid == false` with kInfinite figures, as in NVSim; so does pitch <= 3F, where NVSim's folding
/// would need fingers of zero or negative width (NVSim computes nonsense caps there, our device model
/// throws).
SenseAmp size_sense_amp(const DeviceModel& device, const SenseAmpSpec& spec);

/// @brief The current-sensing I-V converter constants NVSim tabulates by feature size
/// [NVSim SenseAmp.cpp:137-190; note §2.7 table; quirk Q28 below 31 nm].
struct IvConverterConstants {
  double latency = 0.0;  // s
  double energy = 0.0;   // J per amp per read
  double leakage = 0.0;  // W per amp
};
IvConverterConstants iv_converter_constants(double feature_size);

}  // namespace deepnvm::circuit
