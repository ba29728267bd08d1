// SPDX-License-Identifier: MIT
#include "deepnvm/array/nvsim_config.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "deepnvm/core/config.h"
#include "deepnvm/core/error.h"
#include "deepnvm/core/text.h"

namespace deepnvm {
namespace {

// ---------------------------------------------------------------------------------------------
// Enum spellings. NVSim compares with strcmp, so spellings are case-sensitive; where NVSim maps an
// unknown word to some default (an unknown roadmap silently becomes LOP, "yes" becomes No), we
// reject it instead and suggest the closest spelling.

constexpr std::array<std::pair<std::string_view, DesignTarget>, 3> kDesignTargets{
    {{"RAM", DesignTarget::ram}, {"cache", DesignTarget::cache}, {"CAM", DesignTarget::cam}}};
constexpr std::array<std::pair<std::string_view, OptimizationTarget>, 9> kOptimizationTargets{
    {{"ReadLatency", OptimizationTarget::read_latency},
     {"WriteLatency", OptimizationTarget::write_latency},
     {"ReadDynamicEnergy", OptimizationTarget::read_energy},
     {"WriteDynamicEnergy", OptimizationTarget::write_energy},
     {"ReadEDP", OptimizationTarget::read_edp},
     {"WriteEDP", OptimizationTarget::write_edp},
     {"LeakagePower", OptimizationTarget::leakage},
     {"Area", OptimizationTarget::area},
     // NVSim maps every other word to full exploration; its sample nvsim.cfg spells it so.
     {"Exploration", OptimizationTarget::exploration}}};
constexpr std::array<std::pair<std::string_view, DeviceRoadmap>, 3> kRoadmaps{
    {{"HP", DeviceRoadmap::hp}, {"LSTP", DeviceRoadmap::lstp}, {"LOP", DeviceRoadmap::lop}}};
// NVSim has no spelling for its default normal write (any other word selects it); we accept "Normal".
constexpr std::array<std::pair<std::string_view, WriteScheme>, 6> kWriteSchemes{
    {{"Normal", WriteScheme::normal},
     {"SetBeforeReset", WriteScheme::set_before_reset},
     {"ResetBeforeSet", WriteScheme::reset_before_set},
     {"EraseBeforeSet", WriteScheme::erase_before_set},
     {"EraseBeforeReset", WriteScheme::erase_before_reset},
     {"WriteAndVerify", WriteScheme::write_and_verify}}};
constexpr std::array<std::pair<std::string_view, CacheAccessMode>, 3> kAccessModes{
    {{"Normal", CacheAccessMode::normal},
     {"Sequential", CacheAccessMode::sequential},
     {"Fast", CacheAccessMode::fast}}};
constexpr std::array<std::pair<std::string_view, WireType>, 6> kWireTypes{
    {{"LocalAggressive", WireType::local_aggressive},
     {"LocalConservative", WireType::local_conservative},
     {"SemiAggressive", WireType::semi_aggressive},
     {"SemiConservative", WireType::semi_conservative},
     {"GlobalAggressive", WireType::global_aggressive},
     {"GlobalConservative", WireType::global_conservative}}};
constexpr std::array<std::pair<std::string_view, RepeaterType>, 8> kRepeaters{
    {{"RepeatedNone", RepeaterType::none},
     {"RepeatedOpt", RepeaterType::optimal},
     {"Repeated5%Penalty", RepeaterType::penalty_5},
     {"Repeated10%Penalty", RepeaterType::penalty_10},
     {"Repeated20%Penalty", RepeaterType::penalty_20},
     {"Repeated30%Penalty", RepeaterType::penalty_30},
     {"Repeated40%Penalty", RepeaterType::penalty_40},
     {"Repeated50%Penalty", RepeaterType::penalty_50}}};
constexpr std::array<std::pair<std::string_view, BufferDesignStyle>, 3> kBufferStyles{
    {{"latency", BufferDesignStyle::latency},
     {"balance", BufferDesignStyle::balance},
     {"area", BufferDesignStyle::area}}};
constexpr std::array<std::pair<std::string_view, Routing>, 2> kRoutings{
    {{"H-tree", Routing::h_tree}, {"non-H-tree", Routing::non_h_tree}}};
constexpr std::array<std::pair<std::string_view, bool>, 2> kYesNo{{{"Yes", true}, {"No", false}}};
constexpr std::array<std::pair<std::string_view, bool>, 2> kTrueFalse{{{"true", true}, {"false", false}}};

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<std::string_view, E>, N>& table, E value) {
  for (const auto& [name, v] : table)
    if (v == value) return name;
  return "?";
}

// ---------------------------------------------------------------------------------------------
// Keys, spelled with their unit exactly as NVSim's sscanf formats expect. NVSim matches the line's
// prefix up to the unit (strncmp with "-WordWidth") and then scans with the full format, so a
// unit typo is silently a zero or an uninitialised value there; here it is an error.

constexpr std::string_view kCapacityB = "Capacity (B)";
constexpr std::string_view kCapacityKB = "Capacity (KB)";
constexpr std::string_view kCapacityMB = "Capacity (MB)";
constexpr std::string_view kWordWidth = "WordWidth (bit)";
constexpr std::string_view kAssociativity = "Associativity (for cache only)";
constexpr std::string_view kTemperature = "Temperature (K)";
constexpr std::string_view kMaxDriverCurrent = "MaxDriverCurrent (uA)";
constexpr std::string_view kMaxNmosSize = "MaxNmosSize (F)";
constexpr std::string_view kForceBank = "ForceBank (Total AxB, Active CxD)";
constexpr std::string_view kForceMat = "ForceMat (Total AxB, Active CxD)";
constexpr std::string_view kFlashPageSize = "FlashPageSize (Byte)";
constexpr std::string_view kFlashBlockSize = "FlashBlockSize (KB)";

// The constraint keys and where each lands.
constexpr std::array<std::pair<std::string_view, std::optional<double> NvsimConstraints::*>, 8> kConstraintKeys{
    {{"ApplyReadLatencyConstraint", &NvsimConstraints::read_latency},
     {"ApplyWriteLatencyConstraint", &NvsimConstraints::write_latency},
     {"ApplyReadDynamicEnergyConstraint", &NvsimConstraints::read_energy},
     {"ApplyWriteDynamicEnergyConstraint", &NvsimConstraints::write_energy},
     {"ApplyLeakageConstraint", &NvsimConstraints::leakage},
     {"ApplyAreaConstraint", &NvsimConstraints::area},
     {"ApplyReadEdpConstraint", &NvsimConstraints::read_edp},
     {"ApplyWriteEdpConstraint", &NvsimConstraints::write_edp}}};

// Keys NVSim's own sample configurations carry that NVSim never reads (sample_PCRAM.cfg has
// `-Optimization: latency`; no reader prefix matches it). Accepted with a warning.
const std::vector<std::string> kIgnoredKeys{"Optimization"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string base_name(std::string_view key) { return std::string(trim(key.substr(0, key.find('(')))); }

// State of one read: the config being filled and where each key was seen.
class Reader {
 public:
  Reader(std::string_view text, const std::filesystem::path& file) : text_(text), file_(file.string()), path_(file) {
    install_keys();
  }

  NvsimConfig run() {
    if (const auto bad = find_invalid_utf8(text_))
      throw ConfigError({file_, 0}, "", "invalid UTF-8 (byte {}): expected a text file", *bad + 1);
    std::size_t line_no = 0;
    std::istringstream in{std::string(text_)};
    for (std::string raw; std::getline(in, raw);) {
      ++line_no;
      read_line(raw, line_no);
    }
    finish();
    return std::move(cfg_);
  }

 private:
  using Handler = std::function<void(std::string_view value, const SourceLocation& at, const std::string& key)>;

  void read_line(std::string_view raw, std::size_t line_no) {
    const std::string_view line = trim(raw);
    // NVSim skips lines that match no key; its samples comment with '//' and '#'.
    if (line.empty() || line.starts_with("//") || line.starts_with('#')) return;
    const SourceLocation at{file_, line_no};
    const auto colon = line.find(':');
    if (!line.starts_with('-') || colon == std::string_view::npos)
      throw ConfigError(at, "", "expected '-Key: value' or a '//' or '#' comment, got '{}'", line);
    const std::string_view key_raw = line.substr(1, colon - 1);
    const std::string key(trim(key_raw));
    // NVSim's formats are "-Key: %s": a space before the colon or after the dash makes its scan fail.
    if (key.size() != key_raw.size())
      throw ConfigError(at, key, "no space allowed between '-', the key and ':' (NVSim would not read the value)");
    const std::string_view value = trim(line.substr(colon + 1));

    if (std::find(kIgnoredKeys.begin(), kIgnoredKeys.end(), key) != kIgnoredKeys.end()) {
      cfg_.ignored_keys.push_back(key);
      cfg_.warnings.push_back(fmt::format("{}: {} ignored (NVSim ignores it too)", at.to_string(), key));
      return;
    }
    const auto handler = handlers_.find(key);
    if (handler == handlers_.end()) unknown_key(key, at);
    // Capacity has three spellings for one setting: a second one is a duplicate too.
    const std::string slot = key.starts_with("Capacity (") ? std::string("Capacity") : key;
    if (const auto seen = seen_.find(slot); seen != seen_.end())
      throw ConfigError(at, key, "duplicate key (first given on line {}{})", seen->second.first,
                        seen->second.second == key ? "" : fmt::format(" as '-{}'", seen->second.second));
    seen_[slot] = {line_no, key};
    if (value.empty()) throw ConfigError(at, key, "missing value after ':'");
    handler->second(value, at, key);
  }

  [[noreturn]] void unknown_key(const std::string& key, const SourceLocation& at) const {
    // The same name with another (or no) unit is the likeliest mistake: say which spelling NVSim reads.
    std::vector<std::string> same_name;
    for (const auto& k : key_names_)
      if (base_name(k) == base_name(key)) same_name.push_back("-" + k);
    if (same_name.size() == 1 && same_name[0].find('(') == std::string::npos)
      throw ConfigError(at, key, "wrong unit: NVSim reads this key without a unit, as '{}'", same_name[0]);
    if (!same_name.empty())
      throw ConfigError(at, key, "wrong unit: NVSim reads this key only as {}", quoted_list(same_name));
    throw ConfigError(at, key, "unknown NVSim configuration key{}", did_you_mean(key, key_names_));
  }

  // ----- value parsers -------------------------------------------------------------------------

  // One word: NVSim's "%s" stops at the first blank, so anything after it would be dropped silently.
  static std::string_view word(std::string_view value, const SourceLocation& at, const std::string& key) {
    if (value.find_first_of(" \t") != std::string_view::npos)
      throw ConfigError(at, key, "'{}' has a blank: NVSim reads only the first word", value);
    return value;
  }

  template <typename E, std::size_t N>
  static E one_of(const std::array<std::pair<std::string_view, E>, N>& table, std::string_view value,
                  const SourceLocation& at, const std::string& key) {
    for (const auto& [name, v] : table)
      if (name == value) return v;
    std::vector<std::string> names;
    for (const auto& [name, v] : table) names.emplace_back(name);
    throw ConfigError(at, key, "'{}' is not one of {}{}", value, quoted_list(names), did_you_mean(value, names));
  }

  // A whole number as NVSim's %d / %ld reads it, but the whole value must be the number.
  static std::int64_t whole(std::string_view value, const SourceLocation& at, const std::string& key) {
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec == std::errc::result_out_of_range)
      throw ConfigError(at, key, "{} is not representable: NVSim reads it as a 64-bit integer", value);
    if (ec != std::errc{} || ptr != value.data() + value.size())
      throw ConfigError(at, key, "expected a whole number, got '{}'", value);
    return v;
  }

  static std::int64_t positive_whole(std::string_view value, const SourceLocation& at, const std::string& key) {
    const std::int64_t v = whole(value, at, key);
    if (v <= 0) throw ConfigError(at, key, "must be positive, got {}", value);
    return v;
  }

  // NVSim scans these with %d into an int.
  static int positive_int(std::string_view value, const SourceLocation& at, const std::string& key) {
    const std::int64_t v = positive_whole(value, at, key);
    if (v > std::numeric_limits<int>::max())
      throw ConfigError(at, key, "{} is not representable: NVSim reads it as a 32-bit int", value);
    return static_cast<int>(v);
  }

  static double number(std::string_view value, const SourceLocation& at, const std::string& key) {
    double v = 0.0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc{} || ptr != value.data() + value.size() || !std::isfinite(v))
      throw ConfigError(at, key, "expected a number, got '{}'", value);
    return v;
  }

