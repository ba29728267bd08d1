// SPDX-License-Identifier: MIT
// Scratchpads from the gate library, global buffers from the array model (accel.md §7).
#include "deepnvm/accel/storage.h"

#include <unistd.h>

#include <array>
#include <bit>
#include <random>
#include <tuple>

#include <fmt/format.h>

#include "deepnvm/accel/characterize.h"
#include "deepnvm/accel/rtl.h"
#include "deepnvm/array/array_spec.h"
#include "deepnvm/array/evaluate.h"
#include "deepnvm/circuit/model.h"
#include "deepnvm/core/config.h"
#include "deepnvm/core/error.h"
#include "deepnvm/study/hash.h"

namespace deepnvm::accel {

namespace {

void check_register_file(std::int64_t entries, int word_bits) {
  if (entries < 1 || word_bits < 1)
    throw ConfigError({"<scratchpad>", 0}, "entries",
                      "a register file needs at least one entry of one bit (got {} x {} bits)", entries, word_bits);
}

}  // namespace

StorageFigures synthesized_read_port(const GateLibrary& lib, std::int64_t entries, int word_bits,
                                     const std::filesystem::path& work_dir) {
  check_register_file(entries, word_bits);
  if (entries == 1) return {};  // a register: the latch drives the output directly
  const GateNetlist n =
      synthesize_verilog(register_file_read_verilog(static_cast<int>(entries), word_bits),
                         fmt::format("register file read port {} x {}", entries, word_bits), work_dir);
  const std::vector<std::uint32_t>& words = n.inputs.at("words");
  const std::vector<std::uint32_t>& addr = n.inputs.at("addr");
  // Held data (a scratchpad is read far more often than written), a random address per read.
  std::mt19937_64 rng(1);
  std::vector<std::uint64_t> stored(words.size());
  for (std::uint64_t& w : stored) w = rng();
  StorageFigures f;
  std::tie(f.area, f.leakage) = gate_area_and_leakage(n, lib);
  f.read_energy = switching_energy(n, lib, 256, [&](std::size_t, std::vector<std::uint64_t>& v) {
    for (std::size_t i = 0; i < words.size(); ++i) v[words[i]] = stored[i];
    std::array<std::uint64_t, 64> a{};
    for (std::uint64_t& x : a) x = rng() % static_cast<std::uint64_t>(entries);
    for (std::size_t b = 0; b < addr.size(); ++b) {
      std::uint64_t lanes = 0;
      for (std::size_t l = 0; l < 64; ++l) lanes |= ((a[l] >> b) & 1u) << l;
      v[addr[b]] = lanes;
    }
  });
  return f;
}

StorageFigures register_file(const GateLibrary& lib, std::int64_t entries, int word_bits,
                             const StorageFigures& read_port) {
  check_register_file(entries, word_bits);
  const LibraryGate& inv = lib[GateKind::inv];
  const LibraryGate& nand = lib[GateKind::nand2];
  const double e = static_cast<double>(entries), b = word_bits;
  const double levels = std::bit_width(static_cast<std::uint64_t>(entries - 1));  // address bits
  StorageFigures f = read_port;
  // Latches (4 NAND2 + INV per bit) and the write decoder (an AND of the address bits per word, as
  // NAND2 + INV pairs, and the address inverters).
  const double latch_nand = 4 * e * b, latch_inv = e * b;
  const double dec_nand = e * std::max(levels - 1, 0.0), dec_inv = dec_nand + levels;
  f.area += (latch_nand + dec_nand) * nand.area + (latch_inv + dec_inv) * inv.area;
  f.leakage += (latch_nand + dec_nand) * nand.leakage + (latch_inv + dec_inv) * inv.leakage;
  // Write, at ½CV² per transition, a node being a gate output loaded by one gate input: the decoder
  // path rises and falls, the word enable pulses into two NAND2 inputs per bit, half of the written
  // latches flip (4 nodes each), and the data lines (probability ½) reach every word.
  const double node = nand.output_cap + nand.input_cap;
  const double decoder = 2 * levels * node;
  const double enable = 2 * b * 2 * nand.input_cap;
  const double latches = 0.5 * b * 4 * node;
  const double data_lines = 0.5 * b * e * 2 * nand.input_cap;
  f.write_energy = 0.5 * lib.vdd * lib.vdd * (decoder + enable + latches + data_lines);
  return f;
}

ReadPortTable read_ports(const GateLibrary& lib, const nlohmann::ordered_json& library_key,
                         const std::vector<std::pair<std::int64_t, int>>& shapes, const study::ResultCache& cache,
                         const std::function<void(std::size_t, std::size_t)>& progress) {
  ReadPortTable table;
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("deepnvm-rf-{}", getpid());
  const std::string tool = yosys_version();
  std::size_t done = 0;
  for (const auto& [entries, bits] : shapes) {
    if (progress) progress(done, shapes.size());
    ++done;
    if (table.contains({entries, bits})) continue;
    const nlohmann::ordered_json key{{"library", library_key}, {"entries", entries}, {"bits", bits}, {"tool", tool}};
    if (const auto hit = cache.get("accel_rf", key)) {
      StorageFigures f;
      f.area = hit->at("area_m2").get<double>();
      f.leakage = hit->at("leakage_w").get<double>();
      f.read_energy = hit->at("read_energy_j").get<double>();
      table[{entries, bits}] = f;
      continue;
    }
    const StorageFigures f = synthesized_read_port(lib, entries, bits, dir);
    cache.put("accel_rf", key, {{"area_m2", f.area}, {"leakage_w", f.leakage}, {"read_energy_j", f.read_energy}});
    table[{entries, bits}] = f;
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (progress) progress(done, shapes.size());
  return table;
}

namespace {

nlohmann::ordered_json buffer_key(const BufferSpec& s, std::uint64_t capacity) {
  return {{"cell_sha", study::hash_hex(read_input_file(s.cell_file))},
          {"cell_name", s.cell_file.filename().string()},
          {"node_m", s.node},
          {"temperature_k", s.temperature},
          {"roadmap", s.roadmap},
          {"word_bits", s.word_bits},
          {"optimize", s.optimize},
          {"capacity_bytes", capacity}};
}

nlohmann::ordered_json to_json(const StorageFigures& f) {
  return {{"area_m2", f.area},
          {"leakage_w", f.leakage},
          {"read_energy_j", f.read_energy},
          {"write_energy_j", f.write_energy},
          {"read_latency_s", f.read_latency},
          {"write_latency_s", f.write_latency}};
}

StorageFigures from_json(const nlohmann::ordered_json& j) {
  StorageFigures f;
  f.area = j.at("area_m2").get<double>();
  f.leakage = j.at("leakage_w").get<double>();
  f.read_energy = j.at("read_energy_j").get<double>();
  f.write_energy = j.at("write_energy_j").get<double>();
  f.read_latency = j.at("read_latency_s").get<double>();
  f.write_latency = j.at("write_latency_s").get<double>();
  return f;
}

}  // namespace

std::vector<StorageFigures> global_buffers(const BufferSpec& spec, const Cell& cell,
                                           const std::vector<std::uint64_t>& capacities,
                                           const std::filesystem::path& data_dir, const study::ResultCache& cache,
                                           unsigned threads) {
  std::vector<StorageFigures> out(capacities.size());
  std::vector<std::size_t> missing;
  for (std::size_t i = 0; i < capacities.size(); ++i) {
    if (const auto hit = cache.get("accel_glb", buffer_key(spec, capacities[i])))
      out[i] = from_json(*hit);
    else
      missing.push_back(i);
  }
  if (missing.empty()) return out;

  const auto array_spec = [&](std::uint64_t capacity) {
    ArraySpecFile a;
    a.name = spec.cell + "-glb";
    a.cell = std::filesystem::absolute(spec.cell_file).string();
    a.node = spec.node;
    a.roadmap = spec.roadmap;
    a.temperature = spec.temperature;
    a.design = "ram";
    a.capacity = static_cast<double>(capacity);
    a.line = spec.word_bits / 8.0;
    a.optimize = spec.optimize;
    return a;
  };
  std::vector<std::uint64_t> sizes;
  for (const std::size_t i : missing)
    sizes.push_back(to_nvsim_config(array_spec(capacities[i]), spec.cell_file).capacity);
  ArrayOptions options;
  options.threads = threads;
  const std::vector<ArrayResult> results = evaluate_array_capacities(
      to_nvsim_config(array_spec(capacities[missing.front()]), spec.cell_file), sizes, cell, data_dir, options);
  for (std::size_t k = 0; k < missing.size(); ++k) {
    const ArrayFigures& a = results[k].figures;
    StorageFigures& f = out[missing[k]];
    f.area = a.area;
    f.leakage = a.leakage;
    f.read_energy = a.read_energy;
    f.write_energy = a.write_energy;
    f.read_latency = a.read_latency;
    f.write_latency = a.write_latency;
    cache.put("accel_glb", buffer_key(spec, capacities[missing[k]]), to_json(f));
  }
  return out;
}

}  // namespace deepnvm::accel
