// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "deepnvm/core/config.h"
#include "deepnvm/tech/technology.h"

namespace deepnvm {

enum class SenseMode { voltage, current };
enum class DriveMode { voltage, current };
enum class AccessDevice { cmos, bjt, diode, none };

std::string_view to_string(SenseMode m);
std::string_view to_string(DriveMode m);
std::string_view to_string(AccessDevice d);

/// Where a cell is characterized: the node (null: node-dependent figures stay unknown) and the
/// operating temperature.
struct CellContext {
  CellContext() = default;
  CellContext(const Technology* technology_, double temperature_, std::string flavour_ = {})
      : technology(technology_), temperature(temperature_), flavour(std::move(flavour_)) {}

  const Technology* technology = nullptr;
  double temperature = 350.0;  // K; NVSim's samples and the reference runs use 350 K
  /// The device flavour of the cell's transistors when the caller fixes it (an NVSim run uses its
  /// DeviceRoadmap for the cell too); empty: the cell file's own flavour.
  std::string flavour;
};

struct ReadFigures {
  SenseMode mode = SenseMode::voltage;
  std::optional<double> voltage;               // V applied across the cell (current sensing)
  std::optional<double> current;               // A through the low-resistance state
  std::optional<double> sense_margin_voltage;  // V (voltage sensing)
  std::optional<double> sense_margin_current;  // A (current sensing): I(R_on) - I(R_off)
  std::optional<double> min_sense_voltage;     // V, NVSim's MinSenseVoltage
  std::optional<double> energy;                // J per read at the cell, if the file gives it
  std::optional<double> power;                 // W, NVSim's ReadPower
};

struct WriteFigures {
  DriveMode set_mode = DriveMode::current, reset_mode = DriveMode::current;
  std::optional<double> set_current, reset_current;  // A
  std::optional<double> set_voltage, reset_voltage;  // V
  double set_pulse = 0.0, reset_pulse = 0.0;         // s
  std::optional<double> set_energy, reset_energy;    // J per bit at the cell
  std::optional<double> drive_voltage;  // V across cell and access device at the write current (worst direction)
  /// Mean of set and reset energies: a write of random data flips to either state equally often.
  std::optional<double> energy() const;
};

struct AccessFigures {
  AccessDevice device = AccessDevice::cmos;
  std::optional<double> width_f;          // access (or write-access) transistor width in F
  std::optional<double> read_width_f;     // separate read transistor (2T cells)
  std::optional<int> fins, read_fins;     // FinFET nodes
  std::optional<double> voltage_drop;     // V across the access device when on (NVSim input)
  std::optional<double> leakage_current;  // A, NVSim's LeakageCurrentAccessDevice
};

/// Parameters NVSim's array model reads from a cell file that have no physical meaning of their
/// own here; carried so an NVSim cell round-trips and the array model sees what NVSim sees.
struct NvsimCellExtras {
  std::optional<double> sram_nmos_width_f, sram_pmos_width_f;
  std::optional<double> capacitance_on, capacitance_off;
  std::optional<double> r_on_at_set_voltage, r_off_at_set_voltage, r_on_at_reset_voltage, r_off_at_reset_voltage;
  std::optional<double> r_on_at_read_voltage, r_off_at_read_voltage, r_on_at_half_read_voltage,
      r_off_at_half_read_voltage, r_on_at_half_reset_voltage;
  std::optional<bool> read_floating;
  std::optional<double> gate_oxide_thickness_factor, soi_device_width_f;
  std::optional<int> process_node_nm;  // parsed; NVSim's cell scaling that would use it is disabled
  bool operator==(const NvsimCellExtras&) const = default;
};

/// @brief What the array model needs of one bitcell, plus the device-level figures behind it.
/// SI units; `std::nullopt` where a value is unknown (e.g. node-dependent without a node).
struct CellFigures {
  std::string cell_type;  // "sram", "stt_mram", "sot_mram", "mram", "pcm", "reram"
  std::string name;
  std::optional<double> node;  // F, m
  std::optional<double> area_f2, area_m2, width_f, height_f;
  double aspect_ratio = 1.0;          // height / width
  std::optional<double> r_on, r_off;  // low / high resistance state, Ohm
  ReadFigures read;
  WriteFigures write;
  AccessFigures access;
  std::optional<double> leakage;  // standby power of one cell, W
  // MRAM only
  std::optional<double> retention_time, write_error_rate, read_disturb_probability;
  NvsimCellExtras nvsim;
  std::vector<std::string> sources;
  std::vector<std::string> ignored_keys;  // NVSim keys accepted and ignored, "file:line: key"
  std::vector<std::string> notes;         // modelling choices the user should know of
};

/// JSON of `deepnvm cell show` (docs/json_format.md): SI values, unit-suffixed keys.
nlohmann::ordered_json to_json(const CellFigures& f);

/// @brief A bitcell model: parsed and validated at construction, characterized by a pure function.
class Cell {
 public:
  virtual ~Cell() = default;
  virtual CellFigures characterize(const CellContext& context) const = 0;
  /// The node the cell file names (NVSim's ProcessNode or a native `node:`), if any.
  virtual std::optional<double> own_node() const { return std::nullopt; }
};

/// Builds a Cell from a loaded native cell document of one kind.
using CellFactory = std::function<std::unique_ptr<Cell>(const ConfigNode&)>;

}  // namespace deepnvm