  // "AxB, CxD" (NVSim: "%dx%d, %dx%d"; blanks around the comma are free in sscanf, so here too).
  static ForcedGrid grid(std::string_view value, const SourceLocation& at, const std::string& key) {
    std::string compact;
    for (const char c : value)
      if (c != ' ' && c != '\t') compact += c;
    const auto fail = [&]() -> ConfigError {
      return ConfigError(at, key, "expected 'AxB, CxD' (A x B in total, C x D active), got '{}'", value);
    };
    const auto comma = compact.find(',');
    if (comma == std::string::npos) throw fail();
    const auto pair = [&](std::string_view part) -> std::pair<int, int> {
      const auto x = part.find('x');
      if (x == std::string_view::npos) throw fail();
      for (const auto piece : {part.substr(0, x), part.substr(x + 1)})
        if (piece.empty() || piece.find_first_not_of("0123456789") != std::string_view::npos) throw fail();
      return {positive_int(part.substr(0, x), at, key), positive_int(part.substr(x + 1), at, key)};
    };
    const auto [rows, columns] = pair(std::string_view(compact).substr(0, comma));
    const auto [active_rows, active_columns] = pair(std::string_view(compact).substr(comma + 1));
    if (active_rows > rows || active_columns > columns)
      throw ConfigError(at, key, "active {}x{} exceeds the total {}x{}", active_rows, active_columns, rows, columns);
    return {rows, columns, active_rows, active_columns};
  }

