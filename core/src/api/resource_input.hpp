#pragma once
// Reading and validating what clients send for frontends and backends. Every problem is
// collected under the field's dotted name with b3scale's sentences where it has one
// ("this field is required", "should start with http(s)://"), so one answer lists them all.

#include "store/records.hpp"

#include <Poco/JSON/Object.h>

#include <map>
#include <string>
#include <vector>

namespace b3s::core::api {

using FieldErrors = std::map<std::string, std::vector<std::string>>;

/// Applies `doc` (a create body, or the current representation merged with a PATCH body) to
/// `frontend`: bbb.key, bbb.secret, active, settings, and account_ref when
/// `take_account_ref`. Empty-string entries of the four parameter maps are dropped (b3scale:
/// setting a parameter to "" in a PATCH removes it). Returns the problems, empty when valid.
FieldErrors readFrontend(const Poco::JSON::Object& doc, store::Frontend& frontend, bool take_account_ref);

/// The same for backends: bbb.host (an http(s) URL; a missing trailing "/" is added),
/// bbb.secret, settings.tags, admin_state, load_factor (finite, >= 0), agent_ref (a string
/// of at most 64 characters, or null; absent keeps it). `creating`: an absent
/// or 0 load factor becomes 1.0 and an absent admin state `ready`, as b3scale.
FieldErrors readBackend(const Poco::JSON::Object& doc, store::Backend& backend, bool creating);

}  // namespace b3s::core::api
