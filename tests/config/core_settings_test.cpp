#include "config/core_settings.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

namespace b3s::core::config {
namespace {

// Every environment here carries the required secret unless the test sets it (empty = unset).
Environment envOf(std::map<std::string, std::string, std::less<>> vars) {
    vars.emplace("B3SCALE_API_JWT_SECRET", "unit-test-secret-0123456789abcdef");
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
    EXPECT_EQ(s.backend_connect_timeout_ms, 3000);
    EXPECT_EQ(s.backend_response_timeout_ms, 20000);
    EXPECT_EQ(s.get_meetings_timeout_ms, 5000);
    EXPECT_EQ(s.callback_token_ttl_s, 14 * 24 * 3600);
    EXPECT_TRUE(s.callback_allow.empty());
    EXPECT_TRUE(s.callback_deny.empty());
    EXPECT_EQ(s.callback_workers, 8);
    EXPECT_EQ(s.callback_per_frontend, 2);
    EXPECT_EQ(s.callback_timeout, std::chrono::seconds(10));
    EXPECT_EQ(s.callback_max_attempts, 5);
    EXPECT_EQ(s.callback_dead_letter_retention, std::chrono::hours(14 * 24));
    EXPECT_EQ(s.callback_grace, std::chrono::hours(24));
    EXPECT_EQ(s.jwt_secret, "unit-test-secret-0123456789abcdef");
}

TEST(CoreSettingsTest, CallbackPolicyEntriesAndOutboxLimitsAreParsed) {
    const auto s = parseCoreSettings(envOf({{"B3SCALE_CALLBACK_ALLOW", "127.0.0.1:8080, *.corp.example"},
                                            {"B3SCALE_CALLBACK_DENY", "[fd00::/8]:443"},
                                            {"B3SCALE_CALLBACK_WORKERS", "3"},
                                            {"B3SCALE_CALLBACK_PER_FRONTEND", "1"},
                                            {"B3SCALE_CALLBACK_TIMEOUT", "1500ms"},
                                            {"B3SCALE_CALLBACK_MAX_ATTEMPTS", "2"},
                                            {"B3SCALE_CALLBACK_DEAD_LETTER_RETENTION", "2d"}}),
                                     {});
    ASSERT_EQ(s.callback_allow.size(), 2u);
    EXPECT_EQ(s.callback_allow[0].port, 8080);
    EXPECT_EQ(s.callback_allow[1].host, ".corp.example");
    ASSERT_EQ(s.callback_deny.size(), 1u);
    EXPECT_EQ(s.callback_deny[0].prefix_bits, 8u);
    EXPECT_EQ(s.callback_workers, 3);
    EXPECT_EQ(s.callback_per_frontend, 1);
    EXPECT_EQ(s.callback_timeout, std::chrono::milliseconds(1500));
    EXPECT_EQ(s.callback_max_attempts, 2);
    EXPECT_EQ(s.callback_dead_letter_retention, std::chrono::hours(48));
}

TEST(CoreSettingsTest, TheSecretIsRequiredAndNeverEchoed) {
    try {
        parseCoreSettings(envOf({{"B3SCALE_API_JWT_SECRET", ""}}), {});
        ADD_FAILURE() << "started without a secret";
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.key(), "B3SCALE_API_JWT_SECRET");
    }
    try {
        parseCoreSettings(
            envOf({{"B3SCALE_API_JWT_SECRET", "s3cr3t-value-0123456789-abcdefgh"}, {"B3SCALE_DB_POOL_SIZE", "x"}}), {});
        ADD_FAILURE();
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()).find("s3cr3t-value"), std::string::npos) << e.what();
    }
}

// 32 bytes is the floor: a shorter secret makes every token open to an offline search.
TEST(CoreSettingsTest, ASecretShorterThan32BytesIsRefusedWithTheRule) {
    for (const std::string& secret : {std::string("a"), std::string("s3cr3t-value"), std::string(31, 'x')}) {
        SCOPED_TRACE(std::to_string(secret.size()) + " bytes");
        try {
            parseCoreSettings(envOf({{"B3SCALE_API_JWT_SECRET", secret}}), {});
            ADD_FAILURE() << "accepted a short secret";
        } catch (const ConfigError& e) {
            EXPECT_EQ(e.key(), "B3SCALE_API_JWT_SECRET");
            EXPECT_EQ(std::string(e.what()), "B3SCALE_API_JWT_SECRET is " + std::to_string(secret.size()) +
                                                 " bytes long; at least 32 are required (make one with `openssl "
                                                 "rand -hex 32`)");
        }
    }
    EXPECT_EQ(parseCoreSettings(envOf({{"B3SCALE_API_JWT_SECRET", std::string(32, 'x')}}), {}).jwt_secret,
              std::string(32, 'x'));
}

