#pragma once
// The one way a URL is shown in a log line, an API answer or b3scalectl's output: a password
// a frontend put into its callback URL (`https://user:password@host/…`) never is.

#include <string>
#include <string_view>

namespace b3s::core {

/// `url` with its userinfo (`user:password@` or `user@`) replaced by `***@`; anything else
/// unchanged, also text that is not a URL at all.
std::string redactUserinfo(std::string_view url);

}  // namespace b3s::core
