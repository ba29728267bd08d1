// SPDX-License-Identifier: MIT
// Weight files: a magic line, a JSON header line, float32 little-endian data.
#include "deepnvm/imc/weights.h"

#include <bit>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "deepnvm/core/atomic_file.h"
#include "deepnvm/core/error.h"

namespace deepnvm::imc {

namespace {

constexpr std::string_view kMagic = "DEEPNVM-WEIGHTS 1";
static_assert(std::endian::native == std::endian::little, "weight files are little-endian; add a byte swap");

std::int64_t element_count(const std::vector<std::int64_t>& shape) {
  std::int64_t n = 1;
  for (const std::int64_t d : shape) n *= d;
  return n;
}

}  // namespace

const WeightTensor& WeightFile::get(const std::string& name, const std::vector<std::int64_t>& shape) const {
  const auto it = tensors.find(name);
  if (it == tensors.end())
    throw ConfigError({file.empty() ? "<weights>" : file, 0}, name, "the weights of network '{}' have no tensor '{}'",
                      network, name);
  if (it->second.shape != shape)
    throw ConfigError({file.empty() ? "<weights>" : file, 0}, name, "tensor '{}' has shape [{}], expected [{}]", name,
                      fmt::join(it->second.shape, ", "), fmt::join(shape, ", "));
  return it->second;
}

void write_weights(const std::filesystem::path& path, const WeightFile& w) {
  nlohmann::ordered_json header{{"network", w.network}, {"source", w.source}};
  auto& list = header["tensors"] = nlohmann::ordered_json::array();
  std::string data;
  for (const auto& [name, t] : w.tensors) {
    if (element_count(t.shape) != static_cast<std::int64_t>(t.values.size()))
      throw ModelError(fmt::format("tensor '{}': shape [{}] does not hold its {} values", name,
                                   fmt::join(t.shape, ", "), t.values.size()));
    list.push_back({{"name", name}, {"shape", t.shape}});
    data.append(reinterpret_cast<const char*>(t.values.data()), t.values.size() * sizeof(float));
  }
  write_file_atomic(path, std::string(kMagic) + "\n" + header.dump() + "\n" + data);
}

WeightFile read_weights(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path.string(), "cannot open the weight file");
  std::string magic, header_line;
  std::getline(in, magic);
  if (magic != kMagic) throw IoError(path.string(), fmt::format("not a weight file: expected the line '{}'", kMagic));
  std::getline(in, header_line);
  WeightFile w;
  w.file = path.string();
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> layout;
  try {
    const nlohmann::json h = nlohmann::json::parse(header_line);
    w.network = h.at("network").get<std::string>();
    w.source = h.at("source").get<std::string>();
    for (const auto& t : h.at("tensors")) {
      auto shape = t.at("shape").get<std::vector<std::int64_t>>();
      for (const std::int64_t d : shape)
        if (d < 1) throw IoError(path.string(), "a tensor dimension below 1 in the header");
      layout.emplace_back(t.at("name").get<std::string>(), std::move(shape));
    }
  } catch (const nlohmann::json::exception& e) {
    throw IoError(path.string(),
                  fmt::format("malformed header line (expected JSON with network, source, tensors): {}", e.what()));
  }
  for (const auto& [name, shape] : layout) {
    WeightTensor t;
    t.shape = shape;
    t.values.resize(static_cast<std::size_t>(element_count(shape)));
    in.read(reinterpret_cast<char*>(t.values.data()), static_cast<std::streamsize>(t.values.size() * sizeof(float)));
    if (!in) throw IoError(path.string(), fmt::format("truncated: tensor '{}' is incomplete", name));
    w.tensors.emplace(name, std::move(t));
  }
  if (in.peek() != std::char_traits<char>::eof())
    throw IoError(path.string(), "data after the last tensor the header lists");
  return w;
}

}  // namespace deepnvm::imc
