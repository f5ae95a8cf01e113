#include "access_policy.hpp"

#include <algorithm>

namespace b3s::auth::jwt {
namespace {

using plugin::AccessDecision;
using plugin::ApiAction;
using Reach = AccessDecision::Reach;

bool has(const std::vector<std::string>& scopes, std::string_view scope) {
    return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

}  // namespace

std::vector<std::string_view> scopesFor(ApiAction action) {
    switch (action) {
        case ApiAction::Status: return {};  // any genuine token
        case ApiAction::FrontendsList:
        case ApiAction::FrontendsShow:
        case ApiAction::FrontendsUpdate: return {kAdminScope, kTenantScope};
        case ApiAction::BackendsCreate:
        case ApiAction::BackendsShow:
        case ApiAction::BackendsUpdate:
        case ApiAction::MeetingsShow:
        case ApiAction::MeetingsUpdate:
        case ApiAction::MeetingsDelete:
        case ApiAction::RecordingsImport: return {kAdminScope, kNodeScope};
        case ApiAction::AgentBackend:
        case ApiAction::AgentHeartbeat:
        case ApiAction::AgentRpc: return {kNodeScope};
        case ApiAction::FrontendsCreate:
        case ApiAction::FrontendsDelete:
        case ApiAction::BackendsList:
        case ApiAction::BackendsDelete:
        case ApiAction::MeetingsList:
        case ApiAction::CommandsList:
        case ApiAction::CommandsShow:
        case ApiAction::CommandsCreate:
        case ApiAction::RecordingsList:
        case ApiAction::RecordingsShow:
        case ApiAction::RecordingsVisibility:
        case ApiAction::RecordingsReindex:
        case ApiAction::CtrlMigrate:
        case ApiAction::CallbacksList:
        case ApiAction::CallbacksRetry: return {kAdminScope};
    }
    return {kAdminScope};
}

AccessDecision decideAccess(const std::vector<std::string>& scopes, const std::string& subject, ApiAction action) {
    AccessDecision d;
    d.subject = subject;
    d.is_admin = has(scopes, kAdminScope);
    const auto granting = scopesFor(action);
    const bool agent_action =
        action == ApiAction::AgentBackend || action == ApiAction::AgentHeartbeat || action == ApiAction::AgentRpc;

    if (granting.empty()) {
        d.outcome = AccessDecision::Outcome::Allowed;
        d.reach = d.is_admin ? Reach::All : has(scopes, kNodeScope) ? Reach::OwnBackend : Reach::OwnFrontends;
        d.reason = "any valid token";
        return d;
    }
    // The operator wins over the other scopes of the same token, except where the action is
    // about the caller's own node (agent/*): that needs the node identity.
    if (d.is_admin && !agent_action) {
        d.outcome = AccessDecision::Outcome::Allowed;
        d.reach = Reach::All;
        d.reason = "operator";
        return d;
    }
    for (const auto scope : granting) {
        if (scope == kAdminScope || !has(scopes, scope)) continue;
        d.outcome = AccessDecision::Outcome::Allowed;
        d.reach = scope == kNodeScope ? Reach::OwnBackend : Reach::OwnFrontends;
        d.reason = std::string(scope);
        return d;
    }
    d.outcome = AccessDecision::Outcome::Forbidden;
    // The reach the token has elsewhere, so the refusal's audit line says who tried.
    d.reach = d.is_admin ? Reach::All : has(scopes, kNodeScope) ? Reach::OwnBackend : Reach::OwnFrontends;
    std::string names;
    for (const auto scope : granting) names += (names.empty() ? "" : ", ") + std::string(scope);
    d.reason = names + " scope required";
    return d;
}

}  // namespace b3s::auth::jwt
