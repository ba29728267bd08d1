// SPDX-License-Identifier: MIT
#pragma once

// A trained checkpoint's weights as an imc weight file (include/deepnvm/imc/weights.h), so the crossbar
// evaluation (deepnvm imc sweep) runs the network deepnvm-learn trained without linking libtorch.

#include <string>

#include "deepnvm/imc/weights.h"
#include "deepnvm/learn/train.h"

namespace deepnvm::learn {

/// @brief Every conv and linear layer of the checkpoint's zoo network, in graph order, as
/// "<layer>.weight" (the weights the forward pass uses, after the quantizer) and "<layer>.bias",
/// float32. `source` says how it was trained.
imc::WeightFile export_weights(const Checkpoint& checkpoint, const std::string& source);

}  // namespace deepnvm::learn
