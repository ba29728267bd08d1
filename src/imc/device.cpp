// SPDX-License-Identifier: MIT
// imc_device files: the device as an analog weight, with its cited noise terms.
#include "deepnvm/imc/device.h"

#include "deepnvm/core/config.h"
#include "deepnvm/core/error.h"

namespace deepnvm::imc {

const Schema<RtnNoise>& RtnNoise::schema() {
  static const Schema<RtnNoise> s = [] {
    Schema<RtnNoise> s("rtn noise", "Random telegraph noise: one two-state trap per cell.");
    s.field("amplitude", &RtnNoise::amplitude).min(0).max(1).default_value(0).desc("Relative drop of G when occupied.");
    s.field("capture_rate", &RtnNoise::capture_rate)
        .unit(dim::frequency)
        .min(0)
        .default_value(0)
        .desc("Empty -> occupied rate.");
    s.field("emission_rate", &RtnNoise::emission_rate)
        .unit(dim::frequency)
        .min(0)
        .default_value(0)
        .desc("Occupied -> empty rate.");
    return s;
  }();
  return s;
}

const Schema<DriftNoise>& DriftNoise::schema() {
  static const Schema<DriftNoise> s = [] {
    Schema<DriftNoise> s("drift", "Conductance drift G (t/t0)^-nu.");
    s.field("nu", &DriftNoise::nu).min(0).max(1).default_value(0).desc("Mean drift exponent.");
    s.field("nu_sigma", &DriftNoise::nu_sigma).min(0).max(1).default_value(0).desc("Spread of the exponent per cell.");
    s.field("t0", &DriftNoise::t0).unit(dim::time).greater_than(0).default_value(1.0).desc("Reference time.");
    s.field("time", &DriftNoise::time).unit(dim::time).min(0).default_value(0).desc("Evaluation time (0: no drift).");
    s.field("compensated", &DriftNoise::compensated)
        .default_value(true)
        .desc("Rescale outputs by the mean drift factor (global drift compensation).");
    return s;
  }();
  return s;
}

const Schema<ImcDevice>& ImcDevice::schema() {
  static const Schema<ImcDevice> s = [] {
    Schema<ImcDevice> s("imc_device", "An emerging-memory device as an analog weight, with its read noise.");
    s.allow_key("kind");
    s.field("name", &ImcDevice::name).desc("Technology name.");
    s.field("source", &ImcDevice::source).desc("Where every number comes from.");
    s.field("g_min", &ImcDevice::g_min).unit(dim::conductance).min(0).desc("Lowest programmable conductance.");
    s.field("g_max", &ImcDevice::g_max)
        .unit(dim::conductance)
        .greater_than(0)
        .desc("Highest programmable conductance.");
    s.field("read_voltage", &ImcDevice::read_voltage)
        .unit(dim::voltage)
        .greater_than(0)
        .desc("Full-scale read voltage.");
    s.field("read_time", &ImcDevice::read_time).unit(dim::time).greater_than(0).desc("Duration of one read.");
    s.field("additive", &ImcDevice::additive)
        .unit(dim::conductance)
        .min(0)
        .default_value(0)
        .desc("Additive read noise sigma.");
    s.field("proportional", &ImcDevice::proportional)
        .min(0)
        .max(1)
        .default_value(0)
        .desc("Proportional read noise sigma (relative to G).");
    s.field("shot", &ImcDevice::shot)
        .unit(dim::conductance)
        .min(0)
        .default_value(0)
        .desc("Shot-like read noise: variance = shot x G.");
    s.field("rtn", &ImcDevice::rtn).default_value(RtnNoise{}).desc("Random telegraph noise.");
    s.field("programming", &ImcDevice::programming)
        .min(0)
        .max(2)
        .default_value(0)
        .desc("Log-normal programming spread (sigma of ln G).");
    s.field("drift", &ImcDevice::drift).default_value(DriftNoise{}).desc("Conductance drift.");
    s.check([](const ImcDevice& d, const ConfigNode& node) {
      if (d.g_min >= d.g_max) {
        const auto at = node.find("g_min");
        throw ConfigError(at ? at->location() : node.location(), "g_min", "expected g_min below g_max ({} S)", d.g_max);
      }
    });
    return s;
  }();
  return s;
}

ImcDevice load_imc_device(const std::filesystem::path& path) {
  const ConfigNode root = load_config_file(path);
  const auto kind = root.find("kind");
  if (!kind || kind->scalar("kind") != "imc_device")
    throw ConfigError(root.location(), "kind", "expected 'kind: imc_device' in an in-memory computing device file");
  return ImcDevice::schema().parse(root);
}

void register_builtin_imc(Registry<InputKind>& kinds) {
  kinds.add("imc_device", ImcDevice::schema().info().description, input_kind_of<ImcDevice>());
}

}  // namespace deepnvm::imc
