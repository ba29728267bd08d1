// SPDX-License-Identifier: MIT
// Bad input, case by case: every error names the file, the line and the key where it is.
#include "deepnvm/core/config.h"

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <gtest/gtest.h>

#include "sample_schema.h"

namespace deepnvm {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "deepnvm-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path write(const std::string& name, const std::string& content) const {
    const fs::path p = path_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

const std::string kValidBody =
    "name: l2\n"         // 1
    "capacity: 8 MiB\n"  // 2
    "geometry:\n"        // 3
    "  pitch: 44 nm\n";  // 4

testing::SampleCache load(const fs::path& p) { return testing::SampleCache::schema().parse(load_config_file(p)); }

struct BadCase {
  std::string name;
  std::string file_name;
  std::string content;
  std::size_t line;      // 0: the error is about the file as a whole
  std::string key;       // "" when no key is involved
  std::string expected;  // part of the explanation
};

// Short test names in CTest instead of a byte dump of the parameter.
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class BadInput : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadInput, NamesFileLineAndKey) {
  const BadCase& c = GetParam();
  TempDir dir;
  const fs::path p = dir.write(c.file_name, c.content);
  try {
    load(p);
    FAIL() << "accepted bad input " << c.name;
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.file(), p.string()) << what;
    EXPECT_EQ(e.line(), c.line) << what;
    EXPECT_EQ(e.key(), c.key) << what;
    EXPECT_NE(what.find(p.string() + (c.line ? ":" + std::to_string(c.line) : "")), std::string::npos) << what;
    if (!c.key.empty()) {
      EXPECT_NE(what.find("'" + c.key + "'"), std::string::npos) << what;
    }
    EXPECT_NE(what.find(c.expected), std::string::npos) << "message: " << what << "\nexpected: " << c.expected;
  }
}

const std::vector<BadCase> kBadCases{
    {"malformed_yaml", "a.yaml", "name: l2\ncapacity: [8 MiB\n", 3, "", "malformed YAML"},
    {"malformed_json", "a.json", "{\n  \"name\": \"l2\"\n  \"capacity\": \"8 MiB\"\n}\n", 3, "", "malformed"},
    {"tab_indentation", "a.yaml", "geometry:\n\tpitch: 44 nm\n", 2, "", "malformed"},
    {"unknown_key", "a.yaml", kValidBody + "colour: red\n", 5, "colour", "unknown key"},
    {"key_typo_suggests", "a.yaml", "name: l2\ncapacty: 8 MiB\n", 2, "capacty", "did you mean 'capacity'"},
    {"nested_key_typo", "a.yaml", kValidBody + "  pitchh: 3 nm\n", 5, "pitchh", "did you mean 'pitch'"},
    {"unit_typo", "a.yaml", "name: l2\ncapacity: 8 MiBB\ngeometry: {pitch: 1 nm}\n", 2, "capacity",
     "did you mean 'MiB'"},
    {"ambiguous_kb", "a.yaml", "name: l2\ncapacity: 2816 KB\ngeometry: {pitch: 1 nm}\n", 2, "capacity", "ambiguous"},
    {"missing_unit", "a.yaml", "name: l2\ncapacity: 8388608\ngeometry: {pitch: 1 nm}\n", 2, "capacity", "missing unit"},
    {"json_bare_number", "a.json",
     "{\"name\": \"l2\",\n \"capacity\": 8388608,\n \"geometry\": {\"pitch\": \"1 nm\"}}\n", 2, "capacity",
     "missing unit"},
    {"wrong_dimension", "a.yaml", "name: l2\ncapacity: 5 ns\ngeometry: {pitch: 1 nm}\n", 2, "capacity",
     "expected a size"},
    {"zero_size", "a.yaml", "name: l2\ncapacity: 0 MiB\ngeometry: {pitch: 1 nm}\n", 2, "capacity", "out of range"},
    {"negative_size", "a.yaml", "name: l2\ncapacity: -1 MiB\ngeometry: {pitch: 1 nm}\n", 2, "capacity", "out of range"},
    {"negative_nested_length", "a.yaml", "name: l2\ncapacity: 1 MiB\ngeometry:\n  pitch: -44 nm\n", 4, "pitch",
     "out of range"},
    {"nan", "a.yaml", "name: l2\ncapacity: nan MiB\ngeometry: {pitch: 1 nm}\n", 2, "capacity", "finite"},
    {"yaml_nan", "a.yaml", "name: l2\ncapacity: 1 MiB\nlatency: .nan\ngeometry: {pitch: 1 nm}\n", 3, "latency",
     "not a number"},
    {"infinity", "a.yaml", "name: l2\ncapacity: inf B\ngeometry: {pitch: 1 nm}\n", 2, "capacity", "finite"},
    {"huge_overflow", "a.yaml", "name: l2\ncapacity: 1e400 B\ngeometry: {pitch: 1 nm}\n", 2, "capacity", "range"},
    {"huge_above_max", "a.yaml", "name: l2\ncapacity: 1e30 B\ngeometry: {pitch: 1 nm}\n", 2, "capacity",
     "out of range"},
    {"int_wrong_type", "a.yaml", kValidBody + "ways: four\n", 5, "ways", "expected an integer"},
    {"int_fraction", "a.yaml", kValidBody + "ways: 1.5\n", 5, "ways", "expected an integer"},
    {"int_overflow", "a.yaml", kValidBody + "ways: 99999999999999999999\n", 5, "ways", "does not fit"},
    {"int_out_of_range", "a.yaml", kValidBody + "ways: 0\n", 5, "ways", "out of range"},
    {"bool_wrong_type", "a.yaml", kValidBody + "enabled: yes\n", 5, "enabled", "expected true or false"},
    {"choice_typo", "a.yaml", kValidBody + "policy: lruu\n", 5, "policy", "did you mean 'lru'"},
    {"scalar_for_list", "a.yaml", kValidBody + "voltages: 0.9 V\n", 5, "voltages", "expected a list"},
    {"bad_list_item", "a.yaml", kValidBody + "voltages:\n  - 0.9 V\n  - 0.8 X\n", 7, "voltages[1]", "unknown unit"},
    {"scalar_for_mapping", "a.yaml", "name: l2\ncapacity: 1 MiB\ngeometry: 44 nm\n", 3, "", "expected a mapping"},
    {"list_for_scalar", "a.yaml", "name: [a, b]\ncapacity: 1 MiB\ngeometry: {pitch: 1 nm}\n", 1, "name",
     "expected a single value"},
    {"missing_required", "a.yaml", "name: l2\ngeometry: {pitch: 1 nm}\n", 1, "capacity", "missing required key"},
    {"empty_value", "a.yaml", "name: l2\ncapacity:\ngeometry: {pitch: 1 nm}\n", 2, "capacity", "missing value"},
    {"duplicate_key", "a.yaml", kValidBody + "capacity: 4 MiB\n", 5, "capacity",
     "duplicate key (first given on line 2)"},
    {"cross_field_check", "a.yaml", "name: l2\ncapacity: 1 MiB\ngeometry:\n  pitch: 44 nm\n  width: 50 nm\n", 5,
     "geometry.width", "must not exceed"},
    {"top_level_list", "a.yaml", "- name: l2\n", 1, "", "expected a mapping"},
    {"empty_file", "a.yaml", "", 0, "", "empty"},
    {"whitespace_only", "a.yaml", "  \n\n", 0, "", "empty"},
    {"comment_only", "a.yaml", "# nothing here\n", 0, "", "empty"},
    {"binary_file", "a.yaml",
     std::string("\x7f"
                 "ELF\0\0\0",
                 7),
     0, "", "NUL"},
    {"escape_to_lone_latin1_byte", "a.yaml", kValidBody + "label: \"x\\Ny\"\n", 5, "", "invalid UTF-8"},
    {"escaped_key_to_lone_latin1_byte", "a.yaml", kValidBody + "\"a\\_b\": 1\n", 5, "", "invalid UTF-8"},
    {"deep_nesting", "a.yaml", "name: " + std::string(200, '[') + std::string(200, ']') + "\n", 1, "", "nesting"},
};