  // ----- the key table ---------------------------------------------------------------------------

  void on(std::string_view key, Handler h) {
    key_names_.emplace_back(key);
    handlers_.emplace(std::string(key), std::move(h));
  }

  void install_keys() {
    on("DesignTarget", [this](auto v, const auto& at, const auto& k) {
      cfg_.design_target = one_of(kDesignTargets, word(v, at, k), at, k);
    });
    on("OptimizationTarget", [this](auto v, const auto& at, const auto& k) {
      cfg_.optimization_target = one_of(kOptimizationTargets, word(v, at, k), at, k);
    });
    on("OutputFilePrefix", [this](auto v, const auto& at, const auto& k) { cfg_.output_file_prefix = word(v, at, k); });
    on("ProcessNode", [this](auto v, const auto& at, const auto& k) {
      // NVSim reads whole nanometres (%d); we keep metres, computed exactly this way everywhere.
      cfg_.process_node = static_cast<double>(positive_int(v, at, k)) * 1e-9;
    });
    const auto capacity = [this](std::int64_t scale) {
      return [this, scale](auto v, const auto& at, const auto& k) {
        const std::int64_t n = positive_whole(v, at, k);
        // NVSim keeps the capacity in a 64-bit long and later counts its bits: both must fit.
        constexpr std::int64_t kMaxBytes = std::numeric_limits<std::int64_t>::max() / 8;
        if (n > kMaxBytes / scale)
          throw ConfigError(at, k, "{} is not representable: the capacity in bits must fit in 64 bits", v);
        cfg_.capacity = static_cast<std::uint64_t>(n * scale);
        capacity_line_ = at.line;
      };
    };
    on(kCapacityB, capacity(1));
    on(kCapacityKB, capacity(1024));  // NVSim: cap * 1024, binary despite the "KB"
    on(kCapacityMB, capacity(1024 * 1024));
    on(kWordWidth, [this](auto v, const auto& at, const auto& k) {
      cfg_.word_width = static_cast<std::uint64_t>(positive_whole(v, at, k));
      word_width_line_ = at.line;
    });
    on(kAssociativity, [this](auto v, const auto& at, const auto& k) { cfg_.associativity = positive_int(v, at, k); });
    on(kTemperature, [this](auto v, const auto& at, const auto& k) {
      cfg_.temperature = static_cast<double>(positive_int(v, at, k));  // NVSim: %d kelvin
    });
    on(kMaxDriverCurrent, [this](auto v, const auto& at, const auto& k) {
      const double x = number(v, at, k);
      if (x <= 0.0) throw ConfigError(at, k, "must be positive, got {}", v);
      cfg_.max_driver_current = x / 1e6;  // uA -> A, dividing as NVSim does
      cfg_.warnings.push_back(
          fmt::format("{}: {} is parsed but never used by NVSim (array-model note Q31)", at.to_string(), k));
    });
    on("DeviceRoadmap", [this](auto v, const auto& at, const auto& k) {
      cfg_.device_roadmap = one_of(kRoadmaps, word(v, at, k), at, k);
    });
    on("WriteScheme", [this](auto v, const auto& at, const auto& k) {
      cfg_.write_scheme = one_of(kWriteSchemes, word(v, at, k), at, k);
    });
    on("CacheAccessMode", [this](auto v, const auto& at, const auto& k) {
      cfg_.cache_access_mode = one_of(kAccessModes, word(v, at, k), at, k);
    });
    for (const auto& entry : {std::pair{std::string("Local"), &NvsimConfig::local_wire},
                              std::pair{std::string("Global"), &NvsimConfig::global_wire}}) {
      const std::string& prefix = entry.first;
      WireSetting NvsimConfig::*wire = entry.second;
      on(prefix + "WireType", [this, wire](auto v, const auto& at, const auto& k) {
        (cfg_.*wire).type = one_of(kWireTypes, word(v, at, k), at, k);
      });
      on(prefix + "WireRepeaterType", [this, wire](auto v, const auto& at, const auto& k) {
        (cfg_.*wire).repeater = one_of(kRepeaters, word(v, at, k), at, k);
      });
      on(prefix + "WireUseLowSwing", [this, wire](auto v, const auto& at, const auto& k) {
        (cfg_.*wire).low_swing = one_of(kYesNo, word(v, at, k), at, k);
      });
    }
    on("Routing",
       [this](auto v, const auto& at, const auto& k) { cfg_.routing = one_of(kRoutings, word(v, at, k), at, k); });
    on("InternalSensing", [this](auto v, const auto& at, const auto& k) {
      cfg_.internal_sensing = one_of(kTrueFalse, word(v, at, k), at, k);
    });
    on("MemoryCellInputFile", [this](auto v, const auto& at, const auto& k) {
      cfg_.cell_file_as_written = std::string(word(v, at, k));
      const std::filesystem::path cell(cfg_.cell_file_as_written);
      // Relative to the .cfg, so a configuration and its cell travel together (NVSim uses its
      // working directory instead).
      cfg_.cell_file = cell.is_absolute() ? cell : (path_.parent_path() / cell).lexically_normal();
    });
    on(kMaxNmosSize, [this](auto v, const auto& at, const auto& k) {
      const double x = number(v, at, k);
      if (x <= 0.0) throw ConfigError(at, k, "must be positive, got {}", v);
      cfg_.max_nmos_size = x;
    });
    on(kForceBank, [this](auto v, const auto& at, const auto& k) { cfg_.force_bank = grid(v, at, k); });
    on(kForceMat, [this](auto v, const auto& at, const auto& k) { cfg_.force_mat = grid(v, at, k); });
    on("ForceMuxSenseAmp",
       [this](auto v, const auto& at, const auto& k) { cfg_.force_mux_sense_amp = positive_int(v, at, k); });
    on("ForceMuxOutputLev1",
       [this](auto v, const auto& at, const auto& k) { cfg_.force_mux_output_lev1 = positive_int(v, at, k); });
    on("ForceMuxOutputLev2",
       [this](auto v, const auto& at, const auto& k) { cfg_.force_mux_output_lev2 = positive_int(v, at, k); });
    on("UseCactiAssumption", [this](auto v, const auto& at, const auto& k) {
      cfg_.use_cacti_assumption = one_of(kYesNo, word(v, at, k), at, k);
      // NVSim writes the bounds when this line is read (quirk Q3): it overrides earlier Force lines.
      cfg_.cacti_assumption_after_force_bank = cfg_.use_cacti_assumption && cfg_.force_bank.has_value();
      cfg_.cacti_assumption_after_force_mat = cfg_.use_cacti_assumption && cfg_.force_mat.has_value();
      for (const auto& [flag, force_key] : {std::pair{cfg_.cacti_assumption_after_force_bank, kForceBank},
                                            std::pair{cfg_.cacti_assumption_after_force_mat, kForceMat}})
        if (flag)
          cfg_.warnings.push_back(
              fmt::format("{}: {} overrides the active part of -{} on line {} (NVSim applies them in file order)",
                          at.to_string(), k, force_key, seen_.at(std::string(force_key)).first));
    });
    on("EnablePruning",
       [this](auto v, const auto& at, const auto& k) { cfg_.enable_pruning = one_of(kYesNo, word(v, at, k), at, k); });
    on("BufferDesignOptimization", [this](auto v, const auto& at, const auto& k) {
      cfg_.buffer_design = one_of(kBufferStyles, word(v, at, k), at, k);
    });
    on(kFlashPageSize, [this](auto v, const auto& at, const auto& k) {
      cfg_.flash_page_size = static_cast<std::uint64_t>(positive_whole(v, at, k));
    });
    on(kFlashBlockSize, [this](auto v, const auto& at, const auto& k) {
      const std::int64_t n = positive_whole(v, at, k);
      if (n > std::numeric_limits<std::int64_t>::max() / (8 * 1024))
        throw ConfigError(at, k, "{} is not representable: NVSim counts the block's bits in 64 bits", v);
      cfg_.flash_block_size = static_cast<std::uint64_t>(n) * 1024;
    });
    for (const auto& entry : kConstraintKeys) {
      const auto member = entry.second;  // clang 14 cannot capture a structured binding
      on(entry.first, [this, member](auto v, const auto& at, const auto& k) {
        const double x = number(v, at, k);
        if (x < 0.0) throw ConfigError(at, k, "must not be negative (a fraction above the best value), got {}", v);
        cfg_.constraints.*member = x;
      });
    }
  }

