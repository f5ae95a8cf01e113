#include "config/core_settings.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

namespace b3s::core::config {
namespace {

// Every environment here carries the required secret unless the test sets it (empty = unset).
Environment envOf(std::map<std::string, std::string, std::less<>> vars) {
    vars.emplace("B3SCALE_API_JWT_SECRET", "unit-test-secret");
    return Environment(std::move(vars));
}

TEST(CoreSettingsTest, DefaultsMatchTheDocumentedOnes) {
    auto s = parseCoreSettings(envOf({}), {});
    EXPECT_EQ(s.listen.toString(), "127.0.0.1:42352");
    EXPECT_EQ(s.db_pool_size, 128);
    EXPECT_EQ(s.cmd_worker_pool_size, 16);
    EXPECT_TRUE(s.db_url_is_default);
    EXPECT_EQ(s.db_url, "sqlite:///var/lib/b3scale/b3scale.db");
    EXPECT_EQ(s.api_url, "http://127.0.0.1:42352");
    EXPECT_EQ(s.log_level, log::LogLevel::Info);
    EXPECT_EQ(s.log_format, log::LogFormat::Structured);
    EXPECT_EQ(s.http_request_timeout_s, 60);
    EXPECT_EQ(s.http_read_header_timeout_s, 5);
    EXPECT_EQ(s.http_write_timeout_s, 60);
    EXPECT_EQ(s.http_idle_timeout_s, 120);
    EXPECT_FALSE(s.reverse_proxy_mode);
    EXPECT_EQ(s.backend_connect_timeout_ms, 3000);
    EXPECT_EQ(s.backend_response_timeout_ms, 20000);
    EXPECT_EQ(s.get_meetings_timeout_ms, 5000);
    EXPECT_EQ(s.callback_token_ttl_s, 14 * 24 * 3600);
    EXPECT_EQ(s.callback_grace, std::chrono::hours(24));
    EXPECT_EQ(s.jwt_secret, "unit-test-secret");
}

TEST(CoreSettingsTest, TheSecretIsRequiredAndNeverEchoed) {
    try {
        parseCoreSettings(envOf({{"B3SCALE_API_JWT_SECRET", ""}}), {});
        ADD_FAILURE() << "started without a secret";
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.key(), "B3SCALE_API_JWT_SECRET");
    }
    try {
        parseCoreSettings(envOf({{"B3SCALE_API_JWT_SECRET", "s3cr3t-value"}, {"B3SCALE_DB_POOL_SIZE", "x"}}), {});
        ADD_FAILURE();
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()).find("s3cr3t-value"), std::string::npos) << e.what();
    }
}

TEST(CoreSettingsTest, SystemdStateDirectoryHoldsTheEmbeddedDatabase) {
    auto s = parseCoreSettings(envOf({{"STATE_DIRECTORY", "/var/lib/b3scale-x:/other"}}), {});
    EXPECT_EQ(s.db_url, "sqlite:///var/lib/b3scale-x/b3scale.db");
}

TEST(CoreSettingsTest, EmptyValuesCountAsUnset) {
    auto s = parseCoreSettings(envOf({{"B3SCALE_DB_POOL_SIZE", ""}, {"B3SCALE_LOG_LEVEL", ""}}), {});
    EXPECT_EQ(s.db_pool_size, 128);
    EXPECT_EQ(s.log_level, log::LogLevel::Info);
}

TEST(CoreSettingsTest, ListenAddressForms) {
    struct Case {
        int line;
        const char* value;
        const char* host;
        int port;
    };
    for (const auto& c :
         {Case{__LINE__, "127.0.0.1:8080", "127.0.0.1", 8080}, Case{__LINE__, "[::1]:42352", "::1", 42352},
          Case{__LINE__, ":9000", "0.0.0.0", 9000}, Case{__LINE__, "127.0.0.1:0", "127.0.0.1", 0}}) {
        SCOPED_TRACE(c.line);
        auto s = parseCoreSettings(envOf({{"B3SCALE_LISTEN_HTTP", c.value}}), {});
        EXPECT_EQ(s.listen.host, c.host);
        EXPECT_EQ(s.listen.port, c.port);
    }
}

