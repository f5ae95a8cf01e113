// Who may change which field (core/src/api/field_rules.hpp), on the names json_diff produces.

#include "api/field_rules.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace b3s::core::api {
namespace {

std::vector<std::string> names(const FieldErrors& errors) {
    std::vector<std::string> out;
    for (const auto& [name, problems] : errors) out.push_back(name);
    return out;
}

TEST(FieldRulesTest, NodeChangesOnlyLoadFactorAndSecret) {
    EXPECT_TRUE(nodeBackendRefusals({"bbb.secret", "load_factor"}).empty());
    EXPECT_EQ(names(nodeBackendRefusals({"admin_state", "agent_ref", "bbb.host", "load_factor", "settings.tags"})),
              (std::vector<std::string>{"admin_state", "agent_ref", "bbb.host", "settings.tags"}));
}

TEST(FieldRulesTest, NodeLoadFactorBoundsIncludeTheirEnds) {
    const NodeLoadFactorBounds bounds{0.5, 10};
    EXPECT_FALSE(nodeLoadFactorProblem(0.5, bounds));
    EXPECT_FALSE(nodeLoadFactorProblem(10, bounds));
    for (const double bad : {0.0, 0.49, 10.01, std::numeric_limits<double>::infinity()}) {
        const auto problem = nodeLoadFactorProblem(bad, bounds);
        ASSERT_TRUE(problem) << bad;
        EXPECT_EQ(*problem, "a node agent may set a load factor from 0.5 to 10");
    }
}

TEST(FieldRulesTest, TenantChangesOnlyItsOwnFields) {
    store::Frontend before;
    before.secret = std::string(40, 'a');
    auto after = before;
    after.secret = std::string(32, 'b');
    EXPECT_TRUE(tenantFrontendRefusals(
                    {"bbb.secret", "settings.create_default_params.welcome", "settings.join_default_params.userdata-x",
                     "settings.default_presentation", "settings.recordings.visibility_override"},
                    before, after)
                    .empty());
    EXPECT_EQ(names(tenantFrontendRefusals(
                  {"account_ref", "bbb.key", "deactivated_by", "settings.attendees_limit.limit",
                   "settings.create_override_params.maxParticipants", "settings.join_override_params.role",
                   "settings.required_tags", "settings.recordingsX"},
                  before, after)),
              (std::vector<std::string>{"account_ref", "bbb.key", "deactivated_by", "settings.attendees_limit.limit",
                                        "settings.create_override_params.maxParticipants",
                                        "settings.join_override_params.role", "settings.recordingsX",
                                        "settings.required_tags"}));
    after.secret = std::string(31, 'b');
    const auto short_secret = tenantFrontendRefusals({"bbb.secret"}, before, after);
    ASSERT_EQ(names(short_secret), std::vector<std::string>{"bbb.secret"});
    EXPECT_NE(short_secret.at("bbb.secret").at(0).find("at least 32"), std::string::npos);
    EXPECT_EQ(short_secret.at("bbb.secret").at(0).find(after.secret), std::string::npos) << "never the value";
}

TEST(FieldRulesTest, TenantReactivatesOnlyWhatItDeactivated) {
    store::Frontend before;
    before.active = false;
    auto after = before;
    after.active = true;
    before.deactivated_by = std::string(store::frontend_deactivation::kTenant);
    EXPECT_TRUE(tenantFrontendRefusals({"active"}, before, after).empty());
    before.deactivated_by = std::string(store::frontend_deactivation::kOperator);
    EXPECT_EQ(names(tenantFrontendRefusals({"active"}, before, after)), std::vector<std::string>{"active"});
    before.deactivated_by.reset();  // inactive from before anybody recorded who: the operator's
    EXPECT_EQ(names(tenantFrontendRefusals({"active"}, before, after)), std::vector<std::string>{"active"});
    // Switching it off is always the tenant's.
    before.active = true;
    after.active = false;
    EXPECT_TRUE(tenantFrontendRefusals({"active"}, before, after).empty());
}

}  // namespace
}  // namespace b3s::core::api
