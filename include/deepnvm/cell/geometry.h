// SPDX-License-Identifier: MIT
#pragma once

#include <optional>

#include "deepnvm/cell/cell.h"
#include "deepnvm/core/config.h"

namespace deepnvm {

/// Sets area, width and height from an area in F^2 and an aspect ratio (height / width), the way
/// NVSim does: height = sqrt(A AR) F, width = sqrt(A / AR) F (NVSim MemCell.cpp). area_m2 needs the node.
void set_area_f2(CellFigures& f, double area_f2, double aspect_ratio);

/// Sets the same from an absolute area (m^2); the F-based fields need the node.
void set_area_absolute(CellFigures& f, double area_m2, double aspect_ratio);

/// Either of the two above, for specs that take exactly one of `area_f2` and `area`.
void set_area(CellFigures& f, const std::optional<double>& area_f2, const std::optional<double>& area,
              double aspect_ratio);

/// The schema check behind those specs: exactly one of `area_f2` and `area` is given.
void check_one_area(const std::optional<double>& area_f2, const std::optional<double>& area, const ConfigNode& node);

/// The feature size of the context's node, if there is one.
std::optional<double> node_of(const CellContext& context);

}  // namespace deepnvm