// The replaced master during a rotation: optional, the master's length rule, never the master
// itself, and never echoed.
TEST(CoreSettingsTest, APreviousSecretIsOptionalLongAndNotTheMaster) {
    EXPECT_EQ(parseCoreSettings(envOf({}), {}).jwt_secret_previous, "");
    const std::string previous = "the-replaced-master-secret-0123456789";
    EXPECT_EQ(parseCoreSettings(envOf({{"B3SCALE_API_JWT_SECRET_PREVIOUS", previous}}), {}).jwt_secret_previous,
              previous);
    for (const std::string& secret : {std::string("prev1"), std::string(31, 'y')}) {
        SCOPED_TRACE(std::to_string(secret.size()) + " bytes");
        try {
            parseCoreSettings(envOf({{"B3SCALE_API_JWT_SECRET_PREVIOUS", secret}}), {});
            ADD_FAILURE() << "accepted a short previous secret";
        } catch (const ConfigError& e) {
            EXPECT_EQ(e.key(), "B3SCALE_API_JWT_SECRET_PREVIOUS");
            EXPECT_EQ(std::string(e.what()), "B3SCALE_API_JWT_SECRET_PREVIOUS is " + std::to_string(secret.size()) +
                                                 " bytes long; at least 32 are required (make one with `openssl "
                                                 "rand -hex 32`)");
        }
    }
    const std::string master = "unit-test-secret-0123456789abcdef";
    try {
        parseCoreSettings(envOf({{"B3SCALE_API_JWT_SECRET", master}, {"B3SCALE_API_JWT_SECRET_PREVIOUS", master}}), {});
        ADD_FAILURE() << "accepted the master as its own previous secret";
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.key(), "B3SCALE_API_JWT_SECRET_PREVIOUS");
        EXPECT_NE(std::string(e.what()).find("is the same as B3SCALE_API_JWT_SECRET"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find(master), std::string::npos) << e.what();
    }
    const auto& keys = coreKeys();
    const auto key = std::find_if(keys.begin(), keys.end(), [](const CoreKey& k) {
        return std::string(k.name) == "B3SCALE_API_JWT_SECRET_PREVIOUS";
    });
    ASSERT_NE(key, keys.end()) << "declared, so it is no unknown variable";
    EXPECT_TRUE(key->secret);
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
          Case{__LINE__, "B3SCALE_HTTP_IDLE_TIMEOUT", "0"}, Case{__LINE__, "B3SCALE_LOG_FORMAT", "json5"},
          Case{__LINE__, "B3SCALE_API_URL", "b3scale.example.org"}, Case{__LINE__, "B3SCALE_AUTH_PLUGIN", "none"},
          Case{__LINE__, "B3SCALE_BACKEND_CONNECT_TIMEOUT_MS", "10"},
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

TEST(CoreSettingsTest, InvalidCallbackValuesNameTheVariable) {
    const std::vector<std::pair<const char*, const char*>> cases = {
        {"B3SCALE_CALLBACK_ALLOW", "10.0.0.0/33"},      {"B3SCALE_CALLBACK_ALLOW", "::1:80,[::1"},
        {"B3SCALE_CALLBACK_DENY", "hooks example.org"}, {"B3SCALE_CALLBACK_WORKERS", "0"},
        {"B3SCALE_CALLBACK_PER_FRONTEND", "0"},         {"B3SCALE_CALLBACK_TIMEOUT", "10ms"},
        {"B3SCALE_CALLBACK_MAX_ATTEMPTS", "0"},         {"B3SCALE_CALLBACK_DEAD_LETTER_RETENTION", "forever"},
    };
    for (const auto& [key, value] : cases) {
        SCOPED_TRACE(std::string(key) + "=" + value);
        try {
            parseCoreSettings(envOf({{key, value}}), {});
            ADD_FAILURE() << "accepted";
        } catch (const ConfigError& e) {
            EXPECT_EQ(e.key(), key);
            EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
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
                      {"B3SCALE_REVERSE_PROXY_MODE", "true"},
                      {"B3SCALE_API_JWT_SECRET", "unclaimed-test-secret-0123456789abcdef"},
                      {"B3SCALE_DB_POOLSIZE", "4"}});
    auto unclaimed = unclaimedKeys(env, {"B3SCALE_API_JWT_SECRET"});
    ASSERT_EQ(unclaimed.size(), 1u);
    EXPECT_EQ(unclaimed[0], "B3SCALE_DB_POOLSIZE");
}

TEST(CoreSettingsTest, ARetiredVariableIsAcceptedWhateverItsValueAndFlaggedOnlyWhenItAsksForSomething) {
    EXPECT_NO_THROW(parseCoreSettings(envOf({{"B3SCALE_REVERSE_PROXY_MODE", "sometimes"}}), {}));
    for (const char* off : {"false", "0", "no", "off", "FALSE", "Off"}) EXPECT_FALSE(asksForRetiredFeature(off)) << off;
    for (const char* on : {"true", "1", "yes", "sometimes"}) EXPECT_TRUE(asksForRetiredFeature(on)) << on;
    for (const auto& key : coreKeys()) EXPECT_STRNE(key.name, "B3SCALE_REVERSE_PROXY_MODE");
}

TEST(CoreSettingsTest, EveryCoreKeyIsDocumentedInTheShippedEnvFile) {
    // etc/default/b3scale is what operators edit; it must mention every variable.
    std::ifstream in(B3S_SOURCE_DIR "/etc/default/b3scale");
    ASSERT_TRUE(in) << "etc/default/b3scale is missing";
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const auto& key : coreKeys()) EXPECT_NE(text.find(key.name), std::string::npos) << key.name;
}

