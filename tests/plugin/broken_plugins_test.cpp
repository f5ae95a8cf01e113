// Deliberately broken plugins (fixtures/) and hostile names: each must be refused
// with a sentence an operator can act on, and nothing of them may stay mapped.

#include "load_test_support.hpp"

#include <b3s/plugin/balancer.hpp>
#include <manual_core_clock.hpp>
#include <temp_dir.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace b3s::test {
namespace {

namespace fs = std::filesystem;
using core::plugin::PluginLoader;

TEST(BrokenPlugins, AreRefusedWithAReadableReason) {
    struct Case {
        int line;
        std::string name;
        std::vector<std::string> message_contains;
        EnvMap env;
    };
    const std::vector<Case> cases = {
        {__LINE__, "wrong_abi", {"ABI " + std::to_string(plugin::kAbiVersion + 1), "rebuild"}, {}},
        {__LINE__, "wrong_kind", {"metrics plugin", "not a balancer plugin"}, {}},
        {__LINE__, "missing_factory", {"b3s_create_balancer"}, {}},
        {__LINE__, "throwing_factory", {"boom"}, {}},
        {__LINE__, "slash_name", {"name", "evil/name"}, {}},
        {__LINE__, "not_a_plugin", {"not a b3scale plugin", "b3s_plugin_descriptor"}, {}},
        {__LINE__,
         "config_error",
         {"B3SCALE_BALANCER_FIXTURE_MODE", "strict or lenient", "got 'loud'"},
         {{"B3SCALE_BALANCER_FIXTURE_MODE", "loud"}}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line) + ": " + c.name);
        auto env = environment(c.env);
        ManualCoreClock clock;
        PluginLoader loader(kFixtureDir, env, clock);
        const fs::path file = kFixtureDir / ("libb3s_balancer_" + c.name + ".so");
        ASSERT_TRUE(fs::exists(file)) << file;
        std::string message = loadErrorOf([&] { loader.load<plugin::BalancerStrategy>(c.name); });
        EXPECT_NE(message.find(file.filename().string()), std::string::npos) << "the file is named: " << message;
        for (const auto& part : c.message_contains) EXPECT_NE(message.find(part), std::string::npos) << message;
        EXPECT_FALSE(isMapped(file)) << "a refused plugin must not stay loaded";
    }
}

TEST(BrokenPlugins, ListedAsAvailableOnlyByFileName) {
    auto env = environment();
    ManualCoreClock clock;
    PluginLoader loader(kFixtureDir, env, clock);
    auto names = loader.available("balancer");
    for (const char* expected : {"config_error", "missing_factory", "not_a_plugin", "slash_name", "throwing_factory",
                                 "wrong_abi", "wrong_kind"}) {
        SCOPED_TRACE(expected);
        EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end());
    }
}

// A name is checked before it becomes part of a path. Copies of a library that records its
// own loading sit exactly where a naive dir / "libb3s_<kind>_<name>.so" would lead.
TEST(HostileNames, AreRefusedBeforeAnyFileIsOpened) {
    TempDir root("b3s-hostile");
    const fs::path pluginDir = root.mkdir("plugins");
    const fs::path tripwire = B3S_FIXTURE_TRIPWIRE_FILE;
    ASSERT_TRUE(fs::exists(tripwire)) << tripwire;

    struct Case {
        int line;
        std::string name;
    };
    const std::vector<Case> cases = {
        {__LINE__, "../x"},
        {__LINE__, ".."},
        {__LINE__, "a/b"},
        {__LINE__, "/tmp/x"},
        {__LINE__, "..%2fx"},
        {__LINE__, ""},
        {__LINE__, "Least_Load"},
        {__LINE__, "least-load"},
        {__LINE__, "least_load.so"},
        {__LINE__, std::string("least\0load", 10)},
        {__LINE__, std::string(65, 'a')},
    };
    auto env = environment();
    ManualCoreClock clock;
    PluginLoader loader(pluginDir, env, clock);
    ::unsetenv("B3S_FIXTURE_TRIPWIRE");
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        // Plant the tripwire wherever plain string concatenation would resolve.
        const fs::path naive = pluginDir / ("libb3s_balancer_" + c.name + ".so");
        std::error_code ec;
        fs::create_directories(naive.parent_path(), ec);
        if (!ec && naive.has_filename() && naive.string().find('\0') == std::string::npos)
            fs::copy_file(tripwire, naive, fs::copy_options::overwrite_existing, ec);

        std::string message = loadErrorOf([&] { loader.load<plugin::BalancerStrategy>(c.name); });
        EXPECT_NE(message.find("not a plugin name"), std::string::npos) << message;
        EXPECT_EQ(std::getenv("B3S_FIXTURE_TRIPWIRE"), nullptr) << "a file was loaded for name '" << c.name << "'";
    }
}

TEST(HostileNames, TripwireWorks) {
    // Guards the test above: the tripwire does fire when a library is really loaded.
    TempDir root("b3s-tripwire");
    const fs::path copy = root / "libb3s_balancer_tripwire.so";
    fs::copy_file(B3S_FIXTURE_TRIPWIRE_FILE, copy);
    ::unsetenv("B3S_FIXTURE_TRIPWIRE");
    auto env = environment();
    ManualCoreClock clock;
    PluginLoader loader(root.path(), env, clock);
    std::string message = loadErrorOf([&] { loader.load<plugin::BalancerStrategy>("tripwire"); });
    EXPECT_NE(message.find("b3s_plugin_descriptor"), std::string::npos) << message;
    EXPECT_NE(std::getenv("B3S_FIXTURE_TRIPWIRE"), nullptr);
    ::unsetenv("B3S_FIXTURE_TRIPWIRE");
}

}  // namespace
}  // namespace b3s::test