  void finish() {
    const SourceLocation whole_file{file_, 0};
    std::vector<std::string> missing;
    const auto need = [&](std::string_view slot, std::string_view spelled) {
      if (!seen_.contains(std::string(slot))) missing.emplace_back(spelled);
    };
    // NVSim leaves these uninitialised (or cannot open a cell) when they are absent.
    need("Capacity", "-Capacity (B|KB|MB)");
    need(kWordWidth, "-WordWidth (bit)");
    need("DeviceRoadmap", "-DeviceRoadmap");
    need(kTemperature, "-Temperature (K)");
    need("MemoryCellInputFile", "-MemoryCellInputFile");
    // NVSim would default a cache to one way; a cache without its associativity is a mistake.
    if (cfg_.design_target == DesignTarget::cache) need(kAssociativity, "-Associativity (for cache only)");
    if (!missing.empty()) {
      std::string first = missing.front().substr(1);
      if (first.starts_with("Capacity")) first = "Capacity";
      throw ConfigError(whole_file, first, "missing required key{}: {}", missing.size() > 1 ? "s" : "",
                        fmt::format("{}", fmt::join(missing, ", ")));
    }
    if (cfg_.design_target == DesignTarget::cache && cfg_.word_width % 8 != 0)
      throw ConfigError({file_, word_width_line_}, std::string(kWordWidth),
                        "a cache's word width is its line and must be whole bytes, got {} bits", cfg_.word_width);
    if (cfg_.capacity * 8 < cfg_.word_width)
      throw ConfigError({file_, capacity_line_}, "Capacity", "{} bytes hold fewer bits than one {}-bit word",
                        cfg_.capacity, cfg_.word_width);
    // Settings NVSim defaults: not silent.
    const auto defaulted = [&](std::string_view key, std::string_view value) {
      if (!seen_.contains(std::string(key)))
        cfg_.warnings.push_back(fmt::format("{}: -{} not given: NVSim's default {}", file_, key, value));
    };
    defaulted("DesignTarget", "cache");
    defaulted("ProcessNode", "90 (nm)");
    defaulted("OptimizationTarget", "ReadLatency");
  }