TEST(CoreSettingsTest, InvalidValuesNameTheVariable) {
    struct Case {
        int line;
        const char* key;
        const char* value;
    };
    for (const auto& c :
         {Case{__LINE__, "B3SCALE_LISTEN_HTTP", "::1:80"}, Case{__LINE__, "B3SCALE_LISTEN_HTTP", "host:"},
          Case{__LINE__, "B3SCALE_DB_POOL_SIZE", "-3"}, Case{__LINE__, "B3SCALE_DB_POOL_SIZE", "12abc"},
          Case{__LINE__, "B3SCALE_HTTP_IDLE_TIMEOUT", "0"}, Case{__LINE__, "B3SCALE_REVERSE_PROXY_MODE", "sometimes"},
          Case{__LINE__, "B3SCALE_LOG_FORMAT", "json5"}, Case{__LINE__, "B3SCALE_API_URL", "b3scale.example.org"},
          Case{__LINE__, "B3SCALE_AUTH_PLUGIN", "none"}, Case{__LINE__, "B3SCALE_BACKEND_CONNECT_TIMEOUT_MS", "10"},
          Case{__LINE__, "B3SCALE_GET_MEETINGS_TIMEOUT_MS", "5s"}, Case{__LINE__, "B3SCALE_CALLBACK_TOKEN_TTL", "0"},
          Case{__LINE__, "B3SCALE_CALLBACK_GRACE", "0"}, Case{__LINE__, "B3SCALE_CALLBACK_GRACE", "31d"},
          Case{__LINE__, "B3SCALE_CALLBACK_GRACE", "721h"}, Case{__LINE__, "B3SCALE_CALLBACK_GRACE", "soon"}}) {
        SCOPED_TRACE(c.line);
        try {
            parseCoreSettings(envOf({{c.key, c.value}}), {});
            ADD_FAILURE() << c.key << "=" << c.value << " was accepted";
        } catch (const ConfigError& e) {
            EXPECT_EQ(e.key(), c.key);
            EXPECT_NE(std::string(e.what()).find(c.key), std::string::npos) << e.what();
        }
    }
}

TEST(CoreSettingsTest, CallbackGraceIsADuration) {
    EXPECT_EQ(parseCoreSettings(envOf({{"B3SCALE_CALLBACK_GRACE", "2s"}}), {}).callback_grace, std::chrono::seconds(2));
    EXPECT_EQ(parseCoreSettings(envOf({{"B3SCALE_CALLBACK_GRACE", "720h"}}), {}).callback_grace,
              std::chrono::hours(720));
}

TEST(CoreSettingsTest, LogLevelsByNameAndNumber) {
    struct Case {
        int line;
        const char* text;
        log::LogLevel level;
    };
    for (const auto& c : {Case{__LINE__, "trace", log::LogLevel::Trace}, Case{__LINE__, "-1", log::LogLevel::Trace},
                          Case{__LINE__, "DEBUG", log::LogLevel::Debug}, Case{__LINE__, "0", log::LogLevel::Debug},
                          Case{__LINE__, "info", log::LogLevel::Info}, Case{__LINE__, "2", log::LogLevel::Warn},
                          Case{__LINE__, "error", log::LogLevel::Error}, Case{__LINE__, "4", log::LogLevel::Fatal},
                          Case{__LINE__, "panic", log::LogLevel::Panic}, Case{__LINE__, "5", log::LogLevel::Panic}}) {
        SCOPED_TRACE(c.line);
        EXPECT_EQ(parseLogLevelSetting(envOf({{"B3SCALE_LOG_LEVEL", c.text}})), c.level);
    }
}

TEST(CoreSettingsTest, ApiUrlLosesTrailingSlashes) {
    auto s = parseCoreSettings(envOf({{"B3SCALE_API_URL", "https://lb.example.org//"}}), {});
    EXPECT_EQ(s.api_url, "https://lb.example.org");
    EXPECT_FALSE(s.api_url_is_default);
}

