// SPDX-License-Identifier: MIT
#include "deepnvm/accel/netlist.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "deepnvm/accel/rtl.h"
#include "deepnvm/core/atomic_file.h"
#include "deepnvm/core/error.h"
#include "deepnvm/core/process.h"

namespace deepnvm::accel {

std::size_t GateNetlist::count(GateKind kind) const {
  return static_cast<std::size_t>(
      std::count_if(gates.begin(), gates.end(), [&](const NetlistGate& g) { return g.kind == kind; }));
}

namespace {

// yosys numbers signal bits from 2 and writes constants as the strings "0", "1", "x", "z".
std::uint32_t net_of(const nlohmann::json& bit, const std::string& where) {
  if (bit.is_number_unsigned()) {
    const auto n = bit.get<std::uint64_t>();
    if (n < 2 || n > 0xFFFFFFF0u) throw ModelError("{}: signal bit {} out of range", where, n);
    return static_cast<std::uint32_t>(n);
  }
  if (bit == "0") return 0;
  if (bit == "1") return 1;
  throw ModelError("{}: undefined constant bit {} in the netlist (expected 0 or 1)", where, bit.dump());
}

std::vector<std::uint32_t> nets_of(const nlohmann::json& bits, const std::string& where) {
  std::vector<std::uint32_t> out;
  for (const auto& b : bits) out.push_back(net_of(b, where));
  return out;
}

}  // namespace

GateNetlist parse_yosys_json(std::string_view text, const std::string& where) {
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.contains("modules") || !doc["modules"].is_object() || doc["modules"].empty())
    throw ModelError("{}: not a yosys JSON netlist (no \"modules\")", where);
  if (doc["modules"].size() != 1)
    throw ModelError("{}: {} modules; expected the one flattened PE", where, doc["modules"].size());
  // The module by iterator: a structured binding of `*items().begin()` would outlive its proxy.
  const auto first = doc["modules"].cbegin();
  const nlohmann::json& module = first.value();
  GateNetlist n;
  n.module = first.key();
  std::uint32_t max_net = 1;
  for (const auto& [port, p] : module.at("ports").items()) {
    std::vector<std::uint32_t> bits = nets_of(p.at("bits"), where);
    for (const std::uint32_t b : bits) max_net = std::max(max_net, b);
    (p.at("direction") == "input" ? n.inputs : n.outputs)[port] = std::move(bits);
  }
  std::vector<NetlistGate> gates;
  for (const auto& item : module.at("cells").items()) {
    // Plain variables, not structured bindings: the lambda below captures them (clang 14 cannot).
    const std::string cell_name = item.key();
    const nlohmann::json& c = item.value();
    const std::string type = c.at("type").get<std::string>();
    const auto& conn = c.at("connections");
    NetlistGate g;
    if (type == "$_NOT_") {
      g.kind = GateKind::inv;
    } else if (type == "$_NAND_") {
      g.kind = GateKind::nand2;
    } else if (type == "$_NOR_") {
      g.kind = GateKind::nor2;
    } else {
      throw ModelError("{}: cell {} is a {}; expected $_NOT_, $_NAND_ or $_NOR_ (abc -g cmos2)", where, cell_name,
                       type);
    }
    const auto pin = [&](const char* p) {
      const std::vector<std::uint32_t> bits = nets_of(conn.at(p), where);
      if (bits.size() != 1) throw ModelError("{}: cell {} pin {} has {} bits", where, cell_name, p, bits.size());
      max_net = std::max(max_net, bits[0]);
      return bits[0];
    };
    g.a = pin("A");
    g.b = g.kind == GateKind::inv ? 0 : pin("B");
    g.y = pin("Y");
    gates.push_back(g);
  }
  n.nets = max_net + 1;