  std::string_view text_;
  std::string file_;
  std::filesystem::path path_;
  NvsimConfig cfg_;
  std::map<std::string, Handler, std::less<>> handlers_;
  std::vector<std::string> key_names_;
  std::map<std::string, std::pair<std::size_t, std::string>> seen_;  // slot -> (line, key as written)
  std::size_t capacity_line_ = 0;
  std::size_t word_width_line_ = 0;
};

// The shortest decimal that reads back (value * scale, then / scale as the reader does) to `value`.
std::string exact_text(double value, double scale) {
  for (int digits = 1; digits <= 17; ++digits) {
    const std::string s = fmt::format("{:.{}g}", value * scale, digits);
    double back = 0.0;
    std::from_chars(s.data(), s.data() + s.size(), back);
    if (back / scale == value) return s;
  }
  return fmt::format("{:.17g}", value * scale);
}

}  // namespace

std::string_view nvsim_name(DesignTarget v) { return name_of(kDesignTargets, v); }
std::string_view nvsim_name(OptimizationTarget v) { return name_of(kOptimizationTargets, v); }
std::string_view nvsim_name(DeviceRoadmap v) { return name_of(kRoadmaps, v); }
std::string_view nvsim_name(WriteScheme v) { return name_of(kWriteSchemes, v); }
std::string_view nvsim_name(CacheAccessMode v) { return name_of(kAccessModes, v); }
std::string_view nvsim_name(WireType v) { return name_of(kWireTypes, v); }
std::string_view nvsim_name(RepeaterType v) { return name_of(kRepeaters, v); }
std::string_view nvsim_name(BufferDesignStyle v) { return name_of(kBufferStyles, v); }
std::string_view nvsim_name(Routing v) { return name_of(kRoutings, v); }

