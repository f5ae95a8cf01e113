#include "api/change_audit.hpp"

#include "api/json_diff.hpp"
#include "http/request_trace.hpp"
#include "log/logger.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>
#include <vector>

namespace b3s::core::api {
namespace {

using b3s::plugin::AccessDecision;
using Poco::JSON::Object;

log::Logger& auditLog() {
    static log::Logger l("b3s.core.api");
    return l;
}

// The id of what changed: the path's, else the one a create answered with.
std::string resourceId(const ApiRequest& request, const ApiResponse* response) {
    if (!request.id.empty()) return request.id;
    if (!response || response->body.type() != typeid(Object::Ptr)) return {};
    const auto body = response->body.extract<Object::Ptr>();
    for (const char* key : {"id", "backend_id", "record_id", "RecordID"})
        if (body && body->has(key) && body->get(key).isString()) return body->getValue<std::string>(key);
    return {};
}

log::LogLevel levelOf(const ApiRoute& route) {
    // Every node agent beats once a second: at info that would drown every other line.
    return route.action == b3s::plugin::ApiAction::AgentHeartbeat ? log::LogLevel::Debug : log::LogLevel::Info;
}

}  // namespace

bool isChangeMethod(std::string_view method) noexcept {
    return method == "POST" || method == "PATCH" || method == "PUT" || method == "DELETE";
}

std::string_view callerKind(const AccessDecision& access) noexcept {
    if (access.outcome == AccessDecision::Outcome::Unauthenticated) return "anonymous";
    switch (access.reach) {
        case AccessDecision::Reach::All: return "operator";
        case AccessDecision::Reach::OwnFrontends: return "tenant";
        case AccessDecision::Reach::OwnBackend: return "node";
    }
    return "anonymous";
}

void auditChange(const ApiRoute& route, const ApiRequest& request, const ApiResponse& response) {
    std::vector<std::string> fields;
    if (response.changed)
        fields = *response.changed;
    else if (request.body)
        fields = fieldNames(*request.body);
    const auto id = resourceId(request, &response);
    const auto names = fmt::format("{}", fmt::join(fields, ","));
    auditLog().log(levelOf(route), "api_change",
                   {{"subject", request.access.subject},
                    {"caller", callerKind(request.access)},
                    {"action", b3s::plugin::toString(route.action)},
                    {"resource", id},
                    {"fields", names}});
}

void auditRefusal(const ApiRoute& route, const ApiRequest& request, const ApiError& error) {
    std::vector<std::string> fields;
    for (const auto& [name, problems] : error.fields) fields.push_back(name);
    const auto names = fmt::format("{}", fmt::join(fields, ","));
    const auto status = std::to_string(error.status);
    auditLog().log(levelOf(route), "api_change_refused",
                   {{"subject", request.access.subject},
                    {"caller", callerKind(request.access)},
                    {"action", b3s::plugin::toString(route.action)},
                    {"resource", resourceId(request, nullptr)},
                    {"status", status},
                    {"reason", error.message},
                    {"fields", names},
                    {"remote", http::requestTrace().client}});
}

}  // namespace b3s::core::api
