#include "api/rest_api.hpp"

#include "api/change_audit.hpp"
#include "api/openapi_document.hpp"
#include "api/resources.hpp"
#include "http/json_response.hpp"
#include "http/request_trace.hpp"
#include "log/logger.hpp"
#include "plugin/plugin_guard.hpp"
#include "util/read_limited.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/MediaType.h>
#include <Poco/URI.h>

#include <vector>

namespace b3s::core::api {
namespace {

using b3s::plugin::ApiAction;

log::Logger& apiLog() {
    static log::Logger l("b3s.core.api");
    return l;
}

std::vector<std::string> segments(std::string_view path) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < path.size()) {
        if (path[pos] == '/') {
            ++pos;
            continue;
        }
        const auto end = path.find('/', pos);
        out.emplace_back(path.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
        if (end == std::string_view::npos) break;
        pos = end;
    }
    return out;
}

// Whether `route` serves `path` (below /api/v1); sets `id` from its {id} segment.
bool pathMatches(const ApiRoute& route, const std::vector<std::string>& path, std::string& id) {
    const auto pattern = segments(route.path);
    if (pattern.size() != path.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == "{id}") {
            std::string decoded;
            try {
                Poco::URI::decode(path[i], decoded);
            } catch (const Poco::Exception&) {
                return false;
            }
            id = decoded;
        } else if (pattern[i] != path[i]) {
            return false;
        }
    }
    return true;
}

void sendError(Poco::Net::HTTPServerResponse& response, const ApiError& error) {
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("error", error.code);
    body->set("message", error.message);
    if (!error.fields.empty()) {
        Poco::JSON::Object::Ptr fields = new Poco::JSON::Object;
        for (const auto& [name, problems] : error.fields) {
            Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
            for (const auto& p : problems) list->add(p);
            fields->set(name, list);
        }
        body->set("fields", fields);
    }
    if (error.status == 401) response.set("WWW-Authenticate", "Bearer");
    http::sendJsonValue(response, error.status, body);
}

// Store errors a client can act on, in words that name no table, constraint or SQL.
ApiError fromStoreError(const store::StoreError& e, const ApiRoute& route) {
    using Kind = store::StoreError::Kind;
    const std::string what = e.what();
    switch (e.kind()) {
        case Kind::Conflict:
            if (what.find("frontends_key") != std::string::npos)
                return ApiError::conflict("a frontend with this key exists already");
            if (what.find("backends_host") != std::string::npos)
                return ApiError::conflict("a backend with this host exists already");
            if (what.find("agent_ref") != std::string::npos)
                return ApiError::conflict("this node agent has registered a backend already");
            if (what.find("recording") != std::string::npos)
                return ApiError::conflict("the frontend still has recordings; delete them first");
            return ApiError::conflict("this conflicts with an existing row");
        case Kind::Stale: return ApiError::conflict("it changed meanwhile: read it again and retry");
        case Kind::Invalid: return ApiError::badRequest("the database refused a value of this request");
        case Kind::Unavailable: return ApiError::unavailable("the database is unavailable; try again shortly");
        case Kind::SchemaMismatch:
            return ApiError::unavailable("the database schema is not the one this b3scaled speaks");
        case Kind::Internal: break;
    }
    apiLog().error("api_store_failed", {{"route", std::string(b3s::plugin::toString(route.action))}, {"error", what}});
    return ApiError::internal();
}

std::string bearerToken(const Poco::Net::HTTPServerRequest& request) {
    if (!request.has("Authorization")) return {};
    const std::string& value = request.get("Authorization");
    if (value.size() < 7) return {};
    std::string scheme = value.substr(0, 7);
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme != "bearer ") return {};
    auto token = value.substr(7);
    while (!token.empty() && token.front() == ' ') token.erase(0, 1);
    while (!token.empty() && token.back() == ' ') token.pop_back();
    return token;
}

}  // namespace

RestApi::RestApi(ApiContext& context, const b3s::plugin::Authenticator& auth, std::size_t max_body_bytes)
    : context_(context), auth_(auth), max_body_bytes_(max_body_bytes), openapi_(openApiDocument()) {}

ApiResult RestApi::run(const ApiRoute& route, const ApiRequest& r) const {
    auto& c = context_;
    switch (route.action) {
        case ApiAction::Status: return showStatus(r, c);
        case ApiAction::CtrlMigrate: return migrateDatabase(r, c);
        case ApiAction::FrontendsList: return listFrontends(r, c);
        case ApiAction::FrontendsCreate: return createFrontend(r, c);
        case ApiAction::FrontendsShow: return showFrontend(r, c);
        case ApiAction::FrontendsUpdate: return updateFrontend(r, c);
        case ApiAction::FrontendsDelete: return deleteFrontend(r, c);
        case ApiAction::BackendsList: return listBackends(r, c);
        case ApiAction::BackendsCreate: return createBackend(r, c);
        case ApiAction::BackendsShow: return showBackend(r, c);
        case ApiAction::BackendsUpdate: return updateBackend(r, c);
        case ApiAction::BackendsDelete: return deleteBackend(r, c);
        case ApiAction::MeetingsList: return listMeetings(r, c);
        case ApiAction::MeetingsShow: return showMeeting(r, c);
        case ApiAction::MeetingsUpdate: return updateMeeting(r, c);
        case ApiAction::MeetingsDelete: return deleteMeeting(r, c);
        case ApiAction::CommandsList: return listCommands(r, c);
        case ApiAction::CommandsCreate: return createCommand(r, c);
        case ApiAction::CommandsShow: return showCommand(r, c);
        case ApiAction::AgentBackend: return agentBackend(r, c);
        case ApiAction::AgentHeartbeat: return agentHeartbeat(r, c);
        case ApiAction::AgentRpc: return agentRpc(r, c);
        case ApiAction::RecordingsList: return listRecordings(r, c);
        case ApiAction::RecordingsShow: return showRecording(r, c);
        case ApiAction::RecordingsVisibility: return setRecordingVisibility(r, c);
        case ApiAction::RecordingsImport: return importRecording(r, c);
        case ApiAction::RecordingsReindex: return reindexRecordings(r, c);
        case ApiAction::CallbacksList: return listCallbacks(r, c);
        case ApiAction::CallbacksRetry: return retryCallback(r, c);
    }
    return ApiError::notFound();
}

