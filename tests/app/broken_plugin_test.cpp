// Each deliberately broken plugin in tests/plugin/fixtures is refused at start-up with a
// sentence an operator understands, and b3scaled exits non-zero without serving.

#include "b3scaled_process.hpp"

#include <gtest/gtest.h>

namespace b3s::test {
namespace fs = std::filesystem;
namespace {

struct BrokenPlugin {
    const char* name;      // libb3s_balancer_<name>.so in the fixture directory
    const char* sentence;  // the part of the refusal an operator must read
};

void PrintTo(const BrokenPlugin& b, std::ostream* os) {
    *os << b.name;
}

class BrokenPluginTest : public ::testing::TestWithParam<BrokenPlugin> {};

TEST_P(BrokenPluginTest, IsRefusedWithAClearSentenceAndANonZeroExit) {
    // A plugin directory holding the real plugins plus the broken balancer.
    fs::path dir = makeTempDir("plugins");
    for (const auto& entry : fs::directory_iterator(pluginDir()))
        fs::create_symlink(entry.path(), dir / entry.path().filename());
    std::string file = std::string("libb3s_balancer_") + GetParam().name + ".so";
    fs::create_symlink(fixturePluginDir() / file, dir / file);

    Env env = baseEnv();
    env["B3SCALE_DB_URL"] = "sqlite://" + (makeTempDir("sqlite") / "b3scale.db").string();
    env["B3SCALE_PLUGIN_DIR"] = dir.string();
    env["B3SCALE_BALANCER_PLUGIN"] = GetParam().name;
    B3scaledProcess p(env);
    EXPECT_EQ(runToExit(p), 78);
    std::vector<std::string> fatal;
    for (const auto& line : p.stderrLines())
        if (line.find("\"level\":\"fatal\"") != std::string::npos) fatal.push_back(line);
    ASSERT_EQ(fatal.size(), 1u) << p.stderrText();
    EXPECT_NE(fatal[0].find("plugin_refused"), std::string::npos) << fatal[0];
    EXPECT_NE(fatal[0].find(GetParam().sentence), std::string::npos) << fatal[0];
    EXPECT_EQ(p.stderrText().find("\"message\":\"ready\""), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, BrokenPluginTest,
    ::testing::Values(BrokenPlugin{"wrong_abi", "rebuild the plugin against this b3scaled"},
                      BrokenPlugin{"wrong_kind", "is a metrics plugin, not a balancer plugin"},
                      BrokenPlugin{"missing_factory", "does not export its factory 'b3s_create_balancer'"},
                      BrokenPlugin{"throwing_factory", "failed to start: boom"},
                      BrokenPlugin{"slash_name", "declares the invalid plugin name"},
                      BrokenPlugin{"not_a_plugin", "is not a b3scale plugin"},
                      BrokenPlugin{"config_error", "rejected its configuration: B3SCALE_BALANCER_FIXTURE_MODE"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace b3s::test
