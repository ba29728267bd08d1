// SPDX-License-Identifier: MIT
#include "deepnvm/core/schema.h"

#include <gtest/gtest.h>

#include "sample_schema.h"

namespace deepnvm {
namespace {

using testing::SampleCache;

SampleCache parse(const std::string& text) {
  return SampleCache::schema().parse(load_config_string(text, "test.yaml"));
}

TEST(Schema, AppliesDefaultsOnlyWhereDeclared) {
  const auto c = parse("name: l2\ncapacity: 2816 KiB\ngeometry: {pitch: 44 nm}\n");
  EXPECT_EQ(c.capacity, 2816.0 * 1024);
  EXPECT_DOUBLE_EQ(c.latency, 1e-9);
  EXPECT_EQ(c.ways, 8);
  EXPECT_TRUE(c.enabled);
  EXPECT_EQ(c.policy, "lru");
  EXPECT_TRUE(c.voltages.empty());
  EXPECT_FALSE(c.temperature.has_value());
  EXPECT_FALSE(c.geometry.width.has_value());
}

TEST(Schema, AllowedKeysAreAcceptedAndIgnored) {
  EXPECT_NO_THROW(parse("kind: sample_cache\nname: l2\ncapacity: 1 MiB\ngeometry: {pitch: 1 nm}\n"));
}

TEST(Schema, ToJsonGivesSiValuesInDeclarationOrder) {
  const auto c = parse("name: l2\ncapacity: 1 MiB\ngeometry: {pitch: 44 nm}\ntemperature: 350 K\n");
  const auto j = SampleCache::schema().to_json(c);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "capacity", "latency", "ways", "enabled", "policy", "voltages",
                                            "geometry", "temperature"}));
  EXPECT_EQ(j["capacity"], 1048576.0);
  EXPECT_DOUBLE_EQ(j["geometry"]["pitch"].get<double>(), 44e-9);
  EXPECT_TRUE(j["geometry"]["width"].is_null());
  EXPECT_EQ(j["temperature"], 350.0);
}

TEST(Schema, InfoDescribesEveryField) {
  const SchemaInfo info = SampleCache::schema().info();
  EXPECT_EQ(info.kind, "sample_cache");
  ASSERT_EQ(info.fields.size(), 9u);
  const FieldInfo& capacity = info.fields[1];
  EXPECT_EQ(capacity.type, "size");
  EXPECT_EQ(capacity.example, "8 MiB");
  EXPECT_EQ(capacity.range, "> 0 B and <= 1 PiB");
  EXPECT_TRUE(capacity.required);
  const FieldInfo& ways = info.fields[3];
  EXPECT_EQ(ways.type, "integer");
  EXPECT_EQ(ways.range, ">= 1 and <= 64");
  EXPECT_EQ(ways.default_value, "8");
  EXPECT_FALSE(ways.required);
  EXPECT_EQ(info.fields[5].range, "one of 'lru', 'fifo' or 'random'");
  EXPECT_EQ(info.fields[6].type, "list of voltage");
  ASSERT_TRUE(info.fields[7].nested);
  EXPECT_EQ(info.fields[7].nested->kind, "geometry");
  EXPECT_FALSE(info.fields[8].required);
}

TEST(Schema, MarkdownListsNestedMappingsOnce) {
  const std::string md = schema_markdown(SampleCache::schema().info());
  EXPECT_NE(md.find("## `sample_cache`"), std::string::npos);
  EXPECT_NE(md.find("### `geometry`"), std::string::npos);
  EXPECT_NE(md.find("| `capacity` | size | `8 MiB` | > 0 B and <= 1 PiB | **required** | Total capacity. |"),
            std::string::npos)
      << md;
}

}  // namespace
}  // namespace deepnvm
