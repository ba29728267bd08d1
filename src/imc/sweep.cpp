// SPDX-License-Identifier: MIT
// imc_sweep files, the sweep over devices, scales and time steps, and its CSV, JSON and plot.
#include "deepnvm/imc/sweep.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "deepnvm/core/config.h"
#include "deepnvm/core/error.h"
#include "deepnvm/study/hash.h"
#include "deepnvm/workload/idx.h"
#include "deepnvm/workload/zoo.h"

namespace deepnvm::imc {

namespace {

constexpr const char* kDefaultConverters = "imc/converters.yaml";

std::filesystem::path device_path(const std::filesystem::path& data_dir, const std::string& name) {
  return data_dir / "imc" / (name + ".yaml");
}

std::filesystem::path converters_path(const ImcSweepSpec& s, const std::filesystem::path& file,
                                      const std::filesystem::path& data_dir) {
  return s.converters.empty() ? data_dir / kDefaultConverters : file.parent_path() / s.converters;
}

std::filesystem::path data_path(const ImcSweepSpec& s) {
  return s.data.empty() ? std::filesystem::path(kDebianFashionMnistDir) : std::filesystem::path(s.data);
}

// A file's contents, hashed: cache keys follow what the files hold, not their names.
std::string content_hash(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return study::hash_hex(text.str());
}

nlohmann::ordered_json to_json(const MonteCarloResult& m) {
  return {{"accuracy", m.accuracy},
          {"mean", m.mean},
          {"ci95", m.ci95},
          {"energy", m.energy_per_inference},
          {"cell_energy", m.cell_energy_per_inference},
          {"exact", m.exact_accuracy}};
}

MonteCarloResult monte_carlo_from_json(const nlohmann::ordered_json& j) {
  MonteCarloResult m;
  m.accuracy = j.at("accuracy").get<std::vector<double>>();
  m.mean = j.at("mean");
  m.ci95 = j.at("ci95");
  m.energy_per_inference = j.at("energy");
  m.cell_energy_per_inference = j.at("cell_energy");
  m.exact_accuracy = j.at("exact");
  return m;
}

}  // namespace

const Schema<ConverterTable>& ConverterTable::schema() {
  static const Schema<ConverterTable> s = [] {
    Schema<ConverterTable> s("imc_converters", "DAC and ADC energy per conversion step (Walden figure of merit).");
    s.allow_key("kind");
    s.field("source", &ConverterTable::source).desc("Where the figures of merit come from.");
    s.field("adc_fom", &ConverterTable::adc_fom).unit(dim::energy).greater_than(0).desc("ADC energy per step.");
    s.field("dac_fom", &ConverterTable::dac_fom).unit(dim::energy).greater_than(0).desc("DAC energy per step.");
    return s;
  }();
  return s;
}

const Schema<ImcSweepSpec>& ImcSweepSpec::schema() {
  static const Schema<ImcSweepSpec> s = [] {
    Schema<ImcSweepSpec> s("imc_sweep",
                           "A trained network on crossbars: devices x scales x time steps (deepnvm imc sweep).");
    s.allow_key("kind");
    const ImcSweepSpec d;
    s.field("name", &ImcSweepSpec::name).desc("Name of the sweep (output folder).");
    s.field("network", &ImcSweepSpec::network).desc("Workload zoo network the weights belong to.");
    s.field("weights", &ImcSweepSpec::weights).desc("Weight file (deepnvm learn export), relative to this file.");
    s.field("data", &ImcSweepSpec::data).default_value("").desc("Fashion-MNIST folder (default: Debian's).");
    s.field("devices", &ImcSweepSpec::devices).desc("Devices: names of data/imc/*.yaml (pcm, reram, stt_mram, fefet).");
    s.field("converters", &ImcSweepSpec::converters)
        .default_value("")
        .desc("Converter figures of merit (kind imc_converters), relative to this file.");
    s.field("seeds", &ImcSweepSpec::seeds)
        .min(1)
        .max(imc_limits::max_seeds)
        .default_value(d.seeds)
        .desc("Monte-Carlo noise seeds.");
    s.field("images", &ImcSweepSpec::images)
        .min(1)
        .max(imc_limits::max_images)
        .default_value(d.images)
        .desc("Test images used.");
    s.field("calibration_images", &ImcSweepSpec::calibration_images)
        .min(1)
        .max(60000)
        .default_value(d.calibration_images)
        .desc("Training images that set the DAC ranges.");
    s.field("base_seed", &ImcSweepSpec::base_seed).min(0).default_value(d.base_seed).desc("First seed.");
    s.field("tile_rows", &ImcSweepSpec::tile_rows).min(1).max(65536).default_value(d.tile_rows).desc("Tile inputs.");
    s.field("tile_cols", &ImcSweepSpec::tile_cols).min(1).max(65536).default_value(d.tile_cols).desc("Tile outputs.");
    s.field("dac_bits", &ImcSweepSpec::dac_bits)
        .min(0)
        .max(imc_limits::max_converter_bits)
        .default_value(d.dac_bits)
        .desc("DAC bits (0: ideal).");
    s.field("adc_bits", &ImcSweepSpec::adc_bits)
        .min(0)
        .max(imc_limits::max_converter_bits)
        .default_value(d.adc_bits)
        .desc("ADC bits (0: ideal).");
    s.field("adc_headroom", &ImcSweepSpec::adc_headroom)
        .greater_than(0)
        .max(1)
        .default_value(d.adc_headroom)
        .desc("ADC full scale as a fraction of a tile column's largest output.");
    s.field("scale_fraction", &ImcSweepSpec::scale_fraction)
        .greater_than(0)
        .max(1)
        .default_value(d.scale_fraction)
        .desc("k as a fraction of (g_max - g_min) / max|w| per layer: energy is proportional to it.");
    s.field("time_steps", &ImcSweepSpec::time_steps)
        .min(1)
        .max(imc_limits::max_time_steps)
        .default_value(d.time_steps)
        .desc("T of the low-fluctuation decomposition.");
    s.check([](const ImcSweepSpec& spec, const ConfigNode& node) {
      for (const char* key : {"devices", "scale_fraction", "time_steps"}) {
        const std::size_t n = std::string(key) == "devices"          ? spec.devices.size()
                              : std::string(key) == "scale_fraction" ? spec.scale_fraction.size()
                                                                     : spec.time_steps.size();
        if (n == 0) throw ConfigError(where_is(node, key), key, "expected at least one value");
      }
    });
    return s;
  }();
  return s;
}

void check_imc_sweep(const ImcSweepSpec& spec, const std::filesystem::path& spec_file,
                     const std::filesystem::path& data_dir,
                     const std::function<SourceLocation(const std::string& key)>& where) {
  const Registry<NetworkFactory> zoo = builtin_networks();
  if (!zoo.contains(spec.network))
    throw ConfigError(where("network"), "network", "unknown network '{}'; known: {}", spec.network,
                      fmt::join(zoo.names(), ", "));
  for (const std::string& d : spec.devices)
    if (!std::filesystem::is_regular_file(device_path(data_dir, d)))
      throw ConfigError(where("devices"), "devices", "unknown device '{}': no file {}", d,
                        device_path(data_dir, d).string());
  if (!std::filesystem::is_regular_file(spec_file.parent_path() / spec.weights))
    throw ConfigError(where("weights"), "weights", "no such file: {}",
                      (spec_file.parent_path() / spec.weights).string());
  const std::string weights_network = read_weights(spec_file.parent_path() / spec.weights).network;
  if (weights_network != spec.network)
    throw ConfigError(where("weights"), "weights", "the weights are of network '{}', not '{}'", weights_network,
                      spec.network);
  if (!std::filesystem::is_regular_file(converters_path(spec, spec_file, data_dir)))
    throw ConfigError(where("converters"), "converters", "no such file: {}",
                      converters_path(spec, spec_file, data_dir).string());
}

ImcSweepSpec load_imc_sweep(const std::filesystem::path& path, const std::filesystem::path& data_dir) {
  const ConfigNode root = load_config_file(path);
  const auto kind = root.find("kind");
  if (!kind || kind->scalar("kind") != "imc_sweep")
    throw ConfigError(root.location(), "kind", "expected 'kind: imc_sweep' in an in-memory computing sweep file");
  ImcSweepSpec spec = ImcSweepSpec::schema().parse(root);
  check_imc_sweep(spec, path, data_dir, [&](const std::string& key) { return where_is(root, key); });
  return spec;
}

Dataset fashion_mnist_test(const std::filesystem::path& dir, std::int64_t images) {
  const ImageSet test = read_image_set(dir / "t10k-images-idx3-ubyte.gz", dir / "t10k-labels-idx1-ubyte.gz");
  const std::int64_t n = std::min(images, test.count), size = test.rows * test.cols;
  Dataset d;
  d.images.resize(size, n);
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t p = 0; p < size; ++p)
      d.images(p, i) = (static_cast<double>(test.pixels[static_cast<std::size_t>(i * size + p)]) - 128.0) / 128.0;
    d.labels.push_back(test.labels[static_cast<std::size_t>(i)]);
  }
  return d;
}

