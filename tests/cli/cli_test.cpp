// SPDX-License-Identifier: MIT
// The deepnvm executable end to end: exit codes, one-line errors on stderr, no partial output.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;

struct Result {
  int code = -1;
  std::string out, err;
};

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("deepnvm-cli-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Result run(const std::vector<std::string>& args) const {
    std::string cmd = "cd " + quote(dir_.string()) + " && " + quote(DEEPNVM_CLI_PATH);
    for (const auto& a : args) cmd += " " + quote(a);
    cmd += " >" + quote((dir_ / ".stdout").string()) + " 2>" + quote((dir_ / ".stderr").string()) + " </dev/null";
    const int status = std::system(cmd.c_str());
    Result r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(dir_ / ".stdout");
    r.err = slurp(dir_ / ".stderr");
    fs::remove(dir_ / ".stdout");
    fs::remove(dir_ / ".stderr");
    return r;
  }

  fs::path write(const std::string& name, const std::string& content) const {
    std::ofstream(dir_ / name, std::ios::binary) << content;
    return dir_ / name;
  }

  // An input error: exit 2, nothing on stdout, exactly one line on stderr that names what is given.
  void expect_input_error(const std::vector<std::string>& args, const std::vector<std::string>& mentions) const {
    const Result r = run(args);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(r.err.starts_with("deepnvm: error: ")) << r.err;
    for (const auto& m : mentions) EXPECT_NE(r.err.find(m), std::string::npos) << "missing '" << m << "' in: " << r.err;
  }

  fs::path dir_;
};

TEST_F(Cli, HelpAndVersionExitZero) {
  Result r = run({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("Usage"), std::string::npos);
  for (const char* sub : {"units", "schema", "check"}) {
    r = run({sub, "--help"});
    EXPECT_EQ(r.code, 0) << sub;
    EXPECT_NE(r.out.find("--json"), std::string::npos) << sub;  // global options are shown everywhere
  }
  r = run({"--version"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(r.out.starts_with("deepnvm ")) << r.out;
}

TEST_F(Cli, CommandLineErrorsExitTwoOnOneLine) {
  expect_input_error({"--no-such-option"}, {});
  expect_input_error({"units", "--no-such-option", "1 nm"}, {"--no-such-option"});
  expect_input_error({"no-such-command"}, {"no-such-command"});
  expect_input_error({"units"}, {"quantity"});
  expect_input_error({"--threads", "many", "units", "1 nm"}, {"threads"});
  expect_input_error({"--threads", "-1", "units", "1 nm"}, {"threads"});
  expect_input_error({"units", "8 KB"}, {"ambiguous", "KiB", "kB"});
  expect_input_error({"units", "22 nmm"}, {"did you mean 'nm'"});
  expect_input_error({"schema", "no_such_kind"}, {"unknown input kind 'no_such_kind'"});
}

TEST_F(Cli, GlobalOptionsAreAcceptedAnywhere) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--json", "units", "22 nm"},
                                                                {"units", "--json", "22 nm"},
                                                                {"units", "22 nm", "--json", "--quiet"},
                                                                {"--threads", "2", "units", "22 nm", "--json"},
                                                                {"units", "22 nm", "--threads", "1", "--json"}}) {
    const Result r = run(args);
    ASSERT_EQ(r.code, 0) << r.err;
    const auto doc = nlohmann::json::parse(r.out);  // exactly one JSON document on stdout
    EXPECT_EQ(doc["json_schema_version"], 1);
    EXPECT_DOUBLE_EQ(doc["quantities"][0]["value_si"].get<double>(), 22e-9);
  }
}

TEST_F(Cli, UnitsPrintsATableWithoutJson) {
  const Result r = run({"units", "2816 KiB", "0.5 ns"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("2.75 MiB"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("500 ps"), std::string::npos) << r.out;
}

TEST_F(Cli, FileErrorsExitTwoAndWriteNothing) {
  const fs::path out = dir_ / "out.json";
  write("empty.yaml", "");
  write("malformed.yaml", "kind: x\nvalues: [1, 2\n");
  write("nokind.yaml", "name: x\n");
  write("list.yaml", "- a\n- b\n");
  write("badkind.yaml", "# comment\nkind: no_such_kind\n");
  fs::create_directories(dir_ / "adir");
  expect_input_error({"check", "absent.yaml", "--out", out.string()}, {"absent.yaml", "no such file"});
  expect_input_error({"check", "adir", "--out", out.string()}, {"adir", "directory"});
  expect_input_error({"check", "empty.yaml", "--out", out.string()}, {"empty.yaml", "empty"});
  expect_input_error({"check", "malformed.yaml", "--out", out.string()}, {"malformed.yaml:3", "malformed"});
  expect_input_error({"check", "nokind.yaml", "--out", out.string()}, {"nokind.yaml:1", "'kind'"});
  expect_input_error({"check", "list.yaml", "--out", out.string()}, {"list.yaml:1", "mapping"});
  expect_input_error({"check", "badkind.yaml", "--out", out.string()}, {"badkind.yaml:2", "'kind'", "no_such_kind"});
  EXPECT_FALSE(fs::exists(out));
  // Nothing else was left behind either: no temporary files.
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir_)) left.push_back(e.path().filename().string());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"adir", "badkind.yaml", "empty.yaml", "list.yaml", "malformed.yaml",
                                            "nokind.yaml"}));
}

}  // namespace
