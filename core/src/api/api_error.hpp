#pragma once
// The REST API's errors as values. Handlers return them; RestApi writes every one of them in
// one shape, {"error": <code>, "message": <sentence>} (plus "fields" for validation errors and
// refused fields): b3scale's clients read "message", ours read "error" too. Never a secret, a
// token or SQL.

#include <map>
#include <string>
#include <vector>

namespace b3s::core::api {

struct ApiError {
    int status = 500;
    std::string code;                                        ///< "not_found", "validation_error", …
    std::string message;                                     ///< one sentence
    std::map<std::string, std::vector<std::string>> fields;  ///< validation_error, forbiddenFields: field → problems

    static ApiError badRequest(std::string message) { return {400, "bad_request", std::move(message), {}}; }
    static ApiError validation(std::map<std::string, std::vector<std::string>> fields) {
        return {400, "validation_error", "validation failed with input", std::move(fields)};
    }
    static ApiError unauthorized(std::string message) { return {401, "unauthorized", std::move(message), {}}; }
    static ApiError forbidden(std::string message) { return {403, "forbidden", std::move(message), {}}; }
    /// A caller that may make the request but not change these fields (field → why).
    static ApiError forbiddenFields(std::map<std::string, std::vector<std::string>> fields) {
        std::string names;
        for (const auto& [name, problems] : fields) names += (names.empty() ? "" : ", ") + name;
        return {403, "forbidden", "this token may not change " + names, std::move(fields)};
    }
    static ApiError notFound() { return {404, "not_found", "Not Found", {}}; }
    static ApiError methodNotAllowed() { return {405, "method_not_allowed", "Method Not Allowed", {}}; }
    static ApiError conflict(std::string message) { return {409, "conflict", std::move(message), {}}; }
    static ApiError tooLarge() { return {413, "payload_too_large", "the request body is too large", {}}; }
    static ApiError unsupportedMediaType() {
        return {415, "unsupported_media_type", "send the request body as application/json", {}};
    }
    static ApiError unavailable(std::string message) { return {503, "unavailable", std::move(message), {}}; }
    static ApiError internal() { return {500, "internal_error", "Internal Server Error", {}}; }
    /// A plugin threw (its guard logged it); `message` names the plugin, never its error text.
    static ApiError pluginFailed(std::string message) { return {500, "plugin_failed", std::move(message), {}}; }
};

}  // namespace b3s::core::api
