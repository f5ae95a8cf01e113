#pragma once
// The REST API under /api/v1: matches the route (api_routes.hpp), asks the auth plugin its one
// question (the token and the action) and maps the answer to 401/403, decodes the query and
// the JSON body, runs the route's handler (resources.hpp) and writes its value — the one
// place where API errors, including store errors, become JSON answers:
//   unique violation → 409, row changed meanwhile → 409, unknown id → 404, bad input → 400
//   validation_error, database unavailable → 503, anything else → 500 (logged, never shown).
// It also writes the audit line of every change request, done or refused (change_audit.hpp).

#include "api/api_context.hpp"
#include "api/api_request.hpp"
#include "api/api_routes.hpp"

#include <b3s/plugin/auth.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstddef>
#include <string>

namespace b3s::core::api {

class RestApi {
public:
    /// Every reference must outlive this object.
    RestApi(ApiContext& context, const b3s::plugin::Authenticator& auth, std::size_t max_body_bytes = 1 << 20);

    /// Answers any request whose path starts with /api/v1 (callbacks are routed before).
    void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const;

private:
    ApiResult run(const ApiRoute& route, const ApiRequest& request) const;

    ApiContext& context_;
    const b3s::plugin::Authenticator& auth_;
    std::size_t max_body_bytes_;
    Poco::JSON::Object::Ptr openapi_;
};

}  // namespace b3s::core::api
