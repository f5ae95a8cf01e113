#pragma once
// The plan of `b3scalectl import b3scale`: for every frontend and backend of b3scale's (Go)
// database, whether it is created, updated (which fields), unchanged or skipped here, and
// the REST request that does it. Matched by frontend key and backend host; the old database
// wins for the fields it has, and nothing that only our store has is touched. Pure logic.

#include "import_mapping.hpp"

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace b3s::ctl {

struct ImportStep {
    enum class Action { Create, Update, Unchanged, Skip };

    std::string kind;  ///< "frontend" or "backend"
    std::string name;  ///< its key or (normalised) host
    Action action = Action::Unchanged;
    /// What changes, one entry per field, never a secret's value: "secret: changed",
    /// "active: true -> false", "settings.required_tags: changed".
    std::vector<std::string> changes;
    std::string skip_reason;
    std::vector<std::string> warnings;
    std::string method;    ///< "POST" or "PATCH"; empty when nothing is sent
    std::string resource;  ///< relative to /api/v1: "frontends", "backends/<id>"
    std::string body;      ///< the JSON sent
};

/// `current`: the frontend with this key as our API shows it, nullptr when there is none.
ImportStep planFrontend(const WantedFrontend& wanted, const Poco::JSON::Object::Ptr& current);
/// `current`: the backend with this host as our API shows it, nullptr when there is none.
ImportStep planBackend(const WantedBackend& wanted, const Poco::JSON::Object::Ptr& current);

}  // namespace b3s::ctl
