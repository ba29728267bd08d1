// SPDX-License-Identifier: MIT
#pragma once

// The accelerator's storage (docs/models/accel.md §7): the PEs' scratchpads as register files (read
// ports synthesized with yosys, latches and write path from the gate library), and the global buffer as a RAM built
// with the array model, so it can be SRAM, STT-MRAM or SOT-MRAM. Array searches are slow (seconds), so their figures
// are kept in the on-disk result cache (study/result_cache.h, section "accel_glb"): the table is built once.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "deepnvm/accel/gate_library.h"
#include "deepnvm/cell/cell.h"
#include "deepnvm/study/result_cache.h"

namespace deepnvm::accel {

/// Figures of one storage array; energies per access of one word, SI units.
struct StorageFigures {
  double area = 0.0, leakage = 0.0;
  double read_energy = 0.0, write_energy = 0.0;
  double read_latency = 0.0, write_latency = 0.0;  ///< 0 for register files (read within the cycle)
};

/// @brief The read port of a register file of `entries` words of `word_bits` (accel.md §7.1):
/// register_file_read_verilog() synthesized with yosys in `work_dir` and costed with `library` (area,
/// leakage; read energy from a random address per read over held data). One entry needs no port
/// (zero figures). IoError without yosys.
StorageFigures synthesized_read_port(const GateLibrary& library, std::int64_t entries, int word_bits,
                                     const std::filesystem::path& work_dir);

/// @brief A whole register file: its synthesized `read_port` plus what synthesis cannot map, from the
/// gate library: a gated D latch per bit (4 NAND2 + INV) and the write path (a NAND2/INV decoder; write
/// energy counts the transitions of one write of random data at ½CV² each). ConfigError unless entries
/// and word_bits are at least 1.
StorageFigures register_file(const GateLibrary& library, std::int64_t entries, int word_bits,
                             const StorageFigures& read_port);

/// Read ports by (entries, word bits).
using ReadPortTable = std::map<std::pair<std::int64_t, int>, StorageFigures>;

/// @brief The read ports of `shapes`, synthesized once and kept in `cache` (section "accel_rf", keyed
/// by `library_key`, the shape and the yosys version). `progress(done, total)` may be empty.
ReadPortTable read_ports(const GateLibrary& library, const nlohmann::ordered_json& library_key,
                         const std::vector<std::pair<std::int64_t, int>>& shapes, const study::ResultCache& cache,
                         const std::function<void(std::size_t, std::size_t)>& progress = {});

/// How the global buffer is built: a RAM of one cell at one node, accessed `word_bits` at a time.
struct BufferSpec {
  std::string cell;                 ///< id, e.g. the cell file's stem ("stt_mram")
  std::filesystem::path cell_file;  ///< native cell file or NVSim .cell
  double node = 16e-9;              ///< m
  double temperature = 350.0;       ///< K
  std::string roadmap = "hp";
  int word_bits = 64;
  std::string optimize = "read_edp";  ///< organisation search target (array_spec.h names)
};

/// @brief The global buffer at each of `capacities` (bytes, powers of two), searched with the array
/// model in one pass (evaluate_array_capacities) for those not in `cache`, which then holds them.
/// ConfigError / ModelError from the array model pass through, naming the capacity.
std::vector<StorageFigures> global_buffers(const BufferSpec& spec, const Cell& cell,
                                           const std::vector<std::uint64_t>& capacities,
                                           const std::filesystem::path& data_dir, const study::ResultCache& cache,
                                           unsigned threads = 0);

}  // namespace deepnvm::accel