TEST(CoreSettingsTest, NodeLoadFactorBoundsArePositiveAndOrdered) {
    auto s = parseCoreSettings(envOf({}), {});
    EXPECT_DOUBLE_EQ(s.node_load_factor_min, 0.5);
    EXPECT_DOUBLE_EQ(s.node_load_factor_max, 10);
    s = parseCoreSettings(envOf({{"B3SCALE_NODE_LOAD_FACTOR_MIN", "0.25"}, {"B3SCALE_NODE_LOAD_FACTOR_MAX", "0.25"}}),
                          {});
    EXPECT_DOUBLE_EQ(s.node_load_factor_min, 0.25);
    EXPECT_DOUBLE_EQ(s.node_load_factor_max, 0.25);
    struct Case {
        int line;
        std::map<std::string, std::string, std::less<>> vars;
        const char* key;  // the variable the refusal names
    };
    for (const auto& c : {Case{__LINE__, {{"B3SCALE_NODE_LOAD_FACTOR_MIN", "0"}}, "B3SCALE_NODE_LOAD_FACTOR_MIN"},
                          Case{__LINE__, {{"B3SCALE_NODE_LOAD_FACTOR_MIN", "-1"}}, "B3SCALE_NODE_LOAD_FACTOR_MIN"},
                          Case{__LINE__, {{"B3SCALE_NODE_LOAD_FACTOR_MIN", "nan"}}, "B3SCALE_NODE_LOAD_FACTOR_MIN"},
                          Case{__LINE__, {{"B3SCALE_NODE_LOAD_FACTOR_MAX", "inf"}}, "B3SCALE_NODE_LOAD_FACTOR_MAX"},
                          Case{__LINE__, {{"B3SCALE_NODE_LOAD_FACTOR_MAX", "2x"}}, "B3SCALE_NODE_LOAD_FACTOR_MAX"},
                          Case{__LINE__, {{"B3SCALE_NODE_LOAD_FACTOR_MAX", "0.4"}}, "B3SCALE_NODE_LOAD_FACTOR_MAX"},
                          Case{__LINE__,
                               {{"B3SCALE_NODE_LOAD_FACTOR_MIN", "3"}, {"B3SCALE_NODE_LOAD_FACTOR_MAX", "2"}},
                               "B3SCALE_NODE_LOAD_FACTOR_MAX"}}) {
        SCOPED_TRACE(c.line);
        try {
            parseCoreSettings(envOf(c.vars), {});
            ADD_FAILURE() << "accepted";
        } catch (const ConfigError& e) {
            EXPECT_EQ(e.key(), c.key);
            EXPECT_NE(std::string(e.what()).find(c.key), std::string::npos) << e.what();
        }
    }
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

// Refuses a bad value of `key` with a ConfigError naming it.
void expectRefused(const std::string& key, const std::string& value) {
    try {
        parseCoreSettings(envOf({{key, value}}), {});
        ADD_FAILURE() << "accepted " << key << "=" << value;
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.key(), key) << e.what();
    }
}

