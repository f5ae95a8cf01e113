#pragma once
// Backend tags as the JSON array of strings stored in backends.tags.

#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::store {

/// `["a", "b"]`; strings are escaped per RFC 8259, non-ASCII UTF-8 is kept as is.
std::string tagsToJson(const std::vector<std::string>& tags);

/// Inverse of tagsToJson for any JSON array of strings (PostgreSQL re-spaces jsonb).
/// Throws StoreError(Internal) for anything else: the column's CHECK should prevent it.
std::vector<std::string> tagsFromJson(std::string_view json);

}  // namespace b3s::core::store
