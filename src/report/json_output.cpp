// SPDX-License-Identifier: MIT
#include "deepnvm/report/json_output.h"

namespace deepnvm {

nlohmann::ordered_json json_document(const std::string& command) {
  nlohmann::ordered_json out;
  out["json_schema_version"] = kJsonSchemaVersion;
  out["context"] = {{"tool", "deepnvm"}, {"version", DEEPNVM_VERSION}, {"command", command}};
  return out;
}

std::string json_text(const nlohmann::ordered_json& document) {
  return document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace deepnvm