TEST(CoreSettingsTest, JoinCheckTimeoutIsMilliseconds) {
    EXPECT_EQ(parseCoreSettings(envOf({}), {}).join_check_timeout_ms, 1000);
    EXPECT_EQ(parseCoreSettings(envOf({{"B3SCALE_JOIN_CHECK_TIMEOUT_MS", "250"}}), {}).join_check_timeout_ms, 250);
    for (const char* bad : {"0", "10", "1s", "600000"}) expectRefused("B3SCALE_JOIN_CHECK_TIMEOUT_MS", bad);
}

TEST(CoreSettingsTest, ChecksumAlgorithmsAreBbbWebsNames) {
    using Names = std::vector<std::string>;
    EXPECT_EQ(parseCoreSettings(envOf({}), {}).bbb_checksum_algorithms, (Names{"sha1", "sha256", "sha384", "sha512"}))
        << "every algorithm BBB accepts, as before";
    EXPECT_EQ(parseCoreSettings(envOf({{"B3SCALE_BBB_CHECKSUM_ALGORITHMS", " SHA256, sha512 ,sha256"}}), {})
                  .bbb_checksum_algorithms,
              (Names{"sha256", "sha512"}));
    for (const char* bad : {"md5", "sha256,", ",", "sha-256", "sha256;sha512"})
        expectRefused("B3SCALE_BBB_CHECKSUM_ALGORITHMS", bad);
}

TEST(CoreSettingsTest, FormBodiesAreAcceptedUnlessTurnedOff) {
    EXPECT_TRUE(parseCoreSettings(envOf({}), {}).bbb_accept_form_bodies);
    EXPECT_FALSE(parseCoreSettings(envOf({{"B3SCALE_BBB_ACCEPT_FORM_BODIES", "false"}}), {}).bbb_accept_form_bodies);
    expectRefused("B3SCALE_BBB_ACCEPT_FORM_BODIES", "sometimes");
}

TEST(CoreSettingsTest, MetricsTokenAndListenerAreCheckedAtStart) {
    auto s = parseCoreSettings(envOf({}), {});
    EXPECT_TRUE(s.metrics_token.empty());
    EXPECT_FALSE(s.metrics_listen);
    const std::string token(32, 'k');
    s = parseCoreSettings(envOf({{"B3SCALE_METRICS_TOKEN", token}, {"B3SCALE_METRICS_LISTEN", "10.0.0.5:9100"}}), {});
    EXPECT_EQ(s.metrics_token, token);
    ASSERT_TRUE(s.metrics_listen);
    EXPECT_EQ(s.metrics_listen->toString(), "10.0.0.5:9100");
    for (const std::string& bad : {std::string(31, 'k'), std::string(40, 'k') + " x", std::string(40, 'k') + "\n"}) {
        try {
            parseCoreSettings(envOf({{"B3SCALE_METRICS_TOKEN", bad}}), {});
            ADD_FAILURE() << "accepted a bad token";
        } catch (const ConfigError& e) {
            EXPECT_EQ(e.key(), "B3SCALE_METRICS_TOKEN");
            EXPECT_EQ(std::string(e.what()).find(bad), std::string::npos) << "never echoed";
        }
    }
    expectRefused("B3SCALE_METRICS_LISTEN", "9100");
    expectRefused("B3SCALE_METRICS_LISTEN", "host:99999");
}

}  // namespace
}  // namespace b3s::core::config
