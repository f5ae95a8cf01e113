#pragma once
// What `b3scalectl import b3scale` makes of one row of b3scale's (Go) database: the frontend
// or backend as our REST API takes it, and a warning for everything that has no equivalent
// here (never dropped silently). Pure: no I/O, so every mapping rule is unit tested.
//
//   b3scale frontend              ours
//   key, secret (trimmed)         bbb.key, bbb.secret
//   active, account_ref           active, account_ref
//   settings.required_tags, default_presentation, attendees_limit, create_default_params,
//   create_override_params, join_default_params, join_override_params, recordings
//                                 the same settings (empty ones left out); any other key: warning
//   b3scale backend
//   host                          bbb.host, normalised (…/bigbluebutton/api/)
//   secret, load_factor           bbb.secret, load_factor (0 means 1, as b3scale read it)
//   settings.tags                 settings.tags; any other key: warning
//   admin_state ready/init/stopped  the same; error → stopped (warning);
//                                 decommissioned → not imported
//   agent_ref                     agent_ref (so a node agent with a token of that ref finds it)
//   node_state                    not imported: b3scaled measures health by its own polls

#include "legacy_database.hpp"

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

namespace b3s::ctl {

/// A frontend as it should be in our store.
struct WantedFrontend {
    std::string key;
    std::string secret;
    bool active = true;
    std::optional<std::string> account_ref;
    /// Settings in canonical form: only the settings that are set, each in our API's shape.
    Poco::JSON::Object::Ptr settings;
    std::vector<std::string> warnings;  ///< "frontend <key>: setting 'x' …"
};

/// A backend as it should be in our store, or why it is not imported.
struct WantedBackend {
    std::string host;  ///< normalised
    std::string secret;
    std::vector<std::string> tags;
    double load_factor = 1.0;
    std::string admin_state;
    std::optional<std::string> agent_ref;
    std::optional<std::string> skip_reason;  ///< set: not imported
    std::vector<std::string> warnings;
};

WantedFrontend mapFrontend(const LegacyFrontend& row);
WantedBackend mapBackend(const LegacyBackend& row);

/// Frontend settings (our API's representation, or a mapped one) in canonical form: the
/// settings that are set, nothing that means "off" (null, {}, [], a limit of 0, "" params).
Poco::JSON::Object::Ptr canonicalFrontendSettings(const Poco::JSON::Object::Ptr& settings);

/// JSON text with object members sorted by name, for comparing values.
std::string canonicalJson(const Poco::Dynamic::Var& value);

}  // namespace b3s::ctl
