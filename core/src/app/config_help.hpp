#pragma once
// `b3scaled --help-config`: every variable b3scaled reads — core's, then each plugin's in the
// plugin directory, read from the plugins' descriptors — with its default and one line on it.
// etc/default/b3scale lists the same names (a test holds the two together).

#include "config/environment.hpp"

#include <filesystem>
#include <ostream>

namespace b3s::core::app {

/// Writes the listing; returns the exit code (78 when B3SCALE_PLUGIN_DIR is not a directory;
/// plugin files the loader refuses are named in the listing and do not fail it).
int printConfigHelp(std::ostream& out, std::ostream& err, const config::Environment& env,
                    const std::filesystem::path& executable_dir);

}  // namespace b3s::core::app
