#pragma once
// Auth plugins decide, for each REST API request, whether its bearer token is genuine and
// whether it grants the requested action — and over which rows. Core asks one question per
// request (authorize) and maps the answer to 401/403; it then applies the reach the answer
// names in its store queries, so a tenant never sees another tenant's rows.

#include <b3s/plugin/context.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace b3s::plugin {

/// Everything the REST API lets a caller do, one value per route and verb.
enum class ApiAction : std::uint8_t {
    Status,  ///< GET /api/v1, /api/v1/status
    FrontendsList,
    FrontendsShow,
    FrontendsCreate,
    FrontendsUpdate,
    FrontendsDelete,
    BackendsList,
    BackendsShow,
    BackendsCreate,
    BackendsUpdate,
    BackendsDelete,
    MeetingsList,
    MeetingsShow,
    MeetingsUpdate,
    MeetingsDelete,
    CommandsList,
    CommandsShow,
    CommandsCreate,
    RecordingsList,
    RecordingsShow,
    RecordingsVisibility,
    RecordingsImport,
    RecordingsReindex,
    AgentBackend,
    AgentHeartbeat,
    AgentRpc,
    CtrlMigrate,
    CallbacksList,   ///< GET /api/v1/callbacks (the outbox, dead letters)
    CallbacksRetry,  ///< POST /api/v1/callbacks/{id}/retry
};

/// "frontends.list", "agent.rpc", … — stable names for logs and the OpenAPI document.
constexpr std::string_view toString(ApiAction action) noexcept {
    switch (action) {
        case ApiAction::Status: return "status";
        case ApiAction::FrontendsList: return "frontends.list";
        case ApiAction::FrontendsShow: return "frontends.show";
        case ApiAction::FrontendsCreate: return "frontends.create";
        case ApiAction::FrontendsUpdate: return "frontends.update";
        case ApiAction::FrontendsDelete: return "frontends.delete";
        case ApiAction::BackendsList: return "backends.list";
        case ApiAction::BackendsShow: return "backends.show";
        case ApiAction::BackendsCreate: return "backends.create";
        case ApiAction::BackendsUpdate: return "backends.update";
        case ApiAction::BackendsDelete: return "backends.delete";
        case ApiAction::MeetingsList: return "meetings.list";
        case ApiAction::MeetingsShow: return "meetings.show";
        case ApiAction::MeetingsUpdate: return "meetings.update";
        case ApiAction::MeetingsDelete: return "meetings.delete";
        case ApiAction::CommandsList: return "commands.list";
        case ApiAction::CommandsShow: return "commands.show";
        case ApiAction::CommandsCreate: return "commands.create";
        case ApiAction::RecordingsList: return "recordings.list";
        case ApiAction::RecordingsShow: return "recordings.show";
        case ApiAction::RecordingsVisibility: return "recordings.visibility";
        case ApiAction::RecordingsImport: return "recordings.import";
        case ApiAction::RecordingsReindex: return "recordings.reindex";
        case ApiAction::AgentBackend: return "agent.backend";
        case ApiAction::AgentHeartbeat: return "agent.heartbeat";
        case ApiAction::AgentRpc: return "agent.rpc";
        case ApiAction::CtrlMigrate: return "ctrl.migrate";
        case ApiAction::CallbacksList: return "callbacks.list";
        case ApiAction::CallbacksRetry: return "callbacks.retry";
    }
    return "unknown";
}

/// The answer to one request.
struct AccessDecision {
    enum class Outcome {
        Allowed,
        Unauthenticated,  ///< no token, a malformed or forged one, a wrong algorithm, expired: HTTP 401
        Forbidden,        ///< a genuine token without a scope for this action: HTTP 403
    };
    /// Which rows an allowed caller reaches.
    enum class Reach {
        All,           ///< an operator: every row
        OwnFrontends,  ///< a tenant: frontends whose account_ref equals `subject`
        OwnBackend,    ///< a node agent: the backend whose agent_ref equals `subject` (and its meetings)
    };
    Outcome outcome = Outcome::Unauthenticated;
    Reach reach = Reach::OwnFrontends;
    std::string subject;    ///< `sub` of the token, empty when absent or not authenticated
    bool is_admin = false;  ///< the token carries the operator scope
    /// One sentence for logs and the error body (e.g. "b3scale:admin scope required"); never
    /// the token, a claim value or the secret.
    std::string reason;
};

/// Authorizes REST API requests.
/// Thread-safety: authorize() is called concurrently from request threads.
/// Lifetime: created once at start-up, destroyed after the HTTP server has drained.
class B3S_PLUGIN_API Authenticator {
public:
    virtual ~Authenticator() = default;
    /// `token` is the text after "Bearer " (empty when the request had none). Must not throw.
    virtual AccessDecision authorize(std::string_view token, ApiAction action) const = 0;
};

template <>
struct KindTraits<Authenticator> {
    static constexpr const char* kKind = "auth";
    static constexpr const char* kFactorySymbol = "b3s_create_auth";
    /// May throw ConfigError. Never returns nullptr.
    using Factory = std::unique_ptr<Authenticator>(const Context&);
};

}  // namespace b3s::plugin
