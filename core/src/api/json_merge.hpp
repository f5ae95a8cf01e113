#pragma once
// PATCH semantics of b3scale's REST API (spec b3scale-admin.md §3.1.1): the body is decoded on
// top of the current representation — objects merge key by key, anything else (arrays,
// strings, numbers, null) replaces what was there.

#include <Poco/JSON/Object.h>

namespace b3s::core::api {

/// Merges `patch` into `target` in place.
void mergeJson(Poco::JSON::Object& target, const Poco::JSON::Object& patch);

/// A deep copy (merging must not change a representation someone else holds).
Poco::JSON::Object::Ptr copyJson(const Poco::JSON::Object& source);

}  // namespace b3s::core::api
