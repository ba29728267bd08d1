// SPDX-License-Identifier: MIT
#pragma once

#include <optional>

#include "deepnvm/cell/cell.h"

namespace deepnvm {

/// Sets area, width and height from an area in F^2 and an aspect ratio (height / width), the way
/// NVSim does: height = sqrt(A AR) F, width = sqrt(A / AR) F (NVSim MemCell.cpp). area_m2 needs the node.
void set_area_f2(CellFigures& f, double area_f2, double aspect_ratio);

/// Sets the same from an absolute area (m^2); the F-based fields need the node.
void set_area_absolute(CellFigures& f, double area_m2, double aspect_ratio);

/// The feature size of the context's node, if there is one.
std::optional<double> node_of(const CellContext& context);

}  // namespace deepnvm