ImcSweepResult run_imc_sweep(const ImcSweepSpec& spec, const std::filesystem::path& spec_file,
                             const std::filesystem::path& data_dir, unsigned threads,
                             const std::function<void(std::size_t, std::size_t)>& progress,
                             const study::ResultCache& cache) {
  ImcSweepResult r;
  r.spec = spec;
  const WeightFile weights = read_weights(spec_file.parent_path() / spec.weights);
  r.weights_source = weights.source;
  if (weights.network != spec.network)
    throw ConfigError({spec_file.string(), 0}, "network", "the weights are of network '{}', not '{}'", weights.network,
                      spec.network);
  const Network net = zoo_network(spec.network);
  const Dataset test = fashion_mnist_test(data_path(spec), spec.images);
  // DAC ranges from training images: the test set is only measured.
  const ImageSet train =
      read_image_set(data_path(spec) / "train-images-idx3-ubyte.gz", data_path(spec) / "train-labels-idx1-ubyte.gz");
  const std::int64_t size = train.rows * train.cols, cal = std::min(spec.calibration_images, train.count);
  Matrix calibration(size, cal);
  for (std::int64_t i = 0; i < cal; ++i)
    for (std::int64_t p = 0; p < size; ++p)
      calibration(p, i) = (static_cast<double>(train.pixels[static_cast<std::size_t>(i * size + p)]) - 128.0) / 128.0;
  const ConverterTable conv = [&] {
    const ConfigNode root = load_config_file(converters_path(spec, spec_file, data_dir));
    const auto kind = root.find("kind");
    if (!kind || kind->scalar("kind") != "imc_converters")
      throw ConfigError(root.location(), "kind", "expected 'kind: imc_converters' in a converter table");
    return ConverterTable::schema().parse(root);
  }();

  // What every point's cache key shares: the inputs' contents and the settings the sweep holds fixed.
  const nlohmann::ordered_json common_key{{"network", spec.network},
                                          {"weights", content_hash(spec_file.parent_path() / spec.weights)},
                                          {"converters", content_hash(converters_path(spec, spec_file, data_dir))},
                                          {"data", std::filesystem::absolute(data_path(spec)).string()},
                                          {"images", spec.images},
                                          {"calibration_images", spec.calibration_images},
                                          {"seeds", spec.seeds},
                                          {"base_seed", spec.base_seed},
                                          {"tiles", {spec.tile_rows, spec.tile_cols}},
                                          {"bits", {spec.dac_bits, spec.adc_bits}},
                                          {"adc_headroom", spec.adc_headroom}};
  const std::size_t total = spec.devices.size() * spec.scale_fraction.size() * spec.time_steps.size();
  for (const std::string& name : spec.devices) {
    const ImcDevice device = load_imc_device(device_path(data_dir, name));
    const std::string device_hash = content_hash(device_path(data_dir, name));
    for (const double fraction : spec.scale_fraction)
      for (const std::int64_t steps : spec.time_steps) {
        AnalogOptions o;
        o.scale_fraction = fraction;
        o.crossbar.tile_rows = spec.tile_rows;
        o.crossbar.tile_cols = spec.tile_cols;
        o.crossbar.dac = {static_cast<int>(spec.dac_bits),
                          conv.dac_fom * std::ldexp(1.0, static_cast<int>(spec.dac_bits))};
        o.crossbar.adc = {static_cast<int>(spec.adc_bits),
                          conv.adc_fom * std::ldexp(1.0, static_cast<int>(spec.adc_bits))};
        o.crossbar.adc_headroom = spec.adc_headroom;
        o.crossbar.time_steps = static_cast<int>(steps);
        o.crossbar.single_precision = true;
        ImcPoint p;
        p.device = name;
        p.scale_fraction = fraction;
        p.time_steps = steps;
        nlohmann::ordered_json key = common_key;
        key["device"] = device_hash;
        key["scale_fraction"] = fraction;
        key["time_steps"] = steps;
        const auto stored = cache.get("imc_point", key);
        bool found = false;
        if (stored) {
          try {  // an entry edited by hand is a miss, not a crash
            p.result = monte_carlo_from_json(*stored);
            found = true;
          } catch (const nlohmann::json::exception&) {
          }
        }
        if (!found) {
          const AnalogNetwork analog(net, weights, device, o, calibration);
          p.result = monte_carlo(analog, test, static_cast<int>(spec.seeds), static_cast<std::uint64_t>(spec.base_seed),
                                 threads);
          cache.put("imc_point", key, to_json(p.result));
        }
        p.recovered = p.result.mean >= p.result.exact_accuracy - 0.01;
        r.points.push_back(std::move(p));
        if (progress) progress(r.points.size(), total);
      }
  }
  return r;
}

