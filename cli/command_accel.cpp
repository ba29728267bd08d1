// SPDX-License-Identifier: MIT
// deepnvm accel rtl: the synthesizable Verilog of one processing element of the accelerator template.
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "app.h"
#include "deepnvm/accel/rtl.h"
#include "deepnvm/core/atomic_file.h"
#include "deepnvm/core/error.h"
#include "deepnvm/report/json_output.h"

namespace deepnvm::cli {

namespace {

struct AccelArgs {
  std::string pe;
  std::optional<int> act_bits, weight_bits, acc_bits;
  std::string overflow = "wrap";
  std::string out;
};

}  // namespace

Action add_accel_command(CLI::App& app) {
  auto* accel = app.add_subcommand("accel", "Quantization-aware accelerator template (docs/models/accel.md)");
  accel->require_subcommand(1);
  auto* rtl = accel->add_subcommand("rtl", "Verilog of one processing element (one combinational MAC)");
  auto args = std::make_shared<AccelArgs>();
  rtl->add_option("--pe", args->pe, "PE type: int16, int8, int4, light1 or light2")->required();
  rtl->add_option("--act-bits", args->act_bits, "Activation width (default: the type's)");
  rtl->add_option("--weight-bits", args->weight_bits, "Integer weight width, or exponent bits per LightPE term");
  rtl->add_option("--acc-bits", args->acc_bits, "Accumulator width (default: the type's)");
  rtl->add_option("--overflow", args->overflow, "Accumulator overflow: wrap or saturate")->default_str("wrap");
  rtl->add_option("--out", args->out, "Write the Verilog to this file (default: stdout)");
  return [args](const Context& ctx) {
    const SourceLocation where{"<command line>", 0};
    accel::PeSpec pe = accel::named_pe(args->pe, where);
    if (args->act_bits) pe.act_bits = *args->act_bits;
    if (args->weight_bits) pe.weight_bits = *args->weight_bits;
    if (args->acc_bits) pe.acc_bits = *args->acc_bits;
    if (args->overflow == "saturate")
      pe.overflow = accel::Overflow::saturate;
    else if (args->overflow != "wrap")
      throw ConfigError(where, "overflow", "expected wrap or saturate, got '{}'", args->overflow);
    accel::validate(pe, where);
    const std::string verilog = accel::pe_verilog(pe);
    if (!args->out.empty()) write_file_atomic(args->out, verilog);
    if (ctx.options.json) {
      nlohmann::ordered_json doc = json_document("accel rtl");
      doc["module"] = accel::pe_module_name(pe);
      doc["weight_code_bits"] = accel::weight_code_bits(pe);
      if (args->out.empty())
        doc["verilog"] = verilog;
      else
        doc["file"] = args->out;
      print(json_text(doc));
    } else if (args->out.empty()) {
      print(verilog);
    } else {
      print(fmt::format("{}: module {}", args->out, accel::pe_module_name(pe)));
    }
  };
}

}  // namespace deepnvm::cli
