#pragma once
// Every route of the REST API, described once: RestApi dispatches by this table and the
// OpenAPI document (openapi_document.hpp) is generated from it, so the two cannot disagree
// (tests/api/rest_api_test.cpp requests every route and checks it against the
// document).

#include <b3s/plugin/auth.hpp>

#include <string>
#include <vector>

namespace b3s::core::api {

struct QueryParam {
    std::string name;
    std::string description;
};

struct ApiRoute {
    std::string method;  ///< GET, POST, PATCH, DELETE
    std::string path;    ///< below /api/v1, with {id} for the one path parameter
    b3s::plugin::ApiAction action;
    std::string tag;              ///< OpenAPI grouping
    std::string summary;          ///< one line
    std::string request_schema;   ///< component name of the JSON body, "" when none
    std::string response_schema;  ///< component name; "[Name]" for an array of Name
    int success_status = 200;
    std::vector<QueryParam> query;
};

/// The table, in the order of the OpenAPI document.
const std::vector<ApiRoute>& apiRoutes();

/// "/api/v1".
inline constexpr const char* kApiPrefix = "/api/v1";
/// The OpenAPI document's own path (no token needed).
inline constexpr const char* kOpenApiPath = "/api/v1/openapi.json";

}  // namespace b3s::core::api
