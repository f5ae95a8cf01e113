// What `b3scalectl import b3scale` makes of b3scale's (Go) rows, and what it would send: every
// setting of b3scale's shapes carried over, the rest named in a warning, and a plan that sends
// only what differs and never shows a secret.
#include "import_plan.hpp"

#include "json_text.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace b3s::ctl {
namespace {

LegacyFrontend goFrontend(const std::string& settings) {
    LegacyFrontend f;
    f.key = "greenlight";
    f.secret = "frontend-secret-0123456789abcdef0123";
    f.settings_json = settings;
    return f;
}

LegacyBackend goBackend(const std::string& admin_state, const std::string& settings = "{}") {
    LegacyBackend b;
    b.host = "https://bbb1.example.org/bigbluebutton/api/";
    b.secret = "backend-secret-0123456789abcdef012345";
    b.admin_state = admin_state;
    b.node_state = "ready";
    b.settings_json = settings;
    return b;
}

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

Poco::JSON::Object::Ptr object(const std::string& json) {
    return asObject(parseJson(json, "test JSON"));
}

TEST(ImportMapping, EverySettingOfB3scaleIsCarriedOverInOurShape) {
    const auto f = mapFrontend(goFrontend(R"({
        "required_tags": ["bbb26"],
        "default_presentation": {"url": "https://example.org/a.pdf", "force": true},
        "attendees_limit": {"limit": 25},
        "create_default_params": {"welcome": "Hi", "emptied": ""},
        "create_override_params": {"record": "false"},
        "join_default_params": {"userdata-x": "1"},
        "join_override_params": {"userdata-y": "2"},
        "recordings": {"visibility_override": "public_protected"}})"));
    EXPECT_TRUE(f.warnings.empty()) << f.warnings.front();
    EXPECT_EQ(canonicalJson(f.settings),
              R"({"attendees_limit":{"limit":25},"create_default_params":{"welcome":"Hi"},)"
              R"("create_override_params":{"record":"false"},"default_presentation":{"force":true,)"
              R"("url":"https://example.org/a.pdf"},"join_default_params":{"userdata-x":"1"},)"
              R"("join_override_params":{"userdata-y":"2"},"recordings":{"visibility_override":"public_protected"},)"
              R"("required_tags":["bbb26"]})");
}

TEST(ImportMapping, SettingsThatMeanOffAreLeftOutWithoutAWarning) {
    const auto f = mapFrontend(goFrontend(
        R"({"required_tags": [], "default_presentation": {"url": "", "force": false}, "attendees_limit": {"limit": 0},
            "create_default_params": {}, "join_override_params": {"a": ""}, "recordings": null})"));
    EXPECT_TRUE(f.warnings.empty());
    EXPECT_EQ(canonicalJson(f.settings), "{}");
}

TEST(ImportMapping, ASettingWithoutEquivalentIsNamedNeverDroppedSilently) {
    const auto f = mapFrontend(goFrontend(
        R"({"branding": {"logo": "x"}, "default_presentation": {"url": "ftp://x/a.pdf"},
            "attendees_limit": {"limit": 10, "soft": true}, "recordings": {"visibility_override": "secret"}})"));
    EXPECT_TRUE(mentions(f.warnings, "frontend greenlight: setting 'branding' has no equivalent")) << f.warnings.size();
    EXPECT_TRUE(mentions(f.warnings, "frontend greenlight: setting 'default_presentation' is not usable"));
    EXPECT_TRUE(mentions(f.warnings, "frontend greenlight: setting 'attendees_limit.soft' has no equivalent"));
    EXPECT_TRUE(mentions(f.warnings, "frontend greenlight: setting 'recordings.visibility_override' is not usable"));
    EXPECT_EQ(canonicalJson(f.settings), R"({"attendees_limit":{"limit":10}})");
    const auto broken = mapFrontend(goFrontend("[1]"));
    EXPECT_TRUE(mentions(broken.warnings, "setting 'settings' is not usable"));
}

TEST(ImportMapping, BackendStatesHostsTagsAndLoadFactors) {
    for (const char* state : {"ready", "init", "stopped"}) {
        const auto b = mapBackend(goBackend(state));
        EXPECT_EQ(b.admin_state, state);
        EXPECT_FALSE(b.skip_reason);
        EXPECT_TRUE(b.warnings.empty());
    }
    const auto error = mapBackend(goBackend("error"));
    EXPECT_EQ(error.admin_state, "stopped");
    EXPECT_TRUE(mentions(error.warnings, "admin state 'error'"));
    const auto retired = mapBackend(goBackend("decommissioned"));
    ASSERT_TRUE(retired.skip_reason);
    EXPECT_EQ(*retired.skip_reason, "decommissioned in b3scale");

    auto row = goBackend("ready", R"({"tags": ["a", "b"], "max_meetings": 4})");
    row.host = " https://bbb2.example.org ";
    row.load_factor = 0;
    row.agent_ref = "node-1";
    const auto b = mapBackend(row);
    EXPECT_EQ(b.host, "https://bbb2.example.org/bigbluebutton/api/");
    EXPECT_EQ(b.tags, (std::vector<std::string>{"a", "b"}));
    EXPECT_DOUBLE_EQ(b.load_factor, 1.0) << "b3scale read 0 as 1";
    EXPECT_EQ(b.agent_ref, "node-1");
    EXPECT_TRUE(mentions(b.warnings, "backend https://bbb2.example.org/bigbluebutton/api/: setting 'max_meetings'"));

    row.host = "bbb3.example.org";
    EXPECT_TRUE(mapBackend(row).skip_reason);
}

TEST(ImportPlan, ARowAsStoredIsUnchangedAndAChangeSendsOnlyWhatDiffers) {
    const auto wanted = mapFrontend(goFrontend(R"({"create_default_params": {"welcome": "Hi"}})"));
    // Our API's representation of the same frontend, with its nulls and empty maps.
    auto current = object(R"({"id": "4c1b0e52-0000-4000-8000-000000000001", "active": true,
        "bbb": {"key": "greenlight", "secret": "frontend-secret-0123456789abcdef0123"},
        "settings": {"required_tags": null, "default_presentation": null, "attendees_limit": null,
                     "create_default_params": {"welcome": "Hi", "old": "x"}, "create_override_params": {},
                     "join_default_params": {}, "join_override_params": {}, "recordings": null},
        "account_ref": null})");
    auto step = planFrontend(wanted, current);
    ASSERT_EQ(step.action, ImportStep::Action::Update);
    EXPECT_EQ(step.changes, (std::vector<std::string>{"settings.create_default_params: changed"}));
    EXPECT_EQ(step.method, "PATCH");
    EXPECT_EQ(step.resource, "frontends/4c1b0e52-0000-4000-8000-000000000001");
    EXPECT_EQ(step.body, R"({"settings":{"create_default_params":{"welcome":"Hi","old":""}}})")
        << "a parameter b3scale does not have is removed (\"\" removes it in a PATCH)";

