// SPDX-License-Identifier: MIT
// Zoo networks on crossbars: im2col convolutions, digital pooling, Monte-Carlo accuracy (imc.md §6).
#include "deepnvm/imc/network.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <thread>
#include <type_traits>

#include <fmt/format.h>

#include "deepnvm/core/error.h"

namespace deepnvm::imc {

namespace {

// Input columns (C·H·W per sample) -> patches (C·R·S x N·P·Q), zero padding.
Matrix im2col(const Matrix& x, const Shape& in, const Shape& out, const Conv2d& c) {
  const std::int64_t C = in[0], H = in[1], W = in[2], P = out[1], Q = out[2];
  const std::int64_t R = c.kernel.h, S = c.kernel.w;
  Matrix cols(C * R * S, x.cols() * P * Q);
  for (Eigen::Index n = 0; n < x.cols(); ++n)
    for (std::int64_t p = 0; p < P; ++p)
      for (std::int64_t q = 0; q < Q; ++q) {
        const Eigen::Index col = n * P * Q + p * Q + q;
        for (std::int64_t ch = 0; ch < C; ++ch)
          for (std::int64_t r = 0; r < R; ++r)
            for (std::int64_t s = 0; s < S; ++s) {
              const std::int64_t h = p * c.stride.h - c.padding.h + r * c.dilation.h;
              const std::int64_t w = q * c.stride.w - c.padding.w + s * c.dilation.w;
              cols((ch * R + r) * S + s, col) = h >= 0 && h < H && w >= 0 && w < W ? x((ch * H + h) * W + w, n) : 0.0;
            }
      }
  return cols;
}

// (M x N·P·Q) -> (M·P·Q x N), plus the bias per channel.
Matrix col2feature(const Matrix& y, Eigen::Index samples, const Eigen::VectorXd& bias) {
  const Eigen::Index M = y.rows(), PQ = y.cols() / samples;
  Matrix out(M * PQ, samples);
  for (Eigen::Index n = 0; n < samples; ++n)
    for (Eigen::Index m = 0; m < M; ++m)
      for (Eigen::Index i = 0; i < PQ; ++i) out(m * PQ + i, n) = y(m, n * PQ + i) + (bias.size() ? bias(m) : 0.0);
  return out;
}

Matrix pool(const Matrix& x, const Shape& in, const Shape& out, const Pool2d& p) {
  const std::int64_t C = in[0], H = in[1], W = in[2], P = out[1], Q = out[2];
  Matrix y(C * P * Q, x.cols());
  for (Eigen::Index n = 0; n < x.cols(); ++n)
    for (std::int64_t c = 0; c < C; ++c)
      for (std::int64_t i = 0; i < P; ++i)
        for (std::int64_t j = 0; j < Q; ++j) {
          double best = -std::numeric_limits<double>::infinity(), sum = 0;
          for (std::int64_t r = 0; r < p.kernel.h; ++r)
            for (std::int64_t s = 0; s < p.kernel.w; ++s) {
              const std::int64_t h = i * p.stride.h - p.padding.h + r, w = j * p.stride.w - p.padding.w + s;
              const bool inside = h >= 0 && h < H && w >= 0 && w < W;
              const double v = inside ? x((c * H + h) * W + w, n) : 0.0;
              if (inside) best = std::max(best, v);
              sum += v;  // average pooling counts the padding, as PyTorch's default does
            }
          y((c * P + i) * Q + j, n) =
              p.kind == PoolKind::max ? best : sum / static_cast<double>(p.kernel.h * p.kernel.w);
        }
  return y;
}

Matrix to_matrix(const WeightTensor& t, Eigen::Index rows, Eigen::Index cols) {
  Matrix m(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = t.values[static_cast<std::size_t>(i * cols + j)];
  return m;
}

Eigen::VectorXd to_vector(const WeightTensor& t) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(t.values.size()));
  for (std::size_t i = 0; i < t.values.size(); ++i) v(static_cast<Eigen::Index>(i)) = t.values[i];
  return v;
}

}  // namespace

