#include "api/api_routes.hpp"

namespace b3s::core::api {

using b3s::plugin::ApiAction;

const std::vector<ApiRoute>& apiRoutes() {
    static const std::vector<ApiRoute> routes = {
        {"GET", "", ApiAction::Status, "API", "API version, caller and database status", "", "Status", 200, {}},
        {"GET", "/status", ApiAction::Status, "API", "Same as GET /api/v1", "", "Status", 200, {}},

        {"GET", "/frontends", ApiAction::FrontendsList, "Frontends",
         "Frontends (a tenant token sees those of its account; secrets only for operators)", "", "[Frontend]", 200,
         {{"account_ref", "exact account"}, {"key", "exact key"}, {"key__like", "key contains this text"}}},
        {"POST", "/frontends", ApiAction::FrontendsCreate, "Frontends", "Creates a frontend", "FrontendInput",
         "Frontend", 200, {}},
        {"GET", "/frontends/{id}", ApiAction::FrontendsShow, "Frontends", "One frontend", "", "Frontend", 200, {}},
        {"PATCH", "/frontends/{id}", ApiAction::FrontendsUpdate, "Frontends",
         "Merges the body into the frontend (objects merge, arrays replace, \"\" removes a parameter)",
         "FrontendInput", "Frontend", 200, {}},
        {"DELETE", "/frontends/{id}", ApiAction::FrontendsDelete, "Frontends",
         "Deletes a frontend and its meetings", "", "Frontend", 200, {}},

        {"GET", "/backends", ApiAction::BackendsList, "Backends", "Backends, by host", "", "[Backend]", 200,
         {{"host", "exact host"},
          {"host__like", "host contains this text"},
          {"host__ilike", "host contains this text, ignoring case"}}},
        {"POST", "/backends", ApiAction::BackendsCreate, "Backends",
         "Registers a backend (a node token binds it to its agent)", "BackendInput", "Backend", 200, {}},
        {"GET", "/backends/{id}", ApiAction::BackendsShow, "Backends", "One backend", "", "Backend", 200, {}},
        {"PATCH", "/backends/{id}", ApiAction::BackendsUpdate, "Backends", "Merges the body into the backend",
         "BackendInput", "Backend", 200, {}},
        {"DELETE", "/backends/{id}", ApiAction::BackendsDelete, "Backends",
         "Decommissions a backend (removed once empty); force=true removes it now", "", "Backend", 200,
         {{"force", "true, yes or 1: remove now; its meetings are re-created elsewhere on their next join"}}},

        {"GET", "/meetings", ApiAction::MeetingsList, "Meetings", "Meetings, cluster-wide unless filtered", "",
         "[Meeting]", 200,
         {{"backend_id", "on this backend"},
          {"backend_host", "on the backend with this host"},
          {"frontend_id", "of this frontend"},
          {"frontend_key", "of the frontend with this key"}}},
        {"GET", "/meetings/{id}", ApiAction::MeetingsShow, "Meetings",
         "One meeting, by its id or internal:<internal meeting id>", "", "Meeting", 200, {}},
        {"PATCH", "/meetings/{id}", ApiAction::MeetingsUpdate, "Meetings", "Replaces the meeting's state document",
         "MeetingUpdate", "Meeting", 200, {}},
        {"DELETE", "/meetings/{id}", ApiAction::MeetingsDelete, "Meetings", "Forgets a meeting", "", "Meeting", 200,
         {}},

        {"GET", "/commands", ApiAction::CommandsList, "Commands", "The command queue, newest first", "", "[Command]",
         200, {}},
        {"POST", "/commands", ApiAction::CommandsCreate, "Commands", "Queues end_all_meetings for a backend",
         "CommandInput", "Command", 202, {}},
        {"GET", "/commands/{id}", ApiAction::CommandsShow, "Commands", "One command and its result", "", "Command",
         200, {}},

        {"GET", "/agent/backend", ApiAction::AgentBackend, "Agent", "The backend of the calling node agent", "",
         "Backend", 200, {}},
        {"POST", "/agent/heartbeat", ApiAction::AgentHeartbeat, "Agent", "The node agent is alive", "", "Heartbeat",
         200, {}},
        {"POST", "/agent/rpc", ApiAction::AgentRpc, "Agent", "A meeting event from the node (payload: base64 JSON)",
         "RpcRequest", "RpcResult", 200, {}},

        {"POST", "/ctrl/migrate", ApiAction::CtrlMigrate, "CTRL", "Applies pending database migrations", "",
         "SchemaStatus", 200, {}},
    };
    return routes;
}

}  // namespace b3s::core::api