std::string imc_csv(const ImcSweepResult& r) {
  std::string out =
      "network,device,scale_fraction,time_steps,seeds,accuracy_mean,accuracy_ci95,accuracy_min,accuracy_max,"
      "noise_free_accuracy,recovered,energy_per_inference_j,cell_energy_per_inference_j\n";
  for (const ImcPoint& p : r.points) {
    const auto [lo, hi] = std::minmax_element(p.result.accuracy.begin(), p.result.accuracy.end());
    out += fmt::format("{},{},{:.6g},{},{},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{},{:.6g},{:.6g}\n", r.spec.network,
                       p.device, p.scale_fraction, p.time_steps, p.result.accuracy.size(), p.result.mean, p.result.ci95,
                       *lo, *hi, p.result.exact_accuracy, p.recovered ? 1 : 0, p.result.energy_per_inference,
                       p.result.cell_energy_per_inference);
  }
  return out;
}

nlohmann::ordered_json to_json(const ImcSweepResult& r) {
  nlohmann::ordered_json j{{"name", r.spec.name},
                           {"network", r.spec.network},
                           {"weights_source", r.weights_source},
                           {"images", r.spec.images},
                           {"seeds", r.spec.seeds},
                           {"model_note",
                            "Reconstructed noise and energy model (docs/models/imc.md); the paper's own equations "
                            "were not available."}};
  auto& points = j["points"] = nlohmann::ordered_json::array();
  for (const ImcPoint& p : r.points)
    points.push_back({{"device", p.device},
                      {"scale_fraction", p.scale_fraction},
                      {"time_steps", p.time_steps},
                      {"accuracy_mean", p.result.mean},
                      {"accuracy_ci95", p.result.ci95},
                      {"accuracy_per_seed", p.result.accuracy},
                      {"noise_free_accuracy", p.result.exact_accuracy},
                      {"recovered", p.recovered},
                      {"energy_per_inference_j", p.result.energy_per_inference},
                      {"cell_energy_per_inference_j", p.result.cell_energy_per_inference}});
  return j;
}

