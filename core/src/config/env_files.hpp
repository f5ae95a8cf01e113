#pragma once
// b3scale's env files: `.env`, `/etc/default/b3scale`, `/etc/sysconfig/b3scale`, read only
// when B3SCALE_DB_URL is unset. One KEY=VALUE per line, `#` comments, split at the first
// `=`, whitespace and quote characters trimmed at both ends of key and value. Later files
// override earlier ones; a variable already set in the process environment always wins.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::config {

/// The default search list, in b3scale's order.
std::vector<std::string> defaultEnvFiles();

/// Parses one file's text into KEY→VALUE pairs.
std::map<std::string, std::string> parseEnvFile(std::string_view text);

/// The variables of the readable files among `paths`, later files overriding earlier ones,
/// and the files that were read. SIGHUP reads them again this way (config/settings_reload.hpp).
struct EnvFileVariables {
    std::map<std::string, std::string> variables;
    std::vector<std::string> files;
};
EnvFileVariables readEnvFiles(const std::vector<std::string>& paths);

/// Reads the readable files among `paths` and exports their variables into the process
/// environment (without overriding what is already set). Returns the files that were read.
std::vector<std::string> loadEnvFiles(const std::vector<std::string>& paths);

}  // namespace b3s::core::config
