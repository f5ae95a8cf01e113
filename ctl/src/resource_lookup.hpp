#pragma once
// Finding the backend or frontend an operator names on the command line: backends by host
// (normalised, see backend_host.hpp; the text as typed is tried too, so a host stored in
// another form is still found), frontends by key.

#include "api_client.hpp"

#include <Poco/JSON/Object.h>

#include <string>

namespace b3s::ctl {

/// The backend stored under `host` (normalised, else as typed), or nullptr. Throws UsageError
/// for a host that is no http(s) URL, CtlError/ApiError when the API fails.
Poco::JSON::Object::Ptr findBackendByHost(const ApiClient& api, const std::string& host);

/// The frontend with exactly this key, or nullptr.
Poco::JSON::Object::Ptr findFrontendByKey(const ApiClient& api, const std::string& key);

/// The same, but a missing one is a CtlError: "backend not found: <host>" /
/// "frontend with key <key> not found".
Poco::JSON::Object::Ptr requireBackend(const ApiClient& api, const std::string& host);
Poco::JSON::Object::Ptr requireFrontend(const ApiClient& api, const std::string& key);

/// id → host of every backend (for tables that show meetings).
std::map<std::string, std::string> backendHostsById(const ApiClient& api);

}  // namespace b3s::ctl
