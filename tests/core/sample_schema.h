// SPDX-License-Identifier: MIT
#pragma once

// A small input kind exercising every field type the schema supports; used by the core tests.

#include <optional>
#include <string>
#include <vector>

#include "deepnvm/core/schema.h"
#include "deepnvm/core/units.h"

namespace deepnvm::testing {

struct Geometry {
  double pitch = 0.0;
  std::optional<double> width;

  static const Schema<Geometry>& schema() {
    static const Schema<Geometry> s = [] {
      Schema<Geometry> s("geometry", "Wire geometry.");
      s.field("pitch", &Geometry::pitch).unit(dim::length).greater_than(0).desc("Wire pitch.");
      s.field("width", &Geometry::width).unit(dim::length).greater_than(0).desc("Wire width.");
      return s;
    }();
    return s;
  }
};

struct SampleCache {
  std::string name;
  double capacity = 0.0;
  double latency = 0.0;
  int ways = 0;
  bool enabled = false;
  std::string policy;
  std::vector<double> voltages;
  Geometry geometry;
  std::optional<double> temperature;

  static const Schema<SampleCache>& schema() {
    using namespace deepnvm::literals;
    static const Schema<SampleCache> s = [] {
      Schema<SampleCache> s("sample_cache", "A cache description used by the tests.");
      s.allow_key("kind");
      s.field("name", &SampleCache::name).desc("Name.");
      s.field("capacity", &SampleCache::capacity)
          .unit(dim::bytes)
          .greater_than(0)
          .max(1_GiB * 1024 * 1024)
          .desc("Total capacity.");
      s.field("latency", &SampleCache::latency).unit(dim::time).min(0).default_value(1_ns).desc("Access time.");
      s.field("ways", &SampleCache::ways).min(1).max(64).default_value(8).desc("Associativity.");
      s.field("enabled", &SampleCache::enabled).default_value(true).desc("Whether it is on.");
      s.field("policy", &SampleCache::policy).one_of({"lru", "fifo", "random"}).default_value("lru").desc("Policy.");
      s.field("voltages", &SampleCache::voltages).unit(dim::voltage).greater_than(0).default_value({}).desc("Rails.");
      s.field("geometry", &SampleCache::geometry).desc("Geometry.");
      s.field("temperature", &SampleCache::temperature).unit(dim::temperature).min(0).desc("Temperature.");
      s.check([](const SampleCache& c, const ConfigNode& node) {
        if (c.geometry.width && *c.geometry.width > c.geometry.pitch)
          throw ConfigError(node.find("geometry")->find("width")->location(), "geometry.width",
                            "must not exceed the pitch");
      });
      return s;
    }();
    return s;
  }
};

}  // namespace deepnvm::testing
