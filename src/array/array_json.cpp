// SPDX-License-Identifier: MIT
// The JSON of `deepnvm array`: the contract's fixed top-level keys, then the organisation and the
// breakdown under the field names of shared/reference/README.md §4.1-4.2 (docs/json_format.md).
#include "deepnvm/array/evaluate.h"

namespace deepnvm {
namespace {

using json = nlohmann::ordered_json;

// The wording NVSim prints, which the reference data (and so our JSON) uses.
std::string_view wire_label(WireType t) {
  switch (t) {
    case WireType::local_aggressive:
      return "Local Aggressive";
    case WireType::local_conservative:
      return "Local Conservative";
    case WireType::semi_aggressive:
      return "Semi-Global Aggressive";
    case WireType::semi_conservative:
      return "Semi-Global Conservative";
    case WireType::global_aggressive:
      return "Global Aggressive";
    case WireType::global_conservative:
      return "Global Conservative";
  }
  return "";
}

std::string_view repeater_label(RepeaterType r) {
  switch (r) {
    case RepeaterType::none:
      return "No Repeaters";
    case RepeaterType::optimal:
      return "Fully-Optimized Repeaters";
    case RepeaterType::penalty_5:
      return "Repeaters with 5% Overhead";
    case RepeaterType::penalty_10:
      return "Repeaters with 10% Overhead";
    case RepeaterType::penalty_20:
      return "Repeaters with 20% Overhead";
    case RepeaterType::penalty_30:
      return "Repeaters with 30% Overhead";
    case RepeaterType::penalty_40:
      return "Repeaters with 40% Overhead";
    case RepeaterType::penalty_50:
      return "Repeaters with 50% Overhead";
  }
  return "";
}

std::string_view buffer_label(BufferDesignStyle s) {
  switch (s) {
    case BufferDesignStyle::latency:
      return "Latency-Optimized";
    case BufferDesignStyle::balance:
      return "Latency-Area-Balanced";
    case BufferDesignStyle::area:
      return "Area-Optimized";
  }
  return "";
}

json wire_json(const WireChoice& w) {
  return json{{"wire_type", wire_label(w.type)},
              {"repeater_type", repeater_label(w.repeater)},
              {"low_swing", w.low_swing ? "Yes" : "No"}};
}

json organization_json(const ArrayDesign& d, bool cache) {
  const BankSpec& s = d.spec;
  const SubArray& sub = d.bank.mat->subarray;
  json o{{"mats_per_bank", {s.mat_rows, s.mat_columns}},
         {"active_mat_rows", s.active_mat_rows},
         {"active_mat_cols", s.active_mat_columns},
         {"subarrays_per_mat", {s.subarray_rows, s.subarray_columns}},
         {"active_subarray_rows", s.active_subarray_rows},
         {"active_subarray_cols", s.active_subarray_columns},
         {"subarray_rows", sub.spec.rows},
         {"subarray_cols", sub.spec.columns},
         {"mux_senseamp", s.subarray.mux_sense_amp},
         {"mux_output_lev1", s.subarray.mux_output_lev1},
         {"mux_output_lev2", s.subarray.mux_output_lev2}};
  if (cache) o["rows_per_set"] = s.rows_per_set;
  o["buffer_design_style"] = buffer_label(d.buffer_style);
  o["local_wire"] = wire_json(d.local_wire);
  o["global_wire"] = wire_json(d.global_wire);
  return o;
}

json breakdown_json(const ArrayDesign& d, bool set_reset) {
  const Bank& b = d.bank;
  const Mat& m = *b.mat;
  const SubArray& sub = m.subarray;
  const MatTiming& mt = b.mat_timing;
  const SubArrayTiming& st = mt.subarray;
  json out;
  out["area"] = json{{"height_m", b.height},          {"width_m", b.width},
                     {"mat_height_m", m.height},      {"mat_width_m", m.width},
                     {"mat_area_m2", m.area()},       {"subarray_height_m", sub.height},
                     {"subarray_width_m", sub.width}, {"subarray_area_m2", sub.area()}};
  out["read_latency"] = json{{"total_s", b.read_latency},       {"htree_s", b.tree_read_latency},
                             {"mat_s", mt.read_latency},        {"predecoder_s", mt.predecoder_latency},
                             {"subarray_s", st.read_latency},   {"row_decoder_s", st.row_decoder_latency},
                             {"bitline_s", st.bitline_latency}, {"senseamp_s", st.sense_amp_latency},
                             {"mux_s", st.mux_latency},         {"precharge_s", st.precharge_latency}};
  if (m.has_comparator) out["read_latency"]["comparator_s"] = mt.comparator_latency;
  auto write_latency = [&](double total, double mat, double subarray, const char* pulse_key, double pulse) {
    json w{{"total_s", total},       {"htree_s", b.tree_write_latency},
           {"mat_s", mat},           {"predecoder_s", mt.predecoder_latency},
           {"subarray_s", subarray}, {"row_decoder_s", st.row_decoder_latency}};
    if (sub.cell.type != ArrayCellType::sram) {
      w["charge_s"] = st.charge_latency;
      w[pulse_key] = pulse;
    }
    return w;
  };
  if (set_reset) {
    out["reset_latency"] =
        write_latency(b.reset_latency, mt.reset_latency, st.reset_latency, "reset_pulse_s", sub.cell.reset_pulse);
    out["set_latency"] =
        write_latency(b.set_latency, mt.set_latency, st.set_latency, "set_pulse_s", sub.cell.set_pulse);
  } else {
    out["write_latency"] =
        write_latency(b.write_latency, mt.write_latency, st.write_latency, "write_pulse_s", st.write_pulse);
  }
  json read{{"total_J", b.read_energy},
            {"htree_J", b.tree_read_energy},
            {"mat_per_mat_J", m.read_energy},
            {"predecoder_J", m.predecoder_read_energy},
            {"subarray_per_active_subarray_J", sub.read_energy},
            {"row_decoder_J", sub.row_decoder_read_energy},
            {"mux_decoder_J", sub.mux_decoder_read_energy}};
  if (sub.cell.type != ArrayCellType::sram) read["bitline_and_cell_read_J"] = sub.cell_read_energy;
  read["senseamp_J"] = sub.sense_amp_read_energy;
  read["mux_J"] = sub.mux_read_energy;
  read["precharge_J"] = sub.precharge_read_energy;
  out["read_dynamic_energy"] = read;
  auto write_energy = [&](double total, double mat, double subarray, const char* cell_key, double cell) {
    json w{{"total_J", total},
           {"htree_J", b.tree_write_energy},
           {"mat_per_mat_J", mat},
           {"predecoder_J", m.predecoder_write_energy},
           {"subarray_per_active_subarray_J", subarray},
           {"row_decoder_J", sub.row_decoder_write_energy},
           {"mux_decoder_J", sub.mux_decoder_write_energy},
           {"mux_J", sub.mux_write_energy}};
    if (sub.cell.type != ArrayCellType::sram) w[cell_key] = cell;
    return w;
  };
  if (set_reset) {
    out["reset_dynamic_energy"] =
        write_energy(b.reset_energy, m.reset_energy, sub.reset_energy, "cell_reset_J", sub.cell_reset_energy);
    out["set_dynamic_energy"] =
        write_energy(b.set_energy, m.set_energy, sub.set_energy, "cell_set_J", sub.cell_set_energy);
  } else {
    out["write_dynamic_energy"] = write_energy(b.write_energy, m.write_energy, sub.write_energy,
                                               "bitline_and_cell_write_J", sub.bitline_write_energy);
  }
  out["leakage_power"] = json{{"total_W", b.leakage}, {"htree_W", b.tree_leakage}, {"mat_per_mat_W", m.leakage}};
  return out;
}

}  // namespace

nlohmann::ordered_json to_json(const ArrayResult& r) {
  const ArrayFigures& f = r.figures;
  const bool cache = r.target == DesignTarget::cache;
  json out;
  out["area_m2"] = f.area;
  out["read_latency_s"] = f.read_latency;
  out["write_latency_s"] = f.write_latency;
  out["read_energy_j"] = f.read_energy;
  out["write_energy_j"] = f.write_energy;
  out["leakage_w"] = f.leakage;
  if (cache) {
    out["hit_latency_s"] = f.hit_latency;
    out["miss_latency_s"] = f.miss_latency;
    out["hit_energy_j"] = f.hit_energy;
    out["miss_energy_j"] = f.miss_energy;
  }
  if (f.set_reset) {
    out["set_latency_s"] = f.set_latency;
    out["reset_latency_s"] = f.reset_latency;
    out["set_energy_j"] = f.set_energy;
    out["reset_energy_j"] = f.reset_energy;
  }
  if (cache) {
    out["organization"] =
        json{{"data_array", organization_json(r.data, true)}, {"tag_array", organization_json(*r.tag, true)}};
    out["breakdown"] =
        json{{"data_array", breakdown_json(r.data, f.set_reset)}, {"tag_array", breakdown_json(*r.tag, f.set_reset)}};
  } else {
    out["organization"] = organization_json(r.data, false);
    out["breakdown"] = breakdown_json(r.data, f.set_reset);
  }
  out["context"] = json{{"compat", std::string(compat_name(r.compat))},
                        {"model", json{{"compat", std::string(circuit::circuit_model_name(r.model))},
                                       {"node_m", r.node},
                                       {"node_source", r.node_source},
                                       {"temperature_k", r.temperature},
                                       {"cell", r.cell_name},
                                       {"cell_type", r.cell_type},
                                       {"slices", r.slices},
                                       {"candidates", r.candidates},
                                       {"valid_candidates", r.valid_candidates}}}};
  out["warnings"] = r.warnings;
  out["ignored_keys"] = r.ignored_keys;
  return out;
}

}  // namespace deepnvm
