#pragma once
// The REST API's audit trail: one line per change request (POST, PATCH, PUT, DELETE), written
// by the dispatcher (RestApi) alone so no resource can forget it. A change that went through is
// `api_change` (info); one that was refused — by the auth plugin, a field rule, validation, an
// unknown id — is `api_change_refused` (info, with the reason). Each names who (the token's
// subject and whether it is an operator, a tenant or a node), the action
// (plugin::toString(ApiAction)), the resource id and the names of the fields — never a value,
// a secret or a token. Node heartbeats (one per node per second) are logged at debug.

#include "api/api_request.hpp"
#include "api/api_routes.hpp"

#include <string_view>

namespace b3s::core::api {

/// Whether requests with `method` change something (and get an audit line).
bool isChangeMethod(std::string_view method) noexcept;

/// "operator", "tenant", "node", or "anonymous" when the token was not accepted.
std::string_view callerKind(const b3s::plugin::AccessDecision& access) noexcept;

/// Logs a change that succeeded: `request` as decoded, `response` as the handler answered.
void auditChange(const ApiRoute& route, const ApiRequest& request, const ApiResponse& response);

/// Logs a refused change, with the error's message (never a secret: api_error.hpp) as reason.
void auditRefusal(const ApiRoute& route, const ApiRequest& request, const ApiError& error);

}  // namespace b3s::core::api
