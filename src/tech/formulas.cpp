// SPDX-License-Identifier: MIT
#include "deepnvm/tech/formulas.h"

#include <cmath>

namespace deepnvm {

namespace {
// NVSim's rounded vacuum permittivity; kept so per-length capacitances match its output digits.
constexpr double kEpsilon0 = 8.85e-12;  // F/m
// Vertical (plate) dielectric permittivity and Miller factor of the sidewall term [NVSim Wire.cpp].
constexpr double kVerticalPermittivity = 3.9;
constexpr double kMillerFactor = 1.5;
constexpr double kFixedFringe = 1.15e-10;  // F/m
// NVSim's carrier saturation velocity in V_dsat = L_phy v_sat / mu.
constexpr double kSaturationVelocity = 1e5;  // m/s

double grading(double vdd) { return 1.0 + vdd / kJunctionBuiltInPotential; }
}  // namespace

double gate_cap_per_width(const Device& device) {
  // C_ov = 0.2 C_gi and C_poly = 0 in every NVSim table [formula.cpp:48], unless the source states C_ov
  // (NeuroSim's FinFET nodes: 0, folded into C_gi [NeuroSim V1.4 Technology.cpp:1661-1665]).
  const double overlap = device.overlap_cap.value_or(0.2 * device.gate_cap_ideal);
  return device.gate_cap_ideal + overlap + 3.0 * device.fringe_cap;
}

double junction_cap_bottom(double vdd) { return 1e-3 / std::pow(grading(vdd), 0.5); }
double junction_cap_sidewall(double vdd) { return 2.5e-10 / std::pow(grading(vdd), 0.33); }
double junction_cap_gate_edge(double vdd) { return 0.5e-10 / std::pow(grading(vdd), 0.33); }

double saturation_voltage_n(const Device& device) {
  return device.gate_length * kSaturationVelocity / device.need(device.electron_mobility, "electron_mobility");
}

double on_resistance_width_n(const Device& device, double temperature) {
  return device.effective_resistance_multiplier * device.vdd / device.current(DeviceCurrent::on_n, temperature);
}

double on_resistance_width_p(const Device& device, double temperature) {
  return device.effective_resistance_multiplier * device.vdd / device.current(DeviceCurrent::on_p, temperature);
}

double wire_resistivity(const Wire& wire, double temperature) {
  // CACTI and McPAT tables carry no temperature term (resistivity_temperature_model: none).
  if (wire.resistivity_temperature_model == "none") return wire.resistivity;
  return wire.resistivity * (1.0 + kWireResistivityTempCoefficient * (temperature - kWireReferenceTemperature));
}

double wire_resistance_per_length(const Wire& wire, double temperature) {
  // CACTI basic_circuit.cc wire_resistance; alpha_scatter = 1 and dishing 0 in every NVSim table. The
  // barrier lines both sidewalls but only the bottom of the trench.
  return wire.scattering_factor * wire_resistivity(wire, temperature) /
         ((wire.thickness - wire.barrier_thickness - wire.dishing_thickness) *
          (wire.width - 2.0 * wire.barrier_thickness));
}

double wire_capacitance_per_length(const Wire& wire) {
  const double spacing = wire.pitch - wire.width;
  return 2.0 * kEpsilon0 * kVerticalPermittivity * wire.width / wire.ild_thickness +
         2.0 * kEpsilon0 * kMillerFactor * wire.dielectric_constant * wire.thickness / spacing + kFixedFringe;
}

}  // namespace deepnvm
