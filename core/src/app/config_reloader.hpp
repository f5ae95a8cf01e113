#pragma once
// SIGHUP's work: writes out the buffered access-log lines, reads the env files again and
// applies what changed and can change without a restart (config/settings_reload.hpp): the log
// level and format, and the access-log policy. Logs `reloaded` with the names applied,
// `reload_restart_required` with the changed names that need a restart, `reload_invalid` for a
// value it refused (the old one stays). Never a value in those lists: some are secrets.
//
// Thread-safety: reload() from one thread (the signal loop).

#include "http/request_metrics.hpp"

#include <map>
#include <string>
#include <vector>

namespace b3s::core::app {

class ConfigReloader {
public:
    /// `files_at_start`: what `env_files` said when b3scaled started (config::readEnvFiles).
    /// `access_log` must outlive the reloader.
    ConfigReloader(std::vector<std::string> env_files, std::map<std::string, std::string> files_at_start,
                   http::RequestMetrics& access_log);

    /// Never throws: a reload that fails keeps everything as it was and says so in the log.
    void reload() noexcept;

private:
    std::vector<std::string> env_files_;
    std::map<std::string, std::string> files_;  ///< the variables at the last read
    http::RequestMetrics& access_log_;
};

}  // namespace b3s::core::app