TEST(CoreSettingsTest, RecordingsPluginOnlyWhenRecordingsAreConfigured) {
    auto find = [](const CoreSettings& s, const std::string& kind) {
        for (const auto& p : s.plugins)
            if (p.kind == kind) return p.name;
        return std::string("<absent>");
    };
    EXPECT_EQ(find(parseCoreSettings(envOf({}), {}), "recordings"), "");
    EXPECT_EQ(find(parseCoreSettings(envOf({{"B3SCALE_RECORDINGS_PUBLISHED_PATH", "/x"}}), {}), "recordings"),
              "filesystem");
    EXPECT_EQ(find(parseCoreSettings(
                       envOf({{"B3SCALE_RECORDINGS_PUBLISHED_PATH", "/x"}, {"B3SCALE_RECORDINGS_PLUGIN", "none"}}), {}),
                   "recordings"),
              "");
    EXPECT_EQ(find(parseCoreSettings(envOf({}), {}), "metrics"), "prometheus");
    EXPECT_EQ(find(parseCoreSettings(envOf({{"B3SCALE_METRICS_PLUGIN", "none"}}), {}), "metrics"), "");
}

TEST(CoreSettingsTest, UnclaimedKeysExcludeCoreForeignAndPluginKeys) {
    auto env = envOf({{"B3SCALE_DB_POOL_SIZE", "4"},
                      {"B3SCALE_LOAD_FACTOR", "1.0"},
                      {"B3SCALE_API_JWT_SECRET", "s"},
                      {"B3SCALE_DB_POOLSIZE", "4"}});
    auto unclaimed = unclaimedKeys(env, {"B3SCALE_API_JWT_SECRET"});
    ASSERT_EQ(unclaimed.size(), 1u);
    EXPECT_EQ(unclaimed[0], "B3SCALE_DB_POOLSIZE");
}

TEST(CoreSettingsTest, EveryCoreKeyIsDocumentedInTheShippedEnvFile) {
    // etc/default/b3scale is what operators edit; it must mention every variable.
    std::ifstream in(B3S_SOURCE_DIR "/etc/default/b3scale");
    ASSERT_TRUE(in) << "etc/default/b3scale is missing";
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const auto& key : coreKeys()) EXPECT_NE(text.find(key.name), std::string::npos) << key.name;
}

}  // namespace
}  // namespace b3s::core::config

namespace b3s::core::config {
namespace {

TEST(CoreSettingsTest, AccessLogAndPerMeetingMetricsAreCheckedAtStart) {
    using Mode = config::AccessLogPolicy::Mode;
    auto s = parseCoreSettings(envOf({}), {});
    EXPECT_EQ(s.access_log.mode, Mode::All);
    EXPECT_TRUE(s.metrics_per_meeting);
    s = parseCoreSettings(envOf({{"B3SCALE_ACCESS_LOG", "0.25"}, {"B3SCALE_PER_MEETING_METRICS", "false"}}), {});
    EXPECT_EQ(s.access_log.mode, Mode::Sample);
    EXPECT_DOUBLE_EQ(s.access_log.fraction, 0.25);
    EXPECT_FALSE(s.metrics_per_meeting);
    EXPECT_EQ(parseCoreSettings(envOf({{"B3SCALE_ACCESS_LOG", "errors"}}), {}).access_log.mode, Mode::Errors);
    for (const char* bad : {"sometimes", "0", "1.5", "-0.1", "0.5x"}) {
        try {
            parseCoreSettings(envOf({{"B3SCALE_ACCESS_LOG", bad}}), {});
            ADD_FAILURE() << "accepted B3SCALE_ACCESS_LOG=" << bad;
        } catch (const ConfigError& e) {
            EXPECT_EQ(e.key(), "B3SCALE_ACCESS_LOG");
        }
    }
    try {
        parseCoreSettings(envOf({{"B3SCALE_PER_MEETING_METRICS", "maybe"}}), {});
        ADD_FAILURE() << "accepted B3SCALE_PER_MEETING_METRICS=maybe";
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.key(), "B3SCALE_PER_MEETING_METRICS");
    }
}

}  // namespace
}  // namespace b3s::core::config
