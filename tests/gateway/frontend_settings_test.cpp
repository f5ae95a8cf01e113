#include "gateway/frontend_settings.hpp"

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
         }) {
        SCOPED_TRACE(c.line);
        auto r = parseFrontendSettings(c.doc);
        EXPECT_FALSE(r.settings);
        EXPECT_EQ(r.error.rfind(c.path, 0), 0u) << r.error;
    }
}

}  // namespace
}  // namespace b3s::core::gateway
