// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace deepnvm {

/// Version of the JSON layouts documented in docs/json_format.md; bumped on any incompatible change.
inline constexpr int kJsonSchemaVersion = 1;

/// The envelope every JSON document starts with: `json_schema_version` and a `context` block
/// (tool, version, command). Fields of the result follow in a fixed order.
nlohmann::ordered_json json_document(const std::string& command);

}  // namespace deepnvm
