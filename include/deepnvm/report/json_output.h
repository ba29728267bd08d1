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

/// @brief The document as indented text. Strings that are not UTF-8 (a file name given on the
/// command line, say) are written with U+FFFD in place of the bad bytes instead of failing.
std::string json_text(const nlohmann::ordered_json& document);

}  // namespace deepnvm
