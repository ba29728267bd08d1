// SPDX-License-Identifier: MIT
#include "deepnvm/cell/register.h"

#include "deepnvm/cell/fefet.h"
#include "deepnvm/cell/mram.h"
#include "deepnvm/cell/nvsim_cell.h"
#include "deepnvm/cell/resistive.h"
#include "deepnvm/cell/sram.h"

namespace deepnvm {

namespace {
template <class Spec, class Model>
void add(Registry<InputKind>& kinds, Registry<CellFactory>& models, const std::string& description) {
  const std::string kind = Spec::schema().kind();
  kinds.add(kind, description, input_kind_of<Spec>());
  models.add(kind, description, [](const ConfigNode& node) -> std::unique_ptr<Cell> {
    return std::make_unique<Model>(Spec::schema().parse(node));
  });
}
}  // namespace

void register_builtin_cell(Registry<InputKind>& kinds, Registry<CellFactory>& models) {
  add<SramSpec, SramCell>(kinds, models, "6T SRAM cell: layout area and transistor widths");
  add<SttMramSpec, SttMramCell>(kinds, models, "1T-1MTJ STT-MRAM cell from MTJ physics");
  add<SotMramSpec, SotMramCell>(kinds, models, "2T-1MTJ SOT-MRAM cell from spin-orbit-torque physics");
  add<ResistiveSpec, ResistiveCell>(kinds, models, "MRAM/PCM/ReRAM cell given by its figures (NVSim-style)");
  add<FefetSpec, FefetCell>(kinds, models, "ferroelectric FET cell with two threshold states");
}

std::unique_ptr<Cell> load_cell(const std::filesystem::path& path, const Registry<CellFactory>& models) {
  if (path.extension() == ".cell") return load_nvsim_cell(path);
  const ConfigNode root = load_config_file(path);
  if (!root.is_map())
    throw ConfigError(root.location(), "", "expected a mapping with a 'kind' key, got a {}", root.type_name());
  const auto kind = root.find("kind");
  if (!kind)
    throw ConfigError(root.location(), "kind", "missing required key: a cell file names its kind, one of {}",
                      quoted_list(models.names()));
  return models.get(kind->scalar("kind"), kind->location(), "kind")(root);
}

}  // namespace deepnvm
