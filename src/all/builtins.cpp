// SPDX-License-Identifier: MIT
#include "deepnvm/all/builtins.h"

#include "deepnvm/accel/dse.h"
#include "deepnvm/accel/pe_model.h"
#include "deepnvm/array/register.h"
#include "deepnvm/cell/register.h"
#include "deepnvm/gpu/gpu.h"
#include "deepnvm/imc/device.h"
#include "deepnvm/imc/sweep.h"
#include "deepnvm/rl/system.h"
#include "deepnvm/study/study_spec.h"
#include "deepnvm/tech/register.h"

namespace deepnvm {

Builtins make_builtins() {
  Builtins b;
  // Layer order of docs/DESIGN.md; each layer adds only its own implementations.
  register_builtin_tech(b.input_kinds);
  register_builtin_cell(b.input_kinds, b.cell_models);
  register_builtin_array(b.input_kinds);
  register_builtin_workload(b.networks);
  register_builtin_gpu(b.input_kinds);
  study::register_builtin_study(b.input_kinds);
  accel::register_builtin_accel(b.input_kinds);
  accel::register_builtin_accel_dse(b.input_kinds);
  imc::register_builtin_imc(b.input_kinds);
  imc::register_builtin_imc_sweep(b.input_kinds);
  rl::register_builtin_rl(b.input_kinds);
  return b;
}

}  // namespace deepnvm