INSTANTIATE_TEST_SUITE_P(Config, BadInput, ::testing::ValuesIn(kBadCases),
                         [](const auto& info) { return info.param.name; });

TEST(LoadConfigFile, MissingFileIsAnIoErrorNamingThePath) {
  TempDir dir;
  const fs::path p = dir.path() / "absent.yaml";
  try {
    load_config_file(p);
    FAIL();
  } catch (const IoError& e) {
    EXPECT_EQ(e.path(), p.string());
    EXPECT_NE(std::string(e.what()).find("no such file"), std::string::npos);
  }
}

TEST(LoadConfigFile, DirectoryIsRejected) {
  TempDir dir;
  try {
    load_config_file(dir.path());
    FAIL();
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
  }
}

TEST(LoadConfigFile, UnreadableFileIsRejected) {
  if (geteuid() == 0) GTEST_SKIP() << "root can read any file";
  TempDir dir;
  const fs::path p = dir.write("secret.yaml", kValidBody);
  fs::permissions(p, fs::perms::none);
  EXPECT_THROW(load_config_file(p), IoError);
}

TEST(LoadConfigFile, ValidYamlAndEquivalentJsonGiveTheSameValues) {
  TempDir dir;
  const auto yaml = load(dir.write("a.yaml", kValidBody + "ways: 16\nvoltages: [0.9 V, 800 mV]\n"));
  const auto json = load(dir.write("a.json",
                                   "{\"name\": \"l2\", \"capacity\": \"8 MiB\", \"geometry\": {\"pitch\": "
                                   "\"44 nm\"}, \"ways\": 16, \"voltages\": [\"0.9 V\", \"800 mV\"]}"));
  EXPECT_EQ(yaml.capacity, 8.0 * 1024 * 1024);
  EXPECT_EQ(yaml.ways, 16);
  ASSERT_EQ(yaml.voltages.size(), 2u);
  EXPECT_DOUBLE_EQ(yaml.voltages[1], 0.8);
  EXPECT_EQ(yaml.capacity, json.capacity);
  EXPECT_EQ(yaml.ways, json.ways);
  EXPECT_EQ(yaml.voltages, json.voltages);
  EXPECT_EQ(yaml.geometry.pitch, json.geometry.pitch);
}

}  // namespace
}  // namespace deepnvm
