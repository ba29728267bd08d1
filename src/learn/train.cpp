// SPDX-License-Identifier: MIT
#include "deepnvm/learn/train.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <numbers>
#include <optional>
#include <random>
#include <type_traits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "deepnvm/core/atomic_file.h"
#include "deepnvm/core/error.h"
#include "deepnvm/workload/zoo.h"

namespace deepnvm::learn {

namespace {

constexpr const char* kCheckpointFile = "checkpoint.pt";
constexpr int kCurveColumns = 5;

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// The order of epoch `epoch`'s samples: Fisher-Yates with a generator seeded by (seed, epoch) alone,
// so a resumed run needs no loader state. The draw (a 64-bit value modulo i + 1) is written out rather
// than std::uniform_int_distribution, whose algorithm the standard leaves to the library.
torch::Tensor epoch_order(std::int64_t n, std::uint64_t seed, int epoch) {
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(epoch)};
  std::mt19937_64 rng(seq);
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  for (std::int64_t i = n - 1; i > 0; --i)
    std::swap(order[static_cast<std::size_t>(i)],
              order[static_cast<std::size_t>(rng() % static_cast<std::uint64_t>(i + 1))]);
  return torch::tensor(order, torch::kInt64);
}

// Cosine decay from lr at epoch 0 to 0 at `epochs` (Loshchilov & Hutter 2017, SGDR without restarts),
// constant within an epoch: a function of the epoch alone, so resuming restores it.
double epoch_learning_rate(double lr, int epoch, int epochs) {
  return 0.5 * lr * (1 + std::cos(std::numbers::pi * epoch / std::max(1, epochs)));
}

torch::Tensor curve_tensor(const std::vector<EpochRecord>& curve) {
  torch::Tensor t = torch::zeros({static_cast<std::int64_t>(curve.size()), kCurveColumns}, torch::kFloat64);
  auto a = t.accessor<double, 2>();
  for (std::size_t i = 0; i < curve.size(); ++i) {
    const auto r = static_cast<std::int64_t>(i);
    a[r][0] = curve[i].epoch;
    a[r][1] = curve[i].train_loss;
    a[r][2] = curve[i].test_accuracy;
    a[r][3] = curve[i].wall_time;
    a[r][4] = curve[i].total_wall_time;
  }
  return t;
}

std::vector<EpochRecord> curve_from(const torch::Tensor& t) {
  std::vector<EpochRecord> curve;
  const torch::Tensor c = t.to(torch::kFloat64).contiguous();
  if (c.dim() != 2 || c.size(1) != kCurveColumns) return curve;
  auto a = c.accessor<double, 2>();
  for (std::int64_t r = 0; r < c.size(0); ++r)
    curve.push_back({.epoch = static_cast<int>(a[r][0]),
                     .train_loss = a[r][1],
                     .test_accuracy = a[r][2],
                     .wall_time = a[r][3],
                     .total_wall_time = a[r][4]});
  return curve;
}

void save_checkpoint(const std::filesystem::path& path, const TrainOptions& o, const std::string& device_name,
                     double energy_ref, Classifier& model, torch::optim::Adam& optimizer,
                     const std::vector<EpochRecord>& curve) {
  torch::serialize::OutputArchive root, m, opt;
  model->save(m);
  optimizer.save(opt);
  root.write("model", m);
  root.write("optimizer", opt);
  root.write("network", c10::IValue(o.network));
  root.write("quantization", c10::IValue(std::string(quantization_name(o.quantization))));
  root.write("seed", c10::IValue(static_cast<std::int64_t>(o.seed)));
  root.write("planned_epochs", c10::IValue(static_cast<std::int64_t>(o.epochs)));
  root.write("curve", curve_tensor(curve));
  root.write("device", c10::IValue(device_name));
  root.write("scale_fraction", c10::IValue(o.scale_fraction));
  root.write("noise_aware", c10::IValue(o.noise_aware));
  root.write("energy_reg", c10::IValue(o.energy_reg));
  root.write("energy_ref", c10::IValue(energy_ref));
  // Written beside the target and renamed over it: a kill mid-write leaves the previous checkpoint.
  const std::filesystem::path tmp = path.string() + fmt::format(".tmp.{}", getpid());
  try {
    root.save_to(tmp.string());
  } catch (const c10::Error& e) {
    std::filesystem::remove(tmp);
    throw IoError(tmp.string(), fmt::format("cannot write the checkpoint: {}", e.what_without_backtrace()));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw IoError(path.string(), fmt::format("cannot rename the checkpoint into place: {}", ec.message()));
}

struct Loaded {
  Checkpoint checkpoint;
  torch::serialize::InputArchive optimizer;
};

std::string read_string(torch::serialize::InputArchive& a, const char* key) {
  c10::IValue v;
  a.read(key, v);
  return v.toStringRef();
}

std::int64_t read_int(torch::serialize::InputArchive& a, const char* key) {
  c10::IValue v;
  a.read(key, v);
  return v.toInt();
}

// Keys added with the crossbar techniques: a checkpoint written before them has none of them.
template <typename T>
T read_optional(torch::serialize::InputArchive& a, const char* key, T fallback) {
  c10::IValue v;
  if (!a.try_read(key, v)) return fallback;
  if constexpr (std::is_same_v<T, std::string>)
    return v.toStringRef();
  else if constexpr (std::is_same_v<T, bool>)
    return v.toBool();
  else
    return v.toDouble();
}

Loaded load(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw IoError(path.string(), "no such checkpoint");
  try {
    Loaded l;
    torch::serialize::InputArchive root;
    root.load_from(path.string());
    Checkpoint& c = l.checkpoint;
    c.network = read_string(root, "network");
    c.quantization = parse_quantization(read_string(root, "quantization"), {path.string(), 0}, "quantization");
    c.seed = static_cast<std::uint64_t>(read_int(root, "seed"));
    c.planned_epochs = static_cast<int>(read_int(root, "planned_epochs"));
    c.device = read_optional<std::string>(root, "device", "");
    c.scale_fraction = read_optional<double>(root, "scale_fraction", 1.0);
    c.noise_aware = read_optional<bool>(root, "noise_aware", false);
    c.energy_reg = read_optional<double>(root, "energy_reg", 0.0);
    c.energy_ref = read_optional<double>(root, "energy_ref", 0.0);
    torch::Tensor curve;
    root.read("curve", curve);
    c.curve = curve_from(curve);
    c.model = Classifier(zoo_network(c.network), c.quantization);
    torch::serialize::InputArchive m;
    root.read("model", m);
    c.model->load(m);
    root.read("optimizer", l.optimizer);
    return l;
  } catch (const c10::Error& e) {
    throw IoError(path.string(), fmt::format("not a deepnvm-learn checkpoint: {}", e.what_without_backtrace()));
  }
}

void require_match(const std::filesystem::path& path, const char* key, const std::string& got,
                   const std::string& want) {
  if (got != want)
    throw ConfigError({path.string(), 0}, key, "the checkpoint was trained with {} '{}', not '{}': use another --out",
                      key, got, want);
}

}  // namespace

TensorSet to_tensors(const ImageSet& set, std::int64_t limit) {
  const std::int64_t n = limit > 0 ? std::min(limit, set.count) : set.count;
  TensorSet t;
  t.images = torch::from_blob(const_cast<std::uint8_t*>(set.pixels.data()), {n, 1, set.rows, set.cols}, torch::kUInt8)
                 .to(torch::kFloat32)
                 .sub(128.0)
                 .div(128.0);
  t.labels = torch::from_blob(const_cast<std::uint8_t*>(set.labels.data()), {n}, torch::kUInt8).to(torch::kInt64);
  return t;
}

double evaluate(Classifier& model, const TensorSet& set, std::int64_t batch_size) {
  const torch::NoGradGuard no_grad;
  const bool was_training = model->is_training();
  model->eval();
  const std::int64_t n = set.images.size(0);
  std::int64_t correct = 0;
  for (std::int64_t i = 0; i < n; i += batch_size) {
    const std::int64_t end = std::min(n, i + batch_size);
    const torch::Tensor logits = model->forward(set.images.slice(0, i, end));
    correct += logits.argmax(1).eq(set.labels.slice(0, i, end)).sum().item<std::int64_t>();
  }
  model->train(was_training);
  return n == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(n);
}

std::shared_ptr<AnalogTraining> analog_training(const TrainOptions& o) {
  if (!(o.scale_fraction > 0 && o.scale_fraction <= 1))
    throw ConfigError({"<command line>", 0}, "--scale-fraction", "expected a fraction in (0, 1], got {}",
                      o.scale_fraction);
  if (!(o.energy_reg >= 0))
    throw ConfigError({"<command line>", 0}, "--energy-reg", "expected λ ≥ 0, got {}", o.energy_reg);
  if ((o.noise_aware || o.energy_reg > 0) && o.device.empty())
    throw ConfigError({"<command line>", 0}, "--device",
                      "--noise-aware and --energy-reg need the crossbar's device: --device FILE (kind imc_device)");
  if (o.device.empty()) return nullptr;
  auto analog = std::make_shared<AnalogTraining>();
  analog->device = imc::load_imc_device(o.device);
  analog->scale_fraction = o.scale_fraction;
  analog->noise = o.noise_aware;
  analog->energy = o.energy_reg > 0;
  return analog;
}

TrainResult train(const TrainOptions& o, const FashionMnist& data) {
  if (o.epochs < 1) throw ConfigError({"<command line>", 0}, "--epochs", "expected at least 1, got {}", o.epochs);
  if (o.threads < 1) throw ConfigError({"<command line>", 0}, "--threads", "expected at least 1, got {}", o.threads);
  if (o.batch_size < 1)
    throw ConfigError({"<command line>", 0}, "--batch-size", "expected at least 1, got {}", o.batch_size);
  const std::shared_ptr<AnalogTraining> analog = analog_training(o);
  const std::string device_name = analog ? analog->device.name : std::string();
  torch::set_num_threads(o.threads);
  const TensorSet train_set = to_tensors(data.train, o.limit_train);
  const TensorSet test_set = to_tensors(data.test, o.limit_test);
  std::error_code made;
  std::filesystem::create_directories(o.out, made);
  if (made) throw IoError(o.out.string(), fmt::format("cannot create the output folder: {}", made.message()));
  const std::filesystem::path checkpoint = o.out / kCheckpointFile;

  TrainResult result;
  result.train_images = train_set.images.size(0);
  result.test_images = test_set.images.size(0);
  std::optional<Loaded> resumed;
  std::error_code ec;
  if (std::filesystem::exists(checkpoint, ec)) {
    if (!o.resume)
      throw ConfigError({checkpoint.string(), 0}, "--resume",
                        "a checkpoint exists: pass --resume to continue it, or choose another --out");
    resumed = load(checkpoint);
    const Checkpoint& c = resumed->checkpoint;
    require_match(checkpoint, "network", c.network, o.network);
    require_match(checkpoint, "quantization", std::string(quantization_name(c.quantization)),
                  std::string(quantization_name(o.quantization)));
    require_match(checkpoint, "seed", std::to_string(c.seed), std::to_string(o.seed));
    require_match(checkpoint, "device", c.device, device_name);
    require_match(checkpoint, "scale fraction", fmt::format("{}", c.scale_fraction),
                  fmt::format("{}", o.scale_fraction));
    require_match(checkpoint, "noise-aware", c.noise_aware ? "on" : "off", o.noise_aware ? "on" : "off");
    require_match(checkpoint, "energy regularization", fmt::format("{}", c.energy_reg),
                  fmt::format("{}", o.energy_reg));
  }
  Classifier model = resumed ? resumed->checkpoint.model : make_classifier(o.network, o.quantization, o.seed);
  const Shape image{1, data.train.rows, data.train.cols};
  if (model->input_shape() != image)
    throw ConfigError({"<command line>", 0}, "--network", "{} takes {} inputs; the data set's images are {}", o.network,
                      shape_text(model->input_shape()), shape_text(image));
  model->set_analog(analog);
  double energy_ref = resumed ? resumed->checkpoint.energy_ref : 0.0;
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(o.learning_rate));
  if (resumed) {
    optimizer.load(resumed->optimizer);
    result.curve = resumed->checkpoint.curve;
    result.resumed_from = static_cast<int>(result.curve.size());
    if (!o.quiet)
      fmt::print(stderr, "deepnvm-learn: resuming {} {} after epoch {}\n", o.network, quantization_name(o.quantization),
                 result.resumed_from);
  }
  model->train();

