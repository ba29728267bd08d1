// SPDX-License-Identifier: MIT
// Fuzzes the strict config loader end to end (YAML/JSON text -> declared schema): any input may
// be rejected, but only with a deepnvm::Error; a crash, a hang or another exception is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "deepnvm/core/config.h"
#include "sample_schema.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const deepnvm::ConfigNode root = deepnvm::load_config_string(text, "fuzz.yaml");
    const auto parsed = deepnvm::testing::SampleCache::schema().parse(root);
    (void)deepnvm::testing::SampleCache::schema().to_json(parsed).dump();
  } catch (const deepnvm::Error&) {
  }
  return 0;
}