  // Topological order (Kahn): a gate is ready once the drivers of its inputs are placed.
  std::vector<std::int64_t> driver(n.nets, -1);  // gate index, or -2 for inputs and constants
  driver[0] = driver[1] = -2;
  for (const auto& [port, bits] : n.inputs)
    for (const std::uint32_t b : bits) driver[b] = -2;
  for (std::size_t i = 0; i < gates.size(); ++i) {
    if (driver[gates[i].y] != -1)
      throw ModelError("{}: net {} is driven twice (gate {} and {})", where, gates[i].y, driver[gates[i].y], i);
    driver[gates[i].y] = static_cast<std::int64_t>(i);
  }
  std::vector<std::vector<std::size_t>> readers(n.nets);
  std::vector<int> waiting(gates.size(), 0);
  for (std::size_t i = 0; i < gates.size(); ++i) {
    const int pins = gates[i].kind == GateKind::inv ? 1 : 2;
    for (int k = 0; k < pins; ++k) {
      const std::uint32_t in = k == 0 ? gates[i].a : gates[i].b;
      if (driver[in] == -1) throw ModelError("{}: net {} is read by gate {} but driven by nothing", where, in, i);
      if (driver[in] >= 0) {
        ++waiting[i];
        readers[in].push_back(i);
      }
    }
  }
  std::vector<std::size_t> ready;
  for (std::size_t i = 0; i < gates.size(); ++i)
    if (waiting[i] == 0) ready.push_back(i);
  while (!ready.empty()) {
    const std::size_t i = ready.back();
    ready.pop_back();
    n.gates.push_back(gates[i]);
    for (const std::size_t r : readers[gates[i].y])
      if (--waiting[r] == 0) ready.push_back(r);
  }
  if (n.gates.size() != gates.size())
    throw ModelError("{}: combinational loop ({} of {} gates cannot be ordered)", where, gates.size() - n.gates.size(),
                     gates.size());
  for (const auto& [port, bits] : n.outputs)
    for (const std::uint32_t b : bits)
      if (driver[b] == -1) throw ModelError("{}: output {} bit net {} is driven by nothing", where, port, b);
  return n;
}

void evaluate(const GateNetlist& netlist, std::span<std::uint64_t> v) {
  v[0] = 0;
  v[1] = ~std::uint64_t{0};
  for (const NetlistGate& g : netlist.gates) {
    switch (g.kind) {
      case GateKind::inv:
        v[g.y] = ~v[g.a];
        break;
      case GateKind::nand2:
        v[g.y] = ~(v[g.a] & v[g.b]);
        break;
      case GateKind::nor2:
        v[g.y] = ~(v[g.a] | v[g.b]);
        break;
    }
  }
}

GateNetlist synthesize_pe(const PeSpec& pe, const std::filesystem::path& work_dir) {
  return synthesize_verilog(pe_verilog(pe), pe_name(pe), work_dir);
}

GateNetlist synthesize_verilog(const std::string& verilog, const std::string& what,
                               const std::filesystem::path& work_dir) {
  const std::filesystem::path yosys = find_program("yosys");
  if (yosys.empty())
    throw IoError("yosys", "not found on PATH: synthesis needs it (Debian package yosys; scripts/install-deps)");
  std::filesystem::create_directories(work_dir);
  write_file_atomic(work_dir / "pe.v", verilog);
  // synth: generic optimisation to yosys's internal gates; abc: technology mapping onto INV, NAND2
  // and NOR2 only (the circuit layer's gates); opt_clean: drop what abc left unconnected.
  // ABC runs a fixed recipe: depth balancing, local rewriting and refactoring, balancing again, then
  // delay-oriented mapping. yosys's default ABC script (choice computation, retiming, area recovery)
  // restructured neighbouring designs differently: their critical paths scattered by ~10 % with no
  // trend in the widths, which no fitted model follows (docs/models/accel.md §5).
  const std::string script =
      "read_verilog pe.v\n"
      "synth -flatten -auto-top\n"
      "abc -g cmos2 -script +strash;balance;rewrite;refactor;balance;map\n"
      "opt_clean\n"
      "tee -o stat.txt stat\n"
      "write_json netlist.json\n";
  write_file_atomic(work_dir / "synth.ys", script);
  const int rc =
      run_program({yosys.string(), "-q", "-s", "synth.ys"}, work_dir, work_dir / "yosys.log", work_dir / "yosys.log");
  if (rc != 0) {
    std::ifstream log(work_dir / "yosys.log");
    std::stringstream text;
    text << log.rdbuf();
    std::string tail = text.str();
    if (tail.size() > 600) tail = "..." + tail.substr(tail.size() - 600);
    throw ModelError("yosys failed (exit {}) synthesizing {} in {}: {}", rc, what, work_dir.string(), tail);
  }
  std::ifstream in(work_dir / "netlist.json");
  std::stringstream json;
  json << in.rdbuf();
  return parse_yosys_json(json.str(), (work_dir / "netlist.json").string());
}

std::string yosys_version() {
  const std::filesystem::path yosys = find_program("yosys");
  const auto out = std::filesystem::temp_directory_path() / fmt::format("deepnvm-yosys-version-{}", getpid());
  std::string line;
  if (!yosys.empty() && run_program({yosys.string(), "-V"}, {}, out) == 0) {
    std::ifstream in(out);
    std::getline(in, line);
  }
  std::error_code ec;
  std::filesystem::remove(out, ec);
  return line.empty() ? "yosys (version unknown)" : line;
}

}  // namespace deepnvm::accel
