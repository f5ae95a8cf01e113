#pragma once
// A URL as a log line may show it: scheme, host, port and path. The query (tokens, meeting ids)
// and the userinfo (`user:password@`, written `***@`) never reach a log.

#include <string>
#include <string_view>

namespace b3s::core {

/// "https://***@host:8443/path" for "https://user:pw@host:8443/path?x=1"; "(unparsable URL)"
/// when `url` is not one. Never throws except std::bad_alloc.
std::string loggableUrl(std::string_view url);

}  // namespace b3s::core
