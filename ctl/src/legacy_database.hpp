#pragma once
// Reading the database of b3scale (Go) for `b3scalectl import b3scale`: its frontends and
// backends, as they are stored there (admin spec §12), read in one read-only transaction.
// libpq directly: the import must not depend on our store's schema, and a Go b3scale
// database is only ever read.

#include <optional>
#include <string>
#include <vector>

namespace b3s::ctl {

/// A row of b3scale's `frontends` table.
struct LegacyFrontend {
    std::string key;
    std::string secret;
    bool active = true;
    std::optional<std::string> account_ref;
    std::string settings_json;  ///< the jsonb column as text
};

/// A row of b3scale's `backends` table.
struct LegacyBackend {
    std::string host;
    std::string secret;
    std::string settings_json;  ///< the jsonb column as text
    double load_factor = 1.0;
    std::string admin_state;  ///< init, ready, error, stopped, decommissioned
    std::string node_state;
    std::optional<std::string> agent_ref;  ///< absent before b3scale's migration 2
};

struct LegacyRows {
    std::vector<LegacyFrontend> frontends;  ///< ordered by key
    std::vector<LegacyBackend> backends;    ///< ordered by host
};

/// Reads both tables from `conninfo` (a postgres:// URL or a libpq key=value string). Throws
/// CtlError with one sentence (never the password) when the database cannot be reached or
/// is not a b3scale database.
LegacyRows readLegacyDatabase(const std::string& conninfo);

}  // namespace b3s::ctl
