#pragma once
// What a handler learns about the request it serves that the access log and the request
// metrics need: a bounded route label ("bbb:join", "api:frontends.list", "probe:readyz"), the
// frontend key and the backend host. One per request thread: the router clears it before a
// handler runs and reads it after; handlers fill what they know. Never a secret, a query or
// a meeting id.

#include <string>

namespace b3s::core::http {

struct RequestTrace {
    std::string client;  ///< who sent it (http/client_address.hpp), set by the router
    std::string route;
    std::string frontend;
    std::string backend;
};

/// The trace of the request this thread is serving.
RequestTrace& requestTrace() noexcept;

}  // namespace b3s::core::http
