// The agent's environment variables and env files.
#include "agent_settings.hpp"
#include "agent_exit.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

namespace b3s::agent::test {
namespace {

EnvLookup envOf(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        const auto it = vars.find(name);
        if (it == vars.end() || it->second.empty()) return std::nullopt;
        return it->second;
    };
}

std::map<std::string, std::string> minimal() {
    return {{"B3SCALE_API_URL", "https://api.bbb.example.org/"}, {"B3SCALE_API_ACCESS_TOKEN", "token"}};
}

/// The variable an invalid environment is refused for.
std::string refusedVariable(std::map<std::string, std::string> vars) {
    try {
        readAgentSettings(envOf(std::move(vars)));
    } catch (const AgentExit& e) {
        EXPECT_EQ(e.code(), 78);
        EXPECT_EQ(e.event(), "config_invalid");
        for (const auto& [k, v] : e.fields())
            if (k == "variable") return v;
    }
    return "";
}

TEST(AgentSettings, DefaultsAndValues) {
    auto s = readAgentSettings(envOf(minimal()));
    EXPECT_EQ(s.api_url, "https://api.bbb.example.org");
    EXPECT_EQ(s.access_token, "token");
    EXPECT_EQ(s.bbb_config, "/etc/bigbluebutton/bbb-web.properties");
    EXPECT_DOUBLE_EQ(s.load_factor, 1.0);
    EXPECT_TRUE(s.host_figures);
    EXPECT_EQ(s.log_level, core::log::LogLevel::Info);
    EXPECT_EQ(s.log_format, core::log::LogFormat::Structured);

    auto vars = minimal();
    vars["BBB_CONFIG"] = "/tmp/bbb.properties";
    vars["B3SCALE_LOAD_FACTOR"] = " 2.5 ";
    vars["B3SCALE_AGENT_HOST_FIGURES"] = "off";
    vars["B3SCALE_LOG_LEVEL"] = "debug";
    vars["B3SCALE_LOG_FORMAT"] = "plain";
    s = readAgentSettings(envOf(vars));
    EXPECT_EQ(s.bbb_config, "/tmp/bbb.properties");
    EXPECT_DOUBLE_EQ(s.load_factor, 2.5);
    EXPECT_FALSE(s.host_figures);
    EXPECT_EQ(s.log_level, core::log::LogLevel::Debug);
    EXPECT_EQ(s.log_format, core::log::LogFormat::Plain);
}

TEST(AgentSettings, MissingRequiredVariablesAreConfigurationErrors) {
    auto vars = minimal();
    vars.erase("B3SCALE_API_ACCESS_TOKEN");
    EXPECT_EQ(refusedVariable(vars), "B3SCALE_API_ACCESS_TOKEN");
    vars = minimal();
    vars["B3SCALE_API_ACCESS_TOKEN"] = "  ";
    EXPECT_EQ(refusedVariable(vars), "B3SCALE_API_ACCESS_TOKEN");
    vars = minimal();
    vars.erase("B3SCALE_API_URL");
    EXPECT_EQ(refusedVariable(vars), "B3SCALE_API_URL");
    vars = minimal();
    vars["B3SCALE_API_URL"] = "api.bbb.example.org";
    EXPECT_EQ(refusedVariable(vars), "B3SCALE_API_URL");
}

TEST(AgentSettings, AnUnparsableLoadFactorIsAnErrorNotSilentlyOne) {
    for (const char* bad : {"abc", "1.5x", "0", "-1", "nan", "inf", "1,5"}) {
        auto vars = minimal();
        vars["B3SCALE_LOAD_FACTOR"] = bad;
        EXPECT_EQ(refusedVariable(vars), "B3SCALE_LOAD_FACTOR") << bad;
    }
    EXPECT_EQ(parseLoadFactor("0.5"), 0.5);
    EXPECT_EQ(parseLoadFactor("10"), 10.0);
    EXPECT_EQ(parseLoadFactor("1e1"), 10.0);
}

TEST(AgentSettings, InvalidSwitchesAndLogSettingsAreErrors) {
    auto vars = minimal();
    vars["B3SCALE_AGENT_HOST_FIGURES"] = "maybe";
    EXPECT_EQ(refusedVariable(vars), "B3SCALE_AGENT_HOST_FIGURES");
    vars = minimal();
    vars["B3SCALE_LOG_LEVEL"] = "loud";
    EXPECT_EQ(refusedVariable(vars), "B3SCALE_LOG_LEVEL");
    vars = minimal();
    vars["B3SCALE_LOG_FORMAT"] = "xml";
    EXPECT_EQ(refusedVariable(vars), "B3SCALE_LOG_FORMAT");
    for (const char* on : {"true", "YES", "On", "1"}) EXPECT_EQ(parseSwitch(on), true) << on;
    for (const char* off : {"false", "No", "OFF", "0"}) EXPECT_EQ(parseSwitch(off), false) << off;
}

TEST(AgentSettings, TheTokenIsNeverInAMessage) {
    auto vars = minimal();
    vars["B3SCALE_API_ACCESS_TOKEN"] = "secret-token-value";
    vars["B3SCALE_LOAD_FACTOR"] = "bad";
    try {
        readAgentSettings(envOf(vars));
        FAIL();
    } catch (const AgentExit& e) {
        EXPECT_EQ(std::string(e.what()).find("secret-token-value"), std::string::npos);
    }
}

TEST(AgentEnvFiles, TheAgentsOwnFileWinsOverTheSharedOnesAndTheEnvironmentOverAll) {
    EXPECT_EQ(agentEnvFiles(), (std::vector<std::string>{"/etc/default/b3scaleagent", "/etc/sysconfig/b3scaleagent",
                                                         "/etc/default/b3scale", "/etc/sysconfig/b3scale"}));
    b3s::test::TempDir dir("agent-env");
    const auto own = dir.write("b3scaleagent", "B3S_AGENT_TEST_A=own\nB3S_AGENT_TEST_B=own\n");
    const auto shared =
        dir.write("b3scale", "B3S_AGENT_TEST_A=shared\nB3S_AGENT_TEST_C=shared\nB3S_AGENT_TEST_D=shared\n");
    ::setenv("B3S_AGENT_TEST_D", "environment", 1);
    const auto read = loadAgentEnvFiles({own.string(), (dir / "missing").string(), shared.string()});
    EXPECT_EQ(read, (std::vector<std::string>{own.string(), shared.string()}));
    EXPECT_STREQ(std::getenv("B3S_AGENT_TEST_A"), "own");
    EXPECT_STREQ(std::getenv("B3S_AGENT_TEST_B"), "own");
    EXPECT_STREQ(std::getenv("B3S_AGENT_TEST_C"), "shared");
    EXPECT_STREQ(std::getenv("B3S_AGENT_TEST_D"), "environment");
    for (const char* name : {"B3S_AGENT_TEST_A", "B3S_AGENT_TEST_B", "B3S_AGENT_TEST_C", "B3S_AGENT_TEST_D"})
        ::unsetenv(name);
}

}  // namespace
}  // namespace b3s::agent::test
