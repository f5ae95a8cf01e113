// The permission matrix of spec b3scale-admin.md §5.2, every action against every kind of
// token, with the mixed-scope quirk fixed (an operator scope always wins).

#include "access_policy.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace b3s::auth::jwt {
namespace {

using plugin::AccessDecision;
using plugin::ApiAction;
using Outcome = AccessDecision::Outcome;
using Reach = AccessDecision::Reach;

const std::vector<ApiAction> kAll = {
    ApiAction::Status,           ApiAction::FrontendsList,   ApiAction::FrontendsShow,
    ApiAction::FrontendsCreate,  ApiAction::FrontendsUpdate, ApiAction::FrontendsDelete,
    ApiAction::BackendsList,     ApiAction::BackendsShow,    ApiAction::BackendsCreate,
    ApiAction::BackendsUpdate,   ApiAction::BackendsDelete,  ApiAction::MeetingsList,
    ApiAction::MeetingsShow,     ApiAction::MeetingsUpdate,  ApiAction::MeetingsDelete,
    ApiAction::CommandsList,     ApiAction::CommandsShow,    ApiAction::CommandsCreate,
    ApiAction::RecordingsList,   ApiAction::RecordingsShow,  ApiAction::RecordingsVisibility,
    ApiAction::RecordingsImport, ApiAction::AgentBackend,    ApiAction::AgentHeartbeat,
    ApiAction::AgentRpc,         ApiAction::CtrlMigrate,     ApiAction::CallbacksList,
    ApiAction::CallbacksRetry,
};

// What each kind of token may do: the reach, or nothing (forbidden).
enum class Verdict { Forbidden, All, OwnFrontends, OwnBackend };

Verdict verdictOf(const AccessDecision& d) {
    if (d.outcome != Outcome::Allowed) return Verdict::Forbidden;
    switch (d.reach) {
        case Reach::All: return Verdict::All;
        case Reach::OwnFrontends: return Verdict::OwnFrontends;
        case Reach::OwnBackend: return Verdict::OwnBackend;
    }
    return Verdict::Forbidden;
}

const char* name(Verdict v) {
    switch (v) {
        case Verdict::Forbidden: return "forbidden";
        case Verdict::All: return "all";
        case Verdict::OwnFrontends: return "own frontends";
        case Verdict::OwnBackend: return "own backend";
    }
    return "?";
}

// The expected matrix, row by row as the spec writes it.
Verdict expected(const std::string& token, ApiAction a) {
    using V = Verdict;
    const bool agent = a == ApiAction::AgentBackend || a == ApiAction::AgentHeartbeat || a == ApiAction::AgentRpc;
    const bool tenant_action =
        a == ApiAction::FrontendsList || a == ApiAction::FrontendsShow || a == ApiAction::FrontendsUpdate;
    const bool node_action = a == ApiAction::BackendsCreate || a == ApiAction::BackendsShow ||
                             a == ApiAction::BackendsUpdate || a == ApiAction::MeetingsShow ||
                             a == ApiAction::MeetingsUpdate || a == ApiAction::MeetingsDelete ||
                             a == ApiAction::RecordingsImport || agent;
    if (token == "admin") return agent ? V::Forbidden : V::All;
    if (token == "admin+node") return agent ? V::OwnBackend : V::All;  // the operator wins
    if (token == "admin+tenant") return agent ? V::Forbidden : V::All;
    if (token == "tenant")
        return a == ApiAction::Status ? V::OwnFrontends : tenant_action ? V::OwnFrontends : V::Forbidden;
    if (token == "node") return a == ApiAction::Status ? V::OwnBackend : node_action ? V::OwnBackend : V::Forbidden;
    if (token == "tenant+node") {
        if (tenant_action) return V::OwnFrontends;
        if (a == ApiAction::Status || node_action) return V::OwnBackend;
        return V::Forbidden;
    }
    // "none" (a genuine token with no scope) and unrelated scopes: the status only.
    return a == ApiAction::Status ? V::OwnFrontends : V::Forbidden;
}

TEST(AccessPolicyTest, EveryActionForEveryKindOfToken) {
    const std::map<std::string, std::vector<std::string>> tokens = {
        {"admin", {"b3scale:admin"}},
        {"tenant", {"b3scale"}},
        {"node", {"b3scale:node"}},
        {"admin+node", {"b3scale", "b3scale:admin", "b3scale:node"}},
        {"admin+tenant", {"b3scale:admin", "b3scale"}},
        {"tenant+node", {"b3scale", "b3scale:node"}},
        {"none", {}},
        {"recordings", {"b3scale:recordings", "b3scale:callback"}},
    };
    for (const auto& [token, scopes] : tokens) {
        for (const auto action : kAll) {
            SCOPED_TRACE(token + " asks for " + std::string(plugin::toString(action)));
            const auto d = decideAccess(scopes, "sub-1", action);
            EXPECT_STREQ(name(verdictOf(d)), name(expected(token, action))) << d.reason;
            EXPECT_EQ(d.subject, "sub-1");
            EXPECT_EQ(d.is_admin, token.rfind("admin", 0) == 0);
            EXPECT_FALSE(d.reason.empty());
        }
    }
}

TEST(AccessPolicyTest, ForbiddenNamesTheScopesThatWouldDo) {
    EXPECT_EQ(decideAccess({"b3scale"}, "x", ApiAction::BackendsList).reason, "b3scale:admin scope required");
    EXPECT_EQ(decideAccess({"b3scale:node"}, "x", ApiAction::FrontendsShow).reason,
              "b3scale:admin, b3scale scope required");
    EXPECT_EQ(decideAccess({"b3scale"}, "x", ApiAction::MeetingsShow).reason,
              "b3scale:admin, b3scale:node scope required");
    EXPECT_EQ(decideAccess({"b3scale:admin"}, "x", ApiAction::AgentHeartbeat).reason, "b3scale:node scope required");
}

TEST(AccessPolicyTest, EveryActionHasAStableName) {
    std::set<std::string_view> names;
    for (const auto action : kAll) names.insert(plugin::toString(action));
    EXPECT_EQ(names.size(), kAll.size());
    EXPECT_EQ(plugin::toString(ApiAction::FrontendsList), "frontends.list");
}

}  // namespace
}  // namespace b3s::auth::jwt
