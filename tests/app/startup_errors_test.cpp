// What an operator sees when the configuration is wrong: one clear line naming the
// variable, a non-zero exit, and never a secret.

#include "b3scaled_process.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace b3s::test {
namespace fs = std::filesystem;
namespace {

Env sqliteEnv() {
    Env e = baseEnv();
    e["B3SCALE_DB_URL"] = "sqlite://" + (makeTempDir("sqlite") / "b3scale.db").string();
    return e;
}

std::vector<std::string> fatalLines(const B3scaledProcess& p) {
    std::vector<std::string> fatal;
    for (const auto& line : p.stderrLines())
        if (line.find("\"level\":\"fatal\"") != std::string::npos || line.find(" FTL ") != std::string::npos)
            fatal.push_back(line);
    return fatal;
}

struct BadValue {
    const char* variable;
    const char* value;
    const char* expected_hint;  // part of the accepted-values sentence
};

void PrintTo(const BadValue& b, std::ostream* os) {
    *os << b.variable << "=" << b.value;
}

class InvalidValueTest : public ::testing::TestWithParam<BadValue> {};

TEST_P(InvalidValueTest, StopsWithOneLineNamingTheVariableAndTheAcceptedValues) {
    const auto& bad = GetParam();
    Env env = sqliteEnv();
    env[bad.variable] = bad.value;
    B3scaledProcess p(env, {"--check-config"});
    EXPECT_EQ(runToExit(p), 78);
    auto fatal = fatalLines(p);
    ASSERT_EQ(fatal.size(), 1u) << p.stderrText();
    EXPECT_NE(fatal[0].find(bad.variable), std::string::npos) << fatal[0];
    EXPECT_NE(fatal[0].find(bad.expected_hint), std::string::npos) << fatal[0];
}

INSTANTIATE_TEST_SUITE_P(
    EveryKindOfValue, InvalidValueTest,
    ::testing::Values(BadValue{"B3SCALE_LOG_LEVEL", "verbose", "trace, debug, info, warn, error, fatal, panic"},
                      BadValue{"B3SCALE_LOG_LEVEL", "7", "a number from -1 to 5"},
                      BadValue{"B3SCALE_LOG_FORMAT", "xml", "structured or plain"},
                      BadValue{"B3SCALE_LISTEN_HTTP", "localhost", "host:port"},
                      BadValue{"B3SCALE_LISTEN_HTTP", "127.0.0.1:70000", "host:port"},
                      BadValue{"B3SCALE_DB_POOL_SIZE", "many", "whole number from 1 to 10000"},
                      BadValue{"B3SCALE_DB_POOL_SIZE", "0", "whole number from 1 to 10000"},
                      BadValue{"B3SCALE_HTTP_REQUEST_TIMEOUT", "1.5", "whole number"},
                      BadValue{"B3SCALE_API_URL", "ftp://example.org", "public base URL"},
                      BadValue{"B3SCALE_DB_URL", "mysql://x", "postgres://"},
                      BadValue{"B3SCALE_PLUGIN_DIR", "/nonexistent/plugins", "not a directory"},
                      BadValue{"B3SCALE_BALANCER_PLUGIN", "none", "a balancer plugin is required"},
                      BadValue{"B3SCALE_BALANCER_PLUGIN", "../../etc/evil", "not a plugin name"},
                      BadValue{"B3SCALE_METRICS_PLUGIN", "nope", "available in"},
                      BadValue{"B3SCALE_BALANCER_TYPO", "1", "does not know B3SCALE_BALANCER_TYPO"}),
    [](const auto& info) { return std::string(info.param.variable).substr(8) + "_" + std::to_string(info.index); });

TEST(StartupErrorsTest, PlainFormatGivesAHumanLine) {
    Env env = sqliteEnv();
    env["B3SCALE_LOG_FORMAT"] = "plain";
    env["B3SCALE_LOG_LEVEL"] = "loud";
    B3scaledProcess p(env, {"--check-config"});
    EXPECT_EQ(runToExit(p), 78);
    auto lines = p.stderrLines();
    ASSERT_EQ(lines.size(), 1u) << p.stderrText();
    EXPECT_EQ(lines[0].find('{'), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("FTL"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("B3SCALE_LOG_LEVEL"), std::string::npos) << lines[0];
}

TEST(StartupErrorsTest, MissingJwtSecretIsNamed) {
    Env env = sqliteEnv();
    env.erase("B3SCALE_API_JWT_SECRET");
    B3scaledProcess p(env, {"--check-config"});
    EXPECT_EQ(runToExit(p), 78);
    EXPECT_NE(p.stderrText().find("B3SCALE_API_JWT_SECRET"), std::string::npos) << p.stderrText();
}

// An operator who sets a short secret learns the rule at once, before anything listens.
TEST(StartupErrorsTest, AShortJwtSecretIsRefusedWithTheRule) {
    for (const auto& args : {std::vector<std::string>{}, std::vector<std::string>{"--check-config"}}) {
        SCOPED_TRACE(args.empty() ? "start" : args.front());
        Env env = sqliteEnv();
        env["B3SCALE_API_JWT_SECRET"] = "a";
        B3scaledProcess p(env, args);
        EXPECT_EQ(runToExit(p), 78);
        EXPECT_NE(p.stderrText().find("B3SCALE_API_JWT_SECRET is 1 bytes long; at least 32 are required (make one "
                                      "with `openssl rand -hex 32`)"),
                  std::string::npos)
            << p.stderrText();
        EXPECT_EQ(p.stderrText().find("\"ready\""), std::string::npos) << p.stderrText();
    }
}

// A rotation set up wrong (a short previous secret, or the new master pasted twice) stops the
// start with the variable named, and neither value is printed.
TEST(StartupErrorsTest, AShortOrRepeatedPreviousJwtSecretIsRefused) {
    const std::string short_previous = "old-master-but-short";
    for (const auto& [previous, sentence] : std::vector<std::pair<std::string, std::string>>{
             {short_previous, "B3SCALE_API_JWT_SECRET_PREVIOUS is 20 bytes long; at least 32 are required"},
             {kBaseJwtSecret, "B3SCALE_API_JWT_SECRET_PREVIOUS is the same as B3SCALE_API_JWT_SECRET"}}) {
        SCOPED_TRACE(sentence);
        Env env = sqliteEnv();
        env["B3SCALE_API_JWT_SECRET_PREVIOUS"] = previous;
        B3scaledProcess p(env);
        EXPECT_EQ(runToExit(p), 78);
        const auto fatal = fatalLines(p);
        ASSERT_EQ(fatal.size(), 1u) << p.stderrText();
        EXPECT_NE(fatal[0].find(sentence), std::string::npos) << fatal[0];
        EXPECT_EQ(p.stderrText().find(previous), std::string::npos) << "the value is never printed";
        EXPECT_EQ(p.stderrText().find(kBaseJwtSecret), std::string::npos) << "nor the master";
        EXPECT_EQ(p.stderrText().find("\"ready\""), std::string::npos) << p.stderrText();
    }
}

TEST(StartupErrorsTest, UnreachableDatabaseExitsUnavailableWithoutLeakingThePassword) {
    Env env = baseEnv();
    env["B3SCALE_DB_URL"] = "postgres://b3s:VerySecretPw@127.0.0.1:1/b3scale";
    env["B3SCALE_DB_CONNECT_TIMEOUT"] = "2";
    B3scaledProcess p(env);
    EXPECT_EQ(runToExit(p), 69);
    const std::string log = p.stderrText();
    EXPECT_EQ(log.find("VerySecretPw"), std::string::npos) << log;
    EXPECT_EQ(log.find("integration-test-secret"), std::string::npos) << log;
    EXPECT_NE(log.find("\"message\":\"store_unavailable\""), std::string::npos) << log;
    EXPECT_EQ(fatalLines(p).size(), 1u) << log;
}

TEST(StartupErrorsTest, BusyPortIsNamed) {
    Env env = sqliteEnv();
    {
        B3scaledProcess m(env, {"--migrate"});
        ASSERT_EQ(runToExit(m), 0) << m.stderrText();
    }
    B3scaledProcess first(env);
    auto port = first.waitReady();
    ASSERT_TRUE(port) << first.stderrText();
    // A database of its own: an embedded SQLite file admits one b3scaled process.
    Env second_env = sqliteEnv();
    {
        B3scaledProcess m(second_env, {"--migrate"});
        ASSERT_EQ(runToExit(m), 0) << m.stderrText();
    }
    second_env["B3SCALE_LISTEN_HTTP"] = "127.0.0.1:" + std::to_string(*port);
    B3scaledProcess second(second_env);
    EXPECT_EQ(runToExit(second), 78);
    EXPECT_NE(second.stderrText().find("B3SCALE_LISTEN_HTTP"), std::string::npos) << second.stderrText();
}

TEST(StartupErrorsTest, VersionPrintsAndExits) {
    B3scaledProcess p({}, {"--version"});
    EXPECT_EQ(runToExit(p), 0);
}

// An operator's env file from b3scale (Go) keeps working: the join-proxy switch is accepted and
// b3scaled says once that joins stay redirects.
TEST(StartupErrorsTest, ReverseProxyModeFromAGoB3scaleEnvFileStartsWithAWarning) {
    Env env = sqliteEnv();
    env["B3SCALE_REVERSE_PROXY_MODE"] = "true";
    B3scaledProcess p(env, {"--check-config"});
    EXPECT_EQ(runToExit(p), 0) << p.stderrText();
    const std::string log = p.stderrText();
    EXPECT_NE(log.find("setting_not_supported"), std::string::npos) << log;
    EXPECT_NE(log.find("B3SCALE_REVERSE_PROXY_MODE"), std::string::npos) << log;
    EXPECT_EQ(log.find("config_unknown_variable"), std::string::npos) << log;

    env["B3SCALE_REVERSE_PROXY_MODE"] = "false";
    B3scaledProcess quiet(env, {"--check-config"});
    EXPECT_EQ(runToExit(quiet), 0) << quiet.stderrText();
    EXPECT_EQ(quiet.stderrText().find("B3SCALE_REVERSE_PROXY_MODE"), std::string::npos) << quiet.stderrText();
}

TEST(StartupErrorsTest, UnknownVariableInNoPluginNamespaceIsAWarningNotAnError) {
    Env env = sqliteEnv();
    env["B3SCALE_SOMETHING_ODD"] = "1";
    B3scaledProcess p(env, {"--check-config"});
    EXPECT_EQ(runToExit(p), 0) << p.stderrText();
    const std::string log = p.stderrText();
    EXPECT_NE(log.find("config_unknown_variable"), std::string::npos);
    EXPECT_NE(log.find("B3SCALE_SOMETHING_ODD"), std::string::npos);
}

// The env files b3scale reads when B3SCALE_DB_URL is not in the environment; the process
// environment wins over a file.
TEST(EnvFilesTest, DotEnvIsReadWhenDbUrlIsUnsetAndTheEnvironmentWins) {
    fs::path cwd = makeTempDir("cwd");
    fs::path db = makeTempDir("sqlite") / "from-file.db";
    {
        std::ofstream f(cwd / ".env");
        f << "# comment\n"
          << "B3SCALE_DB_URL=\"sqlite://" << db.string() << "\"\n"
          << "B3SCALE_API_URL='https://from-file.example.org/'\n"
          << "B3SCALE_LOG_LEVEL = debug\n";
    }
    Env env = baseEnv();
    env["B3SCALE_API_URL"] = "https://from-env.example.org";
    B3scaledProcess p(env, {"--check-config"}, cwd);
    ASSERT_EQ(runToExit(p), 0) << p.stderrText();
    const std::string log = p.stderrText();
    EXPECT_NE(log.find("\"message\":\"env_file_loaded\",\"path\":\".env\""), std::string::npos) << log;
    EXPECT_NE(log.find(db.string()), std::string::npos) << log;
    EXPECT_NE(log.find("from-env.example.org"), std::string::npos) << log;
    EXPECT_EQ(log.find("from-file.example.org"), std::string::npos) << log;
}

TEST(EnvFilesTest, EnvFilesAreIgnoredWhenDbUrlIsSet) {
    fs::path cwd = makeTempDir("cwd");
    {
        std::ofstream f(cwd / ".env");
        f << "B3SCALE_LOG_LEVEL=nonsense\n";
    }
    Env env = sqliteEnv();
    B3scaledProcess p(env, {"--check-config"}, cwd);
    EXPECT_EQ(runToExit(p), 0) << p.stderrText();
}

}  // namespace
}  // namespace b3s::test