NvsimConfig read_nvsim_config(std::string_view text, const std::filesystem::path& file) {
  return Reader(text, file).run();
}

NvsimConfig load_nvsim_config(const std::filesystem::path& path) {
  const std::string name = path.string();
  const std::string text = read_input_file(path);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw ConfigError({name, 0}, "", "the file is empty: expected NVSim '-Key: value' lines");
  return read_nvsim_config(text, path);
}

std::string to_nvsim_config(const NvsimConfig& c) {
  std::string out = "// NVSim configuration written by deepnvm\n";
  const auto line = [&](std::string_view key, std::string_view value) { out += fmt::format("-{}: {}\n", key, value); };
  const auto yes_no = [](bool b) { return b ? "Yes" : "No"; };

  line("DesignTarget", nvsim_name(c.design_target));
  line("OptimizationTarget", nvsim_name(c.optimization_target));
  if (c.output_file_prefix != "output") line("OutputFilePrefix", c.output_file_prefix);
  line("EnablePruning", yes_no(c.enable_pruning));

  const auto nm = std::llround(c.process_node * 1e9);
  if (static_cast<double>(nm) * 1e-9 != c.process_node)
    throw ModelError("NVSim reads -ProcessNode in whole nm: {} m cannot be written", c.process_node);
  line("ProcessNode", fmt::format("{}", nm));
  if (c.capacity % (1024 * 1024) == 0)
    line(kCapacityMB, fmt::format("{}", c.capacity / (1024 * 1024)));
  else if (c.capacity % 1024 == 0)
    line(kCapacityKB, fmt::format("{}", c.capacity / 1024));
  else
    line(kCapacityB, fmt::format("{}", c.capacity));
  line(kWordWidth, fmt::format("{}", c.word_width));
  if (c.design_target == DesignTarget::cache || c.associativity != 1)
    line(kAssociativity, fmt::format("{}", c.associativity));
  if (c.design_target == DesignTarget::cache || c.cache_access_mode != CacheAccessMode::normal)
    line("CacheAccessMode", nvsim_name(c.cache_access_mode));
  // NVSim has no spelling for its normal write: leaving the key out selects it.
  if (c.write_scheme != WriteScheme::normal) line("WriteScheme", nvsim_name(c.write_scheme));
  line("DeviceRoadmap", nvsim_name(c.device_roadmap));

  for (const auto& [prefix, wire] : {std::pair{"Local", &c.local_wire}, std::pair{"Global", &c.global_wire}}) {
    if (wire->type) line(fmt::format("{}WireType", prefix), nvsim_name(*wire->type));
    if (wire->repeater) line(fmt::format("{}WireRepeaterType", prefix), nvsim_name(*wire->repeater));
    if (wire->low_swing) line(fmt::format("{}WireUseLowSwing", prefix), yes_no(*wire->low_swing));
  }
  line("Routing", nvsim_name(c.routing));
  line("InternalSensing", c.internal_sensing ? "true" : "false");
  if (c.max_nmos_size != 100.0) line(kMaxNmosSize, exact_text(c.max_nmos_size, 1.0));
  if (c.max_driver_current) line(kMaxDriverCurrent, exact_text(*c.max_driver_current, 1e6));
  line("MemoryCellInputFile", c.cell_file_as_written);

  const auto kelvin = std::llround(c.temperature);
  if (static_cast<double>(kelvin) != c.temperature)
    throw ModelError("NVSim reads -Temperature (K) in whole kelvin: {} K cannot be written", c.temperature);
  line(kTemperature, fmt::format("{}", kelvin));
  if (c.buffer_design) line("BufferDesignOptimization", nvsim_name(*c.buffer_design));
  if (c.flash_page_size) line(kFlashPageSize, fmt::format("{}", *c.flash_page_size));
  if (c.flash_block_size) {
    if (*c.flash_block_size % 1024 != 0)
      throw ModelError("NVSim reads -FlashBlockSize in KB: {} bytes cannot be written", *c.flash_block_size);
    line(kFlashBlockSize, fmt::format("{}", *c.flash_block_size / 1024));
  }

  // Force lines before the CACTI assumption are overridden by it, those after override it (Q3).
  const auto grid = [](const ForcedGrid& g) {
    return fmt::format("{}x{}, {}x{}", g.rows, g.columns, g.active_rows, g.active_columns);
  };
  const bool bank_first = c.use_cacti_assumption && c.cacti_assumption_after_force_bank;
  const bool mat_first = c.use_cacti_assumption && c.cacti_assumption_after_force_mat;
  if (c.force_bank && bank_first) line(kForceBank, grid(*c.force_bank));
  if (c.force_mat && mat_first) line(kForceMat, grid(*c.force_mat));
  if (c.use_cacti_assumption) line("UseCactiAssumption", "Yes");
  if (c.force_bank && !bank_first) line(kForceBank, grid(*c.force_bank));
  if (c.force_mat && !mat_first) line(kForceMat, grid(*c.force_mat));
  if (c.force_mux_sense_amp) line("ForceMuxSenseAmp", fmt::format("{}", *c.force_mux_sense_amp));
  if (c.force_mux_output_lev1) line("ForceMuxOutputLev1", fmt::format("{}", *c.force_mux_output_lev1));
  if (c.force_mux_output_lev2) line("ForceMuxOutputLev2", fmt::format("{}", *c.force_mux_output_lev2));

  for (const auto& [name, member] : kConstraintKeys)
    if (const auto& v = c.constraints.*member) line(name, exact_text(*v, 1.0));
  return out;
}

std::string_view device_flavour(DeviceRoadmap v) {
  switch (v) {
    case DeviceRoadmap::hp:
      return "hp";
    case DeviceRoadmap::lstp:
      return "lstp";
    case DeviceRoadmap::lop:
      return "lop";
  }
  return "hp";
}

}  // namespace deepnvm
