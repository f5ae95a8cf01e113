#pragma once
// One REST API request as a handler sees it (decoded, authorized), and what it answers.

#include "api/api_error.hpp"

#include <b3s/plugin/auth.hpp>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace b3s::core::api {

struct ApiRequest {
    std::string method;
    std::string id;                            ///< the {id} path segment, percent-decoded; "" when none
    std::map<std::string, std::string> query;  ///< decoded; a repeated name keeps its last value
    Poco::JSON::Object::Ptr body;              ///< a JSON object body; null when there was none
    std::string raw_body;                      ///< as received (recordings import takes XML)
    b3s::plugin::AccessDecision access;        ///< allowed, with its reach

    std::optional<std::string> param(const std::string& name) const {
        const auto it = query.find(name);
        if (it == query.end()) return std::nullopt;
        return it->second;
    }
};

struct ApiResponse {
    int status = 200;
    Poco::Dynamic::Var body;  ///< a Poco::JSON::Object::Ptr or Poco::JSON::Array::Ptr
    /// For the audit line of a change: the fields it changed, when the handler knows them better
    /// than the request body does (a PATCH names what differs); nullopt: the body's fields.
    std::optional<std::vector<std::string>> changed;
};

using ApiResult = std::variant<ApiResponse, ApiError>;

inline ApiResult ok(Poco::Dynamic::Var body, int status = 200) {
    return ApiResponse{status, std::move(body), std::nullopt};
}

/// A change's answer naming the fields it changed.
inline ApiResult changed(Poco::Dynamic::Var body, std::vector<std::string> fields) {
    return ApiResponse{200, std::move(body), std::move(fields)};
}

}  // namespace b3s::core::api
