// SPDX-License-Identifier: MIT
#include "deepnvm/study/l2_array.h"

#include "deepnvm/array/array_spec.h"
#include "deepnvm/array/evaluate.h"
#include "deepnvm/circuit/model.h"
#include "deepnvm/core/config.h"
#include "deepnvm/study/hash.h"

namespace deepnvm::study {

nlohmann::ordered_json l2_key(const L2ArraySpec& s, std::uint64_t slice_bytes) {
  nlohmann::ordered_json j;
  j["cell_sha"] = hash_hex(read_input_file(s.cell_file));
  j["cell_name"] = s.cell_file.filename().string();
  j["node_m"] = s.node;
  j["temperature_k"] = s.temperature;
  j["roadmap"] = s.roadmap;
  j["slices"] = s.slices;
  j["associativity"] = s.associativity;
  j["access_bytes"] = s.access_bytes;
  j["optimize"] = s.optimize;
  j["model"] = s.model;
  j["access_mode"] = s.access_mode;
  j["slice_bytes"] = slice_bytes;
  return j;
}

std::vector<L2Figures> evaluate_l2_slices(const L2ArraySpec& s, const Cell& cell,
                                          const std::vector<std::uint64_t>& slice_bytes,
                                          const std::filesystem::path& data_dir, unsigned threads) {
  if (slice_bytes.empty()) return {};
  const auto array_spec = [&](std::uint64_t slice) {
    ArraySpecFile a;
    a.name = s.technology;
    a.cell = std::filesystem::absolute(s.cell_file).string();
    a.node = s.node;
    a.roadmap = s.roadmap;
    a.temperature = s.temperature;
    a.design = "cache";
    a.capacity = static_cast<double>(slice) * s.slices;
    a.slices = s.slices;
    a.line = s.access_bytes;
    a.associativity = s.associativity;
    a.optimize = s.optimize;
    a.model = s.model;
    a.access_mode = s.access_mode;
    return a;
  };
  // One configuration; every slice capacity checked (a power of two) and searched together.
  const NvsimConfig config = to_nvsim_config(array_spec(slice_bytes.front()), s.cell_file);
  std::vector<std::uint64_t> capacities;
  for (const std::uint64_t slice : slice_bytes)
    capacities.push_back(to_nvsim_config(array_spec(slice), s.cell_file).capacity);
  ArrayOptions options;
  options.threads = threads;
  options.model = *circuit::parse_circuit_model(s.model);
  std::vector<ArrayResult> results = evaluate_array_capacities(config, capacities, cell, data_dir, options);
  std::vector<L2Figures> out;
  for (std::size_t i = 0; i < results.size(); ++i) {
    ArrayResult& r = results[i];
    scale_to_slices(r, s.slices);
    L2Figures f;
    f.technology = s.technology;
    f.capacity = slice_bytes[i] * static_cast<std::uint64_t>(s.slices);
    f.slices = s.slices;
    f.area = r.figures.area;
    f.read_latency = r.figures.read_latency;
    f.write_latency = r.figures.write_latency;
    f.read_energy = r.figures.read_energy;
    f.write_energy = r.figures.write_energy;
    f.leakage = r.figures.leakage;
    out.push_back(f);
  }
  return out;
}

L2Figures evaluate_l2(const L2ArraySpec& s, const Cell& cell, std::uint64_t slice_bytes,
                      const std::filesystem::path& data_dir, unsigned threads) {
  return evaluate_l2_slices(s, cell, {slice_bytes}, data_dir, threads).front();
}

nlohmann::ordered_json to_json(const L2Figures& f) {
  return {{"technology", f.technology},
          {"capacity_bytes", f.capacity},
          {"slices", f.slices},
          {"area_m2", f.area},
          {"read_latency_s", f.read_latency},
          {"write_latency_s", f.write_latency},
          {"read_energy_j", f.read_energy},
          {"write_energy_j", f.write_energy},
          {"leakage_w", f.leakage}};
}

L2Figures l2_figures_from_json(const nlohmann::ordered_json& j) {
  L2Figures f;
  f.technology = j.at("technology").get<std::string>();
  f.capacity = j.at("capacity_bytes").get<std::uint64_t>();
  f.slices = j.at("slices").get<int>();
  f.area = j.at("area_m2").get<double>();
  f.read_latency = j.at("read_latency_s").get<double>();
  f.write_latency = j.at("write_latency_s").get<double>();
  f.read_energy = j.at("read_energy_j").get<double>();
  f.write_energy = j.at("write_energy_j").get<double>();
  f.leakage = j.at("leakage_w").get<double>();
  return f;
}

}  // namespace deepnvm::study
