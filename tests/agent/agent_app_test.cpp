// b3scaleagent's command line and its exit codes before it talks to anyone (in process).
#include "agent_app.hpp"
#include "command_line.hpp"

#include "captured_log.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

namespace b3s::agent::test {
namespace {

EnvLookup envOf(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        const auto it = vars.find(name);
        if (it == vars.end() || it->second.empty()) return std::nullopt;
        return it->second;
    };
}

struct Run {
    int code;
    std::string out, err, log;
};

Run run(std::map<std::string, std::string> env, std::vector<std::string> args = {}) {
    b3s::test::CapturedLog log;
    std::ostringstream out, err;
    AgentApp app(envOf(std::move(env)));
    const int code = app.run(args, out, err);
    auto text = log.text();
    core::log::LogSink::instance().configure(core::log::LogFormat::Structured, core::log::LogLevel::Info);
    return {code, out.str(), err.str(), text};
}

TEST(CommandLine, AcceptsB3scalesAndGnuSpellings) {
    EXPECT_TRUE(parseCommandLine({"-a"}).register_backend);
    EXPECT_TRUE(parseCommandLine({"-register"}).register_backend);
    EXPECT_TRUE(parseCommandLine({"--register"}).register_backend);
    EXPECT_FALSE(parseCommandLine({}).register_backend);
    EXPECT_TRUE(parseCommandLine({"--help"}).help);
    EXPECT_TRUE(parseCommandLine({"-h"}).help);
    EXPECT_TRUE(parseCommandLine({"--version"}).version);
    EXPECT_TRUE(parseCommandLine({"-v"}).version);
    EXPECT_THROW(parseCommandLine({"--regster"}), UsageError);
    EXPECT_THROW(parseCommandLine({"register"}), UsageError);
}

TEST(AgentApp, HelpListsOptionsVariablesAndExitCodes) {
    const auto r = run({}, {"--help"});
    EXPECT_EQ(r.code, 0);
    for (const char* text : {"-a, --register", "--version", "B3SCALE_API_URL", "B3SCALE_API_ACCESS_TOKEN", "BBB_CONFIG",
                             "B3SCALE_LOAD_FACTOR", "B3SCALE_AGENT_HOST_FIGURES", "B3SCALE_LOG_LEVEL",
                             "B3SCALE_LOG_FORMAT", "/etc/default/b3scaleagent", "/etc/sysconfig/b3scaleagent", "78"})
        EXPECT_NE(r.out.find(text), std::string::npos) << text;
    EXPECT_EQ(r.err, "");
}

TEST(AgentApp, VersionPrintsTheVersion) {
    const auto r = run({}, {"--version"});
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.out.rfind("b3scaleagent ", 0), 0u) << r.out;
}

TEST(AgentApp, AWrongCommandLineIsAUsageError) {
    const auto r = run({}, {"--frobnicate"});
    EXPECT_EQ(r.code, 64);
    EXPECT_NE(r.err.find("--frobnicate"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--help"), std::string::npos) << r.err;
}

TEST(AgentApp, ConfigurationErrorsExit78WithOneFatalLine) {
    b3s::test::TempDir dir("agent-app");
    const auto props = dir.write("bbb-web.properties", "bigbluebutton.web.serverURL=https://b.example.org\n");
    const std::map<std::string, std::string> base = {{"B3SCALE_API_URL", "http://127.0.0.1:1"},
                                                     {"B3SCALE_API_ACCESS_TOKEN", "the-token-value"},
                                                     {"BBB_CONFIG", (dir / "missing.properties").string()}};
    struct Case {
        std::string name;
        std::map<std::string, std::string> change;
        std::string event;
        std::string names;
    };
    for (const auto& c : std::vector<Case>{
             {"no token", {{"B3SCALE_API_ACCESS_TOKEN", ""}}, "config_invalid", "B3SCALE_API_ACCESS_TOKEN"},
             {"bad load factor", {{"B3SCALE_LOAD_FACTOR", "heavy"}}, "config_invalid", "B3SCALE_LOAD_FACTOR"},
             {"bad log level", {{"B3SCALE_LOG_LEVEL", "chatty"}}, "config_invalid", "B3SCALE_LOG_LEVEL"},
             {"no properties", {}, "bbb_config_unreadable", "missing.properties"},
             {"no secret", {{"BBB_CONFIG", props.string()}}, "bbb_config_invalid", "securitySalt"},
         }) {
        auto env = base;
        for (const auto& [k, v] : c.change) env[k] = v;
        const auto r = run(env);
        EXPECT_EQ(r.code, 78) << c.name << "\n" << r.log;
        EXPECT_NE(r.log.find("\"" + c.event + "\""), std::string::npos) << c.name << "\n" << r.log;
        EXPECT_NE(r.log.find(c.names), std::string::npos) << c.name << "\n" << r.log;
        EXPECT_NE(r.log.find("\"level\":\"fatal\""), std::string::npos) << c.name << "\n" << r.log;
        EXPECT_EQ(r.log.find("the-token-value"), std::string::npos) << c.name;
    }
}

}  // namespace
}  // namespace b3s::agent::test