  const std::int64_t n = train_set.images.size(0);
  for (int epoch = result.resumed_from; epoch < o.epochs; ++epoch) {
    const double done = result.wall_time();
    const double last = result.curve.empty() ? 0.0 : result.curve.back().wall_time;
    if (o.time_budget > 0 && epoch > result.resumed_from && done + last > o.time_budget) {
      result.stopped_by_budget = true;
      if (!o.quiet)
        fmt::print(stderr,
                   "deepnvm-learn: stopping after epoch {}: another epoch (~{:.0f} s) would pass the "
                   "{:.0f} s budget\n",
                   epoch, last, o.time_budget);
      break;
    }
    const auto start = Clock::now();
    const double lr = epoch_learning_rate(o.learning_rate, epoch, o.epochs);
    for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
    const torch::Tensor order = epoch_order(n, o.seed, epoch);
    // The noise of epoch k from torch's generator seeded by (seed, k) alone: resuming needs no state.
    if (o.noise_aware) torch::manual_seed(o.seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(epoch) + 1);
    double loss_sum = 0;
    std::int64_t batches = 0;
    for (std::int64_t i = 0; i < n; i += o.batch_size) {
      const torch::Tensor index = order.slice(0, i, std::min(n, i + o.batch_size));
      optimizer.zero_grad();
      torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(train_set.images.index_select(0, index)),
                                                                train_set.labels.index_select(0, index));
      if (o.energy_reg > 0) {
        const torch::Tensor energy = model->cell_energy();
        if (energy_ref == 0.0) energy_ref = energy.item<double>();  // the first batch, initial weights
        if (energy_ref > 0) loss = loss + o.energy_reg * energy / energy_ref;
      }
      loss.backward();
      optimizer.step();
      loss_sum += loss.item<double>();
      ++batches;
    }
    EpochRecord r;
    r.epoch = epoch + 1;
    r.train_loss = batches ? loss_sum / static_cast<double>(batches) : 0.0;
    r.test_accuracy = evaluate(model, test_set);
    r.wall_time = seconds_since(start);
    r.total_wall_time = done + r.wall_time;
    result.curve.push_back(r);
    save_checkpoint(checkpoint, o, device_name, energy_ref, model, optimizer, result.curve);
    write_file_atomic(o.out / "curve.csv", curve_csv(result.curve));
    if (!o.quiet)
      fmt::print(stderr, "deepnvm-learn: {} {} epoch {}/{}: loss {:.4f}, test accuracy {:.4f}, {:.1f} s\n", o.network,
                 quantization_name(o.quantization), r.epoch, o.epochs, r.train_loss, r.test_accuracy, r.wall_time);
  }
  write_file_atomic(o.out / "curve.csv", curve_csv(result.curve));
  write_file_atomic(o.out / "summary.json", summary_json(o, result) + "\n");
  return result;
}

