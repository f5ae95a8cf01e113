// `b3scaled --help-config` lists every variable b3scaled and the plugins it can load read, and
// etc/default/b3scale (the env file both packages install) names exactly those: an operator
// who reads either finds everything, and nothing that does not exist.

#include "b3scaled_process.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace b3s::test {
namespace {

// The names in `text`'s lines that match `entry` (group 1 is the name).
std::set<std::string> variablesMatching(const std::string& text, const std::regex& entry) {
    std::set<std::string> names;
    std::istringstream in(text);
    std::string line;
    std::smatch m;
    while (std::getline(in, line))
        if (std::regex_match(line, m, entry)) names.insert(m[1]);
    return names;
}

// Lines that start with a variable name (the listing's entries; descriptions are indented).
std::set<std::string> listedVariables(const std::string& text) {
    return variablesMatching(text, std::regex(R"(^(B3SCALE_[A-Z0-9_]+)(=.*)?$)"));
}

// `KEY=` and `#KEY=` lines of the env file (commented ones show the default).
std::set<std::string> envFileVariables(const std::string& text) {
    return variablesMatching(text, std::regex(R"(^#?(B3SCALE_[A-Z0-9_]+)=.*$)"));
}

std::string helpConfig() {
    B3scaledProcess p({}, {"--help-config"});
    EXPECT_EQ(runToExit(p), 0) << p.stderrText();
    return p.stdoutText();
}

TEST(ConfigHelpTest, ListsThePluginsVariablesFromTheirDescriptors) {
    const std::string text = helpConfig();
    for (const char* plugin :
         {"# balancer plugin 'least_load'", "# balancer plugin 'reserved_seats'", "# balancer plugin 'round_robin'",
          "# auth plugin 'jwt'", "# metrics plugin 'prometheus'", "# recordings plugin 'filesystem'"})
        EXPECT_NE(text.find(plugin), std::string::npos) << plugin << "\n" << text;
    const auto names = listedVariables(text);
    for (const char* variable : {"B3SCALE_AUTH_JWT_LEEWAY", "B3SCALE_METRICS_PROMETHEUS_PROCESS",
                                 "B3SCALE_RECORDINGS_PUBLISHED_PATH", "B3SCALE_DB_URL", "B3SCALE_API_JWT_SECRET"})
        EXPECT_TRUE(names.contains(variable)) << variable;
    EXPECT_FALSE(names.contains("B3SCALE_REVERSE_PROXY_MODE")) << "not implemented, so not offered";
    // Secrets are marked, never shown with a value.
    EXPECT_NE(text.find("B3SCALE_API_JWT_SECRET\n"), std::string::npos) << text;
}

TEST(ConfigHelpTest, TheShippedEnvFileNamesExactlyTheVariablesHelpConfigLists) {
    std::ifstream in(B3S_SOURCE_DIR "/etc/default/b3scale");
    ASSERT_TRUE(in) << "etc/default/b3scale is missing";
    const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto documented = envFileVariables(file);
    const auto listed = listedVariables(helpConfig());
    ASSERT_GT(listed.size(), 60u);
    for (const auto& name : listed) EXPECT_TRUE(documented.contains(name)) << name << " is missing from the env file";
    for (const auto& name : documented)
        EXPECT_TRUE(listed.contains(name)) << name << " is in the env file but b3scaled does not read it";
}

TEST(ConfigHelpTest, AnUnusablePluginDirectoryIsOneLineAndExit78) {
    B3scaledProcess p({{"B3SCALE_PLUGIN_DIR", "/nonexistent/plugins"}}, {"--help-config"});
    EXPECT_EQ(runToExit(p), 78);
    EXPECT_NE(p.stderrText().find("B3SCALE_PLUGIN_DIR"), std::string::npos) << p.stderrText();
}

TEST(ConfigHelpTest, APluginFileTheLoaderRefusesIsNamedNotFatal) {
    const auto dir = makeTempDir("plugins");
    std::ofstream(dir / "libb3s_balancer_broken.so") << "not an ELF file";
    B3scaledProcess p({{"B3SCALE_PLUGIN_DIR", dir.string()}}, {"--help-config"});
    EXPECT_EQ(runToExit(p), 0) << p.stderrText();
    const std::string text = p.stdoutText();
    EXPECT_NE(text.find("# refused: "), std::string::npos) << text;
    EXPECT_NE(text.find("libb3s_balancer_broken.so"), std::string::npos) << text;
    EXPECT_TRUE(listedVariables(text).contains("B3SCALE_DB_URL"));
}

}  // namespace
}  // namespace b3s::test