std::vector<study::Plot> imc_plots(const ImcSweepResult& r) {
  std::string dat, series;
  std::size_t block = 0;
  for (const std::string& device : r.spec.devices)
    for (const std::int64_t steps : r.spec.time_steps) {
      dat += fmt::format("# {} T={}: energy per inference (nJ), accuracy (%), 95 % half-width (%)\n", device, steps);
      for (const ImcPoint& p : r.points)
        if (p.device == device && p.time_steps == steps)
          dat += fmt::format("{:.6g} {:.6g} {:.6g}\n", p.result.energy_per_inference * 1e9, p.result.mean * 100,
                             p.result.ci95 * 100);
      dat += "\n\n";
      series += fmt::format("{}datafile index {} using 1:2:3 with yerrorlines title \"{} T={}\", \\\n",
                            block ? "     " : "plot ", block, device, steps);
      ++block;
    }
  const double exact = r.points.empty() ? 0.0 : r.points.front().result.exact_accuracy * 100;
  series += fmt::format(
      "     {:.6g} with lines dt 2 lc rgb \"black\" title \"noise-free\", {:.6g} with lines dt 3 lc rgb "
      "\"gray\" title \"noise-free - 1 pp\"\n",
      exact, exact - 1);
  const std::string name = "imc_" + r.spec.name;
  return {study::gnuplot_plot(
      name,
      fmt::format("{}: accuracy against energy per inference on crossbars ({} seeds)", r.spec.network, r.spec.seeds),
      dat, 900, 600,
      fmt::format("datafile = \"{}.dat\"\nset logscale x\nset grid\nset key outside right\n"
                  "set xlabel \"energy per inference (nJ)\"\nset ylabel \"test accuracy (%)\"\nset title \"{}\"\n",
                  name, r.spec.network),
      series, "deepnvm imc sweep")};
}

void register_builtin_imc_sweep(Registry<InputKind>& kinds) {
  kinds.add("imc_sweep", ImcSweepSpec::schema().info().description, input_kind_of<ImcSweepSpec>());
  kinds.add("imc_converters", ConverterTable::schema().info().description, input_kind_of<ConverterTable>());
}

}  // namespace deepnvm::imc