void RestApi::handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const {
    Poco::URI uri;
    try {
        uri = Poco::URI(request.getURI());
    } catch (const Poco::Exception&) {
        return sendError(response, ApiError::badRequest("the request target is not a valid URI"));
    }
    const std::string& path = uri.getPath();
    if (path == kOpenApiPath) {
        http::requestTrace().route = "api:openapi";
        if (request.getMethod() != "GET" && request.getMethod() != "HEAD") {
            response.set("Allow", "GET");
            return sendError(response, ApiError::methodNotAllowed());
        }
        return http::sendJsonValue(response, 200, openapi_);
    }
    std::string_view below(path);
    below.remove_prefix(std::string_view(kApiPrefix).size());
    const auto parts = segments(below);

    const ApiRoute* route = nullptr;
    std::string allow;
    ApiRequest r;
    for (const auto& candidate : apiRoutes()) {
        std::string id;
        if (!pathMatches(candidate, parts, id)) continue;
        allow += (allow.empty() ? "" : ", ") + candidate.method;
        if (candidate.method == request.getMethod() || (candidate.method == "GET" && request.getMethod() == "HEAD")) {
            route = &candidate;
            r.id = std::move(id);
        }
    }
    if (!route) {
        if (allow.empty()) return sendError(response, ApiError::notFound());
        response.set("Allow", allow);
        return sendError(response, ApiError::methodNotAllowed());
    }

    http::requestTrace().route = "api:" + std::string(b3s::plugin::toString(route->action));
    // From here on every answer to a change is audited (change_audit.hpp), refusals included.
    const bool change = isChangeMethod(request.getMethod());
    auto refuse = [&](const ApiError& error) {
        if (change) auditRefusal(*route, r, error);
        sendError(response, error);
    };
    // The one question to the auth plugin.
    try {
        r.access = auth_.authorize(bearerToken(request), route->action);
    } catch (const plugin::PluginCallError& e) {  // logged by the plugin's guard
        return refuse(ApiError::pluginFailed(e.what()));
    }
    using Outcome = b3s::plugin::AccessDecision::Outcome;
    if (r.access.outcome == Outcome::Unauthenticated) {
        r.access.subject.clear();  // a token that was not accepted names nobody
        // A security event whatever the method, with the client's address (fail2ban).
        apiLog().info("api_token_refused", {{"remote", http::requestTrace().client},
                                            {"action", std::string(b3s::plugin::toString(route->action))},
                                            {"reason", r.access.reason}});
        return refuse(ApiError::unauthorized(r.access.reason));
    }
    if (r.access.outcome == Outcome::Forbidden) return refuse(ApiError::forbidden(r.access.reason));

    r.method = route->method;
    try {
        for (const auto& [name, value] : uri.getQueryParameters()) r.query[name] = value;
    } catch (const Poco::Exception&) {
        return refuse(ApiError::badRequest("the query string is not valid percent-encoding"));
    }
    if (request.getMethod() == "POST" || request.getMethod() == "PATCH") {
        auto body = readLimited(request.stream(), max_body_bytes_);
        if (!body) {
            response.setKeepAlive(false);
            return refuse(ApiError::tooLarge());
        }
        r.raw_body = std::move(*body);
        // The recordings import takes a BBB metadata.xml as it is, whatever its content type
        // (b3scale's post_publish hook sends application/xml, curl -d form-urlencoded).
        if (!r.raw_body.empty() && route->action != ApiAction::RecordingsImport) {
            try {
                if (!Poco::Net::MediaType(request.getContentType()).matches("application", "json"))
                    return refuse(ApiError::unsupportedMediaType());
            } catch (const Poco::Exception&) {
                return refuse(ApiError::unsupportedMediaType());
            }
            try {
                Poco::JSON::Parser parser;
                const auto parsed = parser.parse(r.raw_body);
                if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
                    return refuse(ApiError::badRequest("the body must be a JSON object"));
                r.body = parsed.extract<Poco::JSON::Object::Ptr>();
            } catch (const Poco::Exception&) {
                return refuse(ApiError::badRequest("the body is not valid JSON"));
            }
        }
    }

    ApiResult result = ApiError::internal();
    try {
        result = run(*route, r);
    } catch (const store::StoreError& e) {
        result = fromStoreError(e, *route);
    } catch (const std::exception& e) {
        apiLog().error("api_handler_failed",
                       {{"route", std::string(b3s::plugin::toString(route->action))}, {"error", e.what()}});
        result = ApiError::internal();
    }
    if (const auto* error = std::get_if<ApiError>(&result)) return refuse(*error);
    const auto& answer = std::get<ApiResponse>(result);
    if (change) auditChange(*route, r, answer);
    http::sendJsonValue(response, answer.status, answer.body);
}

}  // namespace b3s::core::api