    current->getObject("settings")->getObject("create_default_params")->remove("old");
    EXPECT_EQ(planFrontend(wanted, current).action, ImportStep::Action::Unchanged);

    current->getObject("bbb")->set("secret", "another-secret-0123456789abcdef0123456");
    current->set("active", false);
    step = planFrontend(wanted, current);
    ASSERT_EQ(step.action, ImportStep::Action::Update);
    EXPECT_EQ(step.changes, (std::vector<std::string>{"secret: changed", "active: false -> true"}));
    for (const auto& change : step.changes) EXPECT_EQ(change.find("secret-0123"), std::string::npos);
}

TEST(ImportPlan, BackendsAreCreatedWithTheirStateAndComparedFieldByField) {
    auto row = goBackend("stopped", R"({"tags": ["x"]})");
    row.load_factor = 2;
    row.agent_ref = "node-7";
    const auto wanted = mapBackend(row);
    auto step = planBackend(wanted, nullptr);
    ASSERT_EQ(step.action, ImportStep::Action::Create);
    const auto body = object(step.body);
    EXPECT_EQ(body->getValue<std::string>("admin_state"), "stopped");
    EXPECT_EQ(body->getValue<std::string>("agent_ref"), "node-7");
    EXPECT_DOUBLE_EQ(body->getValue<double>("load_factor"), 2);

    auto current = object(R"({"id": "b1", "admin_state": "ready", "agent_ref": null, "load_factor": 2,
        "bbb": {"host": "https://bbb1.example.org/bigbluebutton/api/", "secret": "backend-secret-0123456789abcdef012345"},
        "settings": {"tags": ["x"]}})");
    step = planBackend(wanted, current);
    EXPECT_EQ(step.changes, (std::vector<std::string>{"admin_state: ready -> stopped", "agent_ref: none -> node-7"}));
    current->set("admin_state", "stopped");
    current->set("agent_ref", "node-7");
    EXPECT_EQ(planBackend(wanted, current).action, ImportStep::Action::Unchanged);

    EXPECT_EQ(planBackend(mapBackend(goBackend("decommissioned")), current).action, ImportStep::Action::Skip);
}

}  // namespace
}  // namespace b3s::ctl
