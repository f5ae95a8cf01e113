#pragma once
// b3scaled's REST API v1 (`<api>/api/v1/<resource>`) with a bearer token: requests, JSON
// answers, and API errors turned into one sentence.

#include "ctl_error.hpp"
#include "http_transport.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <map>
#include <string>
#include <vector>

namespace b3s::ctl {

/// A successful answer: the body as sent (for --json) and parsed.
struct JsonReply {
    int status = 0;
    std::string body;
    Poco::Dynamic::Var json;

    /// The answer as an object / array; throws CtlError when it is something else.
    Poco::JSON::Object::Ptr object() const;
    Poco::JSON::Array::Ptr array() const;
};

/// The API answered with an error status.
class ApiError : public CtlError {
public:
    ApiError(int status, std::string code, std::string message, std::map<std::string, std::vector<std::string>> fields,
             const std::string& sentence);
    int status() const noexcept { return status_; }
    const std::string& code() const noexcept { return code_; }  ///< "validation_error", "" when absent
    const std::string& apiMessage() const noexcept { return message_; }
    const std::map<std::string, std::vector<std::string>>& fields() const noexcept { return fields_; }

private:
    int status_;
    std::string code_;
    std::string message_;
    std::map<std::string, std::vector<std::string>> fields_;
};

/// Builds the ApiError for an error answer: the JSON error's message and field errors
/// ("validation failed with input: bbb.host: should start with http(s)://"), b3scale's "the
/// resource could not be found (404)", the status for anything else. `body` may be anything;
/// it is never echoed when it is not a JSON error.
ApiError apiErrorFrom(int status, const std::string& body);

class ApiClient {
public:
    /// `token` may be empty for the unauthenticated routes (GET /).
    ApiClient(HttpTransport transport, std::string token);

    const ApiEndpoint& endpoint() const noexcept { return transport_.endpoint(); }
    HttpTransport& transport() noexcept { return transport_; }

    /// `resource` is relative to /api/v1 ("backends", "backends/<id>", "" for the status).
    /// Throws ApiError for a status >= 400 (or any 3xx), CtlError when unreachable or the answer
    /// is not JSON.
    JsonReply get(const std::string& resource, const QueryParams& query = {}) const;
    JsonReply post(const std::string& resource, const std::string& json_body) const;
    JsonReply patch(const std::string& resource, const std::string& json_body) const;
    JsonReply remove(const std::string& resource, const QueryParams& query = {}) const;

    /// A request outside /api/v1 (path from the server root, e.g. "/" or "/bbb/…"), without
    /// the token; the reply whatever its status.
    HttpReply sendPlain(const std::string& method, const std::string& path_and_query) const;

private:
    JsonReply call(const std::string& method, const std::string& resource, const QueryParams& query,
                   const std::string& body) const;

    HttpTransport transport_;
    std::string token_;
};

}  // namespace b3s::ctl
