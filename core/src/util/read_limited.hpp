#pragma once
// Reading a request or response body into memory without letting its sender decide how much
// memory that takes.

#include <cstddef>
#include <istream>
#include <optional>
#include <string>

namespace b3s::core {

/// Reads `in` to its end. nullopt as soon as more than `limit` bytes arrived; the rest is
/// left unread (callers then close the connection, never reuse it).
std::optional<std::string> readLimited(std::istream& in, std::size_t limit);

}  // namespace b3s::core