Checkpoint load_checkpoint(const std::filesystem::path& path) { return load(path).checkpoint; }

std::string curve_csv(const std::vector<EpochRecord>& curve) {
  std::string s = "epoch,train_loss,test_accuracy,wall_time_s,total_wall_time_s\n";
  for (const EpochRecord& r : curve)
    s += fmt::format("{},{:.6f},{:.4f},{:.1f},{:.1f}\n", r.epoch, r.train_loss, r.test_accuracy, r.wall_time,
                     r.total_wall_time);
  return s;
}

std::string summary_json(const TrainOptions& o, const TrainResult& r) {
  nlohmann::ordered_json j;
  j["network"] = o.network;
  j["quantization"] = quantization_name(o.quantization);
  j["seed"] = o.seed;
  j["epochs"] = r.curve.size();
  j["planned_epochs"] = o.epochs;
  j["accuracy"] = r.accuracy();
  j["wall_time_s"] = r.wall_time();
  j["threads"] = o.threads;
  j["train_images"] = r.train_images;
  j["test_images"] = r.test_images;
  j["stopped_by_budget"] = r.stopped_by_budget;
  j["resumed_from"] = r.resumed_from;
  j["device"] = o.device.string();
  j["scale_fraction"] = o.scale_fraction;
  j["noise_aware"] = o.noise_aware;
  j["energy_reg"] = o.energy_reg;
  return j.dump();
}

}  // namespace deepnvm::learn
