#pragma once
// Shared helpers for the load tests: where the built files are, and whether a library is
// currently mapped into this process.

#include "config/environment.hpp"
#include "plugin/plugin_loader.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <string>

namespace b3s::test {

inline const std::filesystem::path kPluginDir = B3S_PLUGIN_DIR;
inline const std::filesystem::path kFixtureDir = B3S_FIXTURE_PLUGIN_DIR;

using EnvMap = std::map<std::string, std::string, std::less<>>;

inline core::config::Environment environment(EnvMap vars = {}) {
    return core::config::Environment(std::move(vars));
}

/// Whether `file` (any spelling; compared by canonical path) appears in /proc/self/maps.
bool isMapped(const std::filesystem::path& file);

/// Runs `f`, expects PluginLoadError and returns its message (empty string and a test
/// failure otherwise).
std::string loadErrorOf(const std::function<void()>& f);

}  // namespace b3s::test
