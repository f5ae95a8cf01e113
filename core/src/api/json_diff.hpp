#pragma once
// What a PATCH changes: the dotted names of the fields whose value differs between a resource's
// representation and that representation with the body merged in (json_merge.hpp). The REST
// API decides from these names who may change what (field_rules.hpp) and logs them (never the
// values) for the audit line.

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace b3s::core::api {

/// The fields of `before` whose value differs in `after`, as dotted paths ("bbb.secret",
/// "settings.create_default_params.welcome"), sorted. Objects are compared key by key, arrays
/// and scalars as a whole. Top-level keys `before` does not have are not fields of the
/// resource (readers ignore them) and are left out; below the top a new key is a change unless
/// it adds nothing (null, or "" which removes a parameter).
std::vector<std::string> changedFields(const Poco::JSON::Object& before, const Poco::JSON::Object& after);

/// Every leaf of `body` as a dotted path, sorted (the fields a POST names).
std::vector<std::string> fieldNames(const Poco::JSON::Object& body);

}  // namespace b3s::core::api
