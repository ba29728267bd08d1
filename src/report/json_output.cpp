// SPDX-License-Identifier: MIT
#include "deepnvm/report/json_output.h"

namespace deepnvm {

nlohmann::ordered_json json_document(const std::string& command) {
  nlohmann::ordered_json out;
  out["json_schema_version"] = kJsonSchemaVersion;
  out["context"] = {{"tool", "deepnvm"}, {"version", DEEPNVM_VERSION}, {"command", command}};
  return out;
}

}  // namespace deepnvm