AnalogNetwork::AnalogNetwork(const Network& net, const WeightFile& weights, const ImcDevice& device,
                             const AnalogOptions& options, const Matrix& calibration) {
  for (const Layer& layer : net.layers) {
    Step step;
    step.in = net.input_shapes(layer).at(0);
    step.out = net.output_shape(layer);
    std::visit(
        [&](const auto& op) {
          using T = std::decay_t<decltype(op)>;
          if constexpr (std::is_same_v<T, Conv2d>) {
            if (op.groups != 1)
              throw ModelError(fmt::format("layer {}: grouped convolutions are not mapped", layer.name));
            step.kind = Step::Kind::conv;
            step.conv = op;
            const std::int64_t k = op.in_channels * op.kernel.h * op.kernel.w;
            step.weights = to_matrix(
                weights.get(layer.name + ".weight", {op.out_channels, op.in_channels, op.kernel.h, op.kernel.w}),
                op.out_channels, k);
            if (op.bias) step.bias = to_vector(weights.get(layer.name + ".bias", {op.out_channels}));
          } else if constexpr (std::is_same_v<T, Linear>) {
            if (step.in.size() != 1)
              throw ModelError(
                  fmt::format("layer {}: a linear layer needs a flat input, got {}", layer.name, shape_text(step.in)));
            step.kind = Step::Kind::linear;
            step.weights = to_matrix(weights.get(layer.name + ".weight", {op.out_features, op.in_features}),
                                     op.out_features, op.in_features);
            if (op.bias) step.bias = to_vector(weights.get(layer.name + ".bias", {op.out_features}));
          } else if constexpr (std::is_same_v<T, Activation>) {
            if (op.kind != ActivationKind::relu)
              throw ModelError(fmt::format("layer {}: only ReLU activations are supported", layer.name));
            step.kind = Step::Kind::relu;
          } else if constexpr (std::is_same_v<T, Pool2d>) {
            step.kind = Step::Kind::pool;
            step.pool = op;
          } else if constexpr (std::is_same_v<T, Reshape>) {
            step.kind = Step::Kind::reshape;
          } else {
            throw ModelError(
                fmt::format("layer {}: operator {} is not supported on crossbars (conv2d, linear, relu, "
                            "pool2d and reshape are)",
                            layer.name, op_name(layer.op)));
          }
        },
        layer.op);
    steps_.push_back(std::move(step));
  }
  // DAC ranges from a noise-free pass over the calibration images.
  Matrix x = calibration;
  for (Step& s : steps_) {
    if (s.kind == Step::Kind::conv || s.kind == Step::Kind::linear) {
      const Matrix in = s.kind == Step::Kind::conv ? im2col(x, s.in, s.out, s.conv) : x;
      CrossbarSpec spec = options.crossbar;
      const double range = in.size() ? in.cwiseAbs().maxCoeff() : 0.0;
      spec.input_range = range > 0 ? range : 1.0;
      const double wmax = s.weights.cwiseAbs().maxCoeff();
      spec.scale = options.scale_fraction * (device.g_max - device.g_min) / (wmax > 0 ? wmax : 1.0);
      s.crossbar.emplace(s.weights, device, spec);
    }
    x = advance(s, x, nullptr, nullptr);  // exactly, to calibrate the next layer
  }
}

void AnalogNetwork::program(std::uint64_t seed) {
  std::uint64_t layer = 0;
  for (Step& s : steps_)
    if (s.crossbar) s.crossbar->program(seed * 0x9E3779B97F4A7C15ull + ++layer);
}

Matrix AnalogNetwork::advance(const Step& s, const Matrix& x, Rng* rng, InferenceEnergy* energy) {
  const auto add_energy = [&](const Matrix& in) {
    if (!energy) return;
    energy->cells += s.crossbar->cell_energy(in);
    energy->converters += s.crossbar->converters_energy(in.cols());
  };
  switch (s.kind) {
    case Step::Kind::conv: {
      const Matrix cols = im2col(x, s.in, s.out, s.conv);
      add_energy(cols);
      return col2feature(rng ? s.crossbar->forward(cols, *rng) : Matrix(s.weights * cols), x.cols(), s.bias);
    }
    case Step::Kind::linear: {
      add_energy(x);
      Matrix y = rng ? s.crossbar->forward(x, *rng) : Matrix(s.weights * x);
      if (s.bias.size()) y.colwise() += s.bias;
      return y;
    }
    case Step::Kind::relu:
      return x.cwiseMax(0.0);
    case Step::Kind::pool:
      return pool(x, s.in, s.out, s.pool);
    case Step::Kind::reshape:
      break;
  }
  return x;
}

Matrix AnalogNetwork::run(const Matrix& images, Rng* rng, InferenceEnergy* energy) const {
  Matrix x = images;
  for (const Step& s : steps_) x = advance(s, x, rng, energy);
  return x;
}

