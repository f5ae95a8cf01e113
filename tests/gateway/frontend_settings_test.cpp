#include "gateway/frontend_settings.hpp"
#include "gateway/frontend_rate_limiter.hpp"

#include <gtest/gtest.h>

namespace b3s::core::gateway {
namespace {

ParamList params(std::vector<bbb::Param> entries) {
    return ParamList::fromEntries(std::move(entries));
}

TEST(FrontendSettingsTest, EmptyDocumentsMeanEverythingOff) {
    for (const char* doc : {"", "{}", "  ",
                            "{\"required_tags\":null,\"default_presentation\":null,"
                            "\"attendees_limit\":null,\"recordings\":null}"}) {
        SCOPED_TRACE(doc);
        auto r = parseFrontendSettings(doc);
        ASSERT_TRUE(r.settings) << r.error;
        EXPECT_TRUE(r.settings->required_tags.empty());
        EXPECT_FALSE(r.settings->default_presentation);
        EXPECT_EQ(r.settings->attendees_limit, 0);
        EXPECT_TRUE(r.settings->create_override_params.empty());
    }
}

TEST(FrontendSettingsTest, ReadsB3scalesFullDocument) {
    auto r = parseFrontendSettings(R"({
      "required_tags": ["bbb_26", "sip"],
      "default_presentation": {"url": "https://cdn.example.org/tenant.pdf", "force": true},
      "attendees_limit": {"limit": 50},
      "create_default_params": {"welcome": "Hi", "disabledFeatures": "chat,polls"},
      "create_override_params": {"record": "false", "logo": ""},
      "join_default_params": {"userdata-bbb_auto_join_audio": "true"},
      "join_override_params": {"guest": "false"},
      "recordings": {"visibility_override": "protected"}
    })");
    ASSERT_TRUE(r.settings) << r.error;
    const auto& s = *r.settings;
    EXPECT_EQ(s.required_tags, (std::vector<std::string>{"bbb_26", "sip"}));
    ASSERT_TRUE(s.default_presentation);
    EXPECT_EQ(s.default_presentation->url, "https://cdn.example.org/tenant.pdf");
    EXPECT_TRUE(s.default_presentation->force);
    EXPECT_EQ(s.attendees_limit, 50);
    EXPECT_EQ(s.create_default_params, params({{"welcome", "Hi"}, {"disabledFeatures", "chat,polls"}}));
    EXPECT_EQ(s.create_override_params, params({{"record", "false"}, {"logo", ""}}));
    EXPECT_EQ(s.join_default_params, params({{"userdata-bbb_auto_join_audio", "true"}}));
    EXPECT_EQ(s.join_override_params, params({{"guest", "false"}}));
    EXPECT_EQ(s.recordings_visibility_override, "protected");
}

TEST(FrontendSettingsTest, RefusesWrongTypesAndUnknownKeysNamingThePath) {
    struct Case {
        int line;
        const char* doc;
        const char* path;
    };
    for (const auto& c : {
             Case{__LINE__, "[]", "settings"},
             Case{__LINE__, "{nope", "settings"},
             Case{__LINE__, R"({"required_tag": ["x"]})", "required_tag"},
             Case{__LINE__, R"({"required_tags": "bbb_26"})", "required_tags"},
             Case{__LINE__, R"({"required_tags": [1]})", "required_tags"},
             Case{__LINE__, R"({"default_presentation": {"url": 5}})", "default_presentation.url"},
             Case{__LINE__, R"({"default_presentation": {"url": "file:///etc/passwd"}})", "default_presentation.url"},
             Case{__LINE__, R"({"default_presentation": {"url": "https://x/y.pdf", "force": "yes"}})",
                  "default_presentation.force"},
             Case{__LINE__, R"({"attendees_limit": {"limit": -1}})", "attendees_limit.limit"},
             Case{__LINE__, R"({"attendees_limit": {"limit": 2.5}})", "attendees_limit.limit"},
             Case{__LINE__, R"({"attendees_limit": {"max": 3}})", "attendees_limit.max"},
             Case{__LINE__, R"({"create_override_params": {"record": false}})", "create_override_params.record"},
             Case{__LINE__, R"({"join_default_params": ["a"]})", "join_default_params"},
             Case{__LINE__, R"({"recordings": {"visibility_override": "secret"}})", "recordings.visibility_override"},
             Case{__LINE__, R"({"meetings_limit": {"limit": -2}})", "meetings_limit.limit"},
             Case{__LINE__, R"({"meetings_limit": 5})", "meetings_limit"},
             Case{__LINE__, R"({"rate_limit": {"burst": 5}})", "rate_limit.requests_per_second"},
             Case{__LINE__, R"({"rate_limit": {"requests_per_second": 0}})", "rate_limit.requests_per_second"},
             Case{__LINE__, R"({"rate_limit": {"requests_per_second": 5, "burst": 0}})", "rate_limit.burst"},
             Case{__LINE__, R"({"rate_limit": {"requests_per_second": 5, "per": "minute"}})", "rate_limit.per"},
         }) {
        SCOPED_TRACE(c.line);
        auto r = parseFrontendSettings(c.doc);
        EXPECT_FALSE(r.settings);
        EXPECT_EQ(r.error.rfind(c.path, 0), 0u) << r.error;
    }
}

TEST(FrontendSettingsTest, ReadsTheOperatorsLimits) {
    const auto r = parseFrontendSettings(
        R"({"meetings_limit": {"limit": 20}, "rate_limit": {"requests_per_second": 2.5, "burst": 10}})");
    ASSERT_TRUE(r.settings) << r.error;
    EXPECT_EQ(r.settings->meetings_limit, 20);
    ASSERT_TRUE(r.settings->rate_limit);
    EXPECT_DOUBLE_EQ(r.settings->rate_limit->per_second, 2.5);
    EXPECT_EQ(r.settings->rate_limit->burst, 10);
    const auto defaults =
        parseFrontendSettings(R"({"rate_limit": {"requests_per_second": 1}, "meetings_limit": null})");
    ASSERT_TRUE(defaults.settings) << defaults.error;
    EXPECT_EQ(defaults.settings->rate_limit->burst, 1);
    EXPECT_EQ(defaults.settings->meetings_limit, 0);
}

TEST(FrontendRateLimiterTest, ABurstThenTheRateAndEachFrontendItsOwnBucket) {
    FrontendRateLimiter limiter;
    const RateLimit limit{2.0, 3};
    const auto t0 = FrontendRateLimiter::Clock::now();
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.allow("a", limit, t0)) << i;
    EXPECT_FALSE(limiter.allow("a", limit, t0)) << "the burst is spent";
    EXPECT_TRUE(limiter.allow("b", limit, t0)) << "another frontend is not affected";
    EXPECT_FALSE(limiter.allow("a", limit, t0 + std::chrono::milliseconds(400)));
    EXPECT_TRUE(limiter.allow("a", limit, t0 + std::chrono::milliseconds(500))) << "2 per second: one more after 0.5 s";
    EXPECT_FALSE(limiter.allow("a", limit, t0 + std::chrono::milliseconds(600)));
    for (int i = 0; i < 3; ++i)
        EXPECT_TRUE(limiter.allow("a", limit, t0 + std::chrono::seconds(60))) << "refilled to the burst";
    EXPECT_FALSE(limiter.allow("a", limit, t0 + std::chrono::seconds(60)));
    EXPECT_TRUE(limiter.allow("a", RateLimit{2.0, 5}, t0 + std::chrono::seconds(60))) << "a changed limit starts full";
}

}  // namespace
}  // namespace b3s::core::gateway
