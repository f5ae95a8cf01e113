#pragma once
// What SIGHUP changes. The env files are read again directly — under systemd the variables
// came from EnvironmentFile= at start, so only the files can show a change — and compared with
// what they said at the previous read. A changed variable that can change without a restart
// (reloadableKeys) takes the files' value (removed from them or empty: its default); any other
// changed variable needs a restart. Variables only set in the process environment never change.

#include "config/environment.hpp"

#include <map>
#include <string>
#include <vector>

namespace b3s::core::config {

/// B3SCALE_LOG_LEVEL, B3SCALE_LOG_FORMAT, B3SCALE_ACCESS_LOG.
const std::vector<std::string>& reloadableKeys();

struct ReloadPlan {
    Environment values;                         ///< the changed reloadable variables' new values
    std::vector<std::string> apply;             ///< changed reloadable variables, sorted
    std::vector<std::string> restart_required;  ///< every other changed variable, sorted
};

/// Compares two reads of the env files (config::readEnvFiles). Names only, never values, go
/// into the lists, so they can be logged (some values are secrets).
ReloadPlan planReload(const std::map<std::string, std::string>& before,
                      const std::map<std::string, std::string>& after);

}  // namespace b3s::core::config