Eigen::Index AnalogNetwork::images_per_pass() const {
  Eigen::Index per_image = 1;
  for (const Step& s : steps_)
    if (s.kind == Step::Kind::conv)
      per_image = std::max<Eigen::Index>(per_image, s.weights.cols() * s.out.at(1) * s.out.at(2));
    else if (s.kind == Step::Kind::linear)
      per_image = std::max<Eigen::Index>(per_image, s.weights.cols());
  return std::clamp<Eigen::Index>(2'000'000 / per_image, 1, 500);
}

Matrix AnalogNetwork::logits(const Matrix& images, Rng& rng) const { return run(images, &rng, nullptr); }
Matrix AnalogNetwork::logits_exact(const Matrix& images) const { return run(images, nullptr, nullptr); }

InferenceEnergy AnalogNetwork::energy_per_inference(const Matrix& images) const {
  InferenceEnergy energy;
  run(images, nullptr, &energy);
  const double n = static_cast<double>(images.cols());
  return n > 0 ? InferenceEnergy{energy.cells / n, energy.converters / n} : InferenceEnergy{};
}

double accuracy(const Matrix& logits, const std::vector<int>& labels) {
  std::size_t right = 0;
  for (Eigen::Index n = 0; n < logits.cols(); ++n) {
    Eigen::Index best = 0;
    logits.col(n).maxCoeff(&best);
    right += best == labels.at(static_cast<std::size_t>(n)) ? 1 : 0;
  }
  return logits.cols() ? static_cast<double>(right) / static_cast<double>(logits.cols()) : 0.0;
}

double student_t95(int dof) {
  const double z = 1.959963984540054, v = std::max(dof, 1);
  const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
  return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v);
}

MonteCarloResult monte_carlo(const AnalogNetwork& network, const Dataset& data, int seeds, std::uint64_t base_seed,
                             unsigned threads) {
  const Eigen::Index chunk = network.images_per_pass();
  const Eigen::Index n = data.images.cols();
  const auto correct = [&](AnalogNetwork& net, Rng* rng) {
    std::size_t right = 0;
    for (Eigen::Index first = 0; first < n; first += chunk) {
      const Eigen::Index count = std::min(chunk, n - first);
      const Matrix logits = rng ? net.logits(data.images.middleCols(first, count), *rng)
                                : net.logits_exact(data.images.middleCols(first, count));
      const std::vector<int> labels(data.labels.begin() + first, data.labels.begin() + first + count);
      right += static_cast<std::size_t>(std::lround(accuracy(logits, labels) * static_cast<double>(count)));
    }
    return n ? static_cast<double>(right) / static_cast<double>(n) : 0.0;
  };
  MonteCarloResult r;
  r.accuracy.assign(static_cast<std::size_t>(std::max(seeds, 0)), 0.0);
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      AnalogNetwork net = network;
      for (int s = static_cast<int>(t); s < seeds; s += static_cast<int>(threads)) {
        const std::uint64_t seed = base_seed + static_cast<std::uint64_t>(s);
        net.program(seed);
        Rng rng(seed ^ 0xD1B54A32D192ED03ull);
        r.accuracy[static_cast<std::size_t>(s)] = correct(net, &rng);
      }
    });
  for (std::thread& t : pool) t.join();
  AnalogNetwork clean = network;
  r.exact_accuracy = correct(clean, nullptr);
  clean.program(base_seed);
  InferenceEnergy energy;
  for (Eigen::Index first = 0; first < n; first += chunk) {
    const Eigen::Index count = std::min(chunk, n - first);
    const InferenceEnergy part = clean.energy_per_inference(data.images.middleCols(first, count));
    energy.cells += part.cells * static_cast<double>(count);
    energy.converters += part.converters * static_cast<double>(count);
  }
  r.energy_per_inference = n ? energy.total() / static_cast<double>(n) : 0.0;
  r.cell_energy_per_inference = n ? energy.cells / static_cast<double>(n) : 0.0;
  if (seeds > 0) {
    double sum = 0;
    for (double a : r.accuracy) sum += a;
    r.mean = sum / seeds;
    if (seeds > 1) {
      double ss = 0;
      for (double a : r.accuracy) ss += (a - r.mean) * (a - r.mean);
      r.ci95 = student_t95(seeds - 1) * std::sqrt(ss / (seeds - 1) / seeds);
    }
  }
  return r;
}

}  // namespace deepnvm::imc
