// SPDX-License-Identifier: MIT
#include "deepnvm/core/registry.h"

#include <memory>

#include <gtest/gtest.h>

namespace deepnvm {
namespace {

struct Shape {
  virtual ~Shape() = default;
  virtual double area() const = 0;
};
struct Square final : Shape {
  explicit Square(double s) : side(s) {}
  double area() const override { return side * side; }
  double side;
};
struct Circle final : Shape {
  explicit Circle(double r) : radius(r) {}
  double area() const override { return 3.0 * radius * radius; }
  double radius;
};

using ShapeFactory = std::function<std::unique_ptr<Shape>(double)>;

Registry<ShapeFactory> make_shapes() {
  Registry<ShapeFactory> r("shape");
  r.add("square", "A square.", [](double s) { return std::make_unique<Square>(s); });
  r.add("circle", "A circle.", [](double s) { return std::make_unique<Circle>(s); });
  return r;
}

TEST(Registry, CreatesByNameAndListsNamesSorted) {
  const auto shapes = make_shapes();
  EXPECT_DOUBLE_EQ(shapes.create("square", 2.0)->area(), 4.0);
  EXPECT_DOUBLE_EQ(shapes.create("circle", 1.0)->area(), 3.0);
  EXPECT_EQ(shapes.names(), (std::vector<std::string>{"circle", "square"}));
  EXPECT_EQ(shapes.description("circle"), "A circle.");
}

TEST(Registry, UnknownNameListsKnownNamesAndClosestMatch) {
  const auto shapes = make_shapes();
  try {
    shapes.get("sqare", {"study.yaml", 7}, "shape");
    FAIL();
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.line(), 7u);
    EXPECT_EQ(e.key(), "shape");
    EXPECT_NE(what.find("unknown shape 'sqare'"), std::string::npos) << what;
    EXPECT_NE(what.find("did you mean 'square'"), std::string::npos) << what;
    EXPECT_NE(what.find("'circle', 'square'"), std::string::npos) << what;
  }
}

TEST(Registry, DuplicateRegistrationIsAProgrammingError) {
  auto shapes = make_shapes();
  EXPECT_THROW(shapes.add("square", "again", [](double s) { return std::make_unique<Square>(s); }), std::logic_error);
}

}  // namespace
}  // namespace deepnvm
