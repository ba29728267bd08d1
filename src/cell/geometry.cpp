// SPDX-License-Identifier: MIT
#include "deepnvm/cell/geometry.h"

#include <cmath>

#include "deepnvm/core/error.h"

namespace deepnvm {

std::optional<double> node_of(const CellContext& context) {
  return context.technology ? std::optional<double>(context.technology->node) : std::nullopt;
}

void set_area_f2(CellFigures& f, double area_f2, double aspect_ratio) {
  f.aspect_ratio = aspect_ratio;
  f.area_f2 = area_f2;
  f.height_f = std::sqrt(area_f2 * aspect_ratio);
  f.width_f = std::sqrt(area_f2 / aspect_ratio);
  f.area_m2 = f.node ? std::optional<double>(area_f2 * *f.node * *f.node) : std::nullopt;
}

void set_area_absolute(CellFigures& f, double area_m2, double aspect_ratio) {
  f.aspect_ratio = aspect_ratio;
  f.area_m2 = area_m2;
  if (!f.node) return;
  const double area_f2 = area_m2 / (*f.node * *f.node);
  f.area_f2 = area_f2;
  f.height_f = std::sqrt(area_f2 * aspect_ratio);
  f.width_f = std::sqrt(area_f2 / aspect_ratio);
}

void set_area(CellFigures& f, const std::optional<double>& area_f2, const std::optional<double>& area,
              double aspect_ratio) {
  if (area_f2)
    set_area_f2(f, *area_f2, aspect_ratio);
  else
    set_area_absolute(f, area.value_or(0.0), aspect_ratio);
}

void check_one_area(const std::optional<double>& area_f2, const std::optional<double>& area, const ConfigNode& node) {
  if (area_f2.has_value() == area.has_value())
    throw ConfigError(node.location(), area_f2 ? "area" : "area_f2", "give exactly one of 'area_f2' and 'area'");
}

}  // namespace deepnvm
