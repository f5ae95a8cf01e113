#pragma once
// The agent's configuration: environment variables only (--help lists them), read once at
// start. The env files are read before, by loadAgentEnvFiles, when B3SCALE_API_URL is unset.

#include "log/log_sink.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::agent {

/// The value of an environment variable, nullopt when unset or empty (b3scale's rule).
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

/// getenv(3) as an EnvLookup.
EnvLookup processEnvironment();

struct AgentSettings {
    std::string api_url;       ///< B3SCALE_API_URL without a trailing '/'
    std::string access_token;  ///< B3SCALE_API_ACCESS_TOKEN: never logged
    std::filesystem::path bbb_config = "/etc/bigbluebutton/bbb-web.properties";
    double load_factor = 1.0;
    bool host_figures = true;
    core::log::LogLevel log_level = core::log::LogLevel::Info;
    core::log::LogFormat log_format = core::log::LogFormat::Structured;
};

/// B3SCALE_LOG_LEVEL and B3SCALE_LOG_FORMAT only (logging is configured before anything else
/// can fail). Throws AgentExit (78) naming the variable.
void readLogSettings(const EnvLookup& env, AgentSettings& settings);

/// Every variable. Throws AgentExit (78) naming the first variable at fault: a missing
/// B3SCALE_API_URL or B3SCALE_API_ACCESS_TOKEN, a URL that is not http(s), a load factor that
/// is not a positive number, a boolean that is none.
AgentSettings readAgentSettings(const EnvLookup& env);

/// The agent's own env file (Debian's, openSUSE's), then b3scale's shared ones:
/// /etc/default/b3scaleagent, /etc/sysconfig/b3scaleagent, /etc/default/b3scale,
/// /etc/sysconfig/b3scale.
std::vector<std::string> agentEnvFiles();

/// Reads the readable files among `paths` in order and exports their variables; a variable
/// keeps the first value found (the agent's own file before the shared ones) and one already
/// set in the environment is never overridden. Returns the files that were read.
std::vector<std::string> loadAgentEnvFiles(const std::vector<std::string>& paths);

/// A load factor as B3SCALE_LOAD_FACTOR spells it: a finite number > 0; nullopt otherwise.
std::optional<double> parseLoadFactor(std::string_view text);

/// true/false, yes/no, on/off, 1/0 (any case); nullopt otherwise.
std::optional<bool> parseSwitch(std::string_view text);

}  // namespace b3s::agent
