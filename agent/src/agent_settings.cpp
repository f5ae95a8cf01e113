#include "agent_settings.hpp"

#include "agent_exit.hpp"

#include "config/env_files.hpp"
#include "util/ascii.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace b3s::agent {
namespace {

constexpr const char* kApiUrl = "B3SCALE_API_URL";
constexpr const char* kAccessToken = "B3SCALE_API_ACCESS_TOKEN";
constexpr const char* kBbbConfig = "BBB_CONFIG";
constexpr const char* kLoadFactor = "B3SCALE_LOAD_FACTOR";
constexpr const char* kHostFigures = "B3SCALE_AGENT_HOST_FIGURES";
constexpr const char* kLogLevel = "B3SCALE_LOG_LEVEL";
constexpr const char* kLogFormat = "B3SCALE_LOG_FORMAT";

std::string trimmed(std::string_view s) {
    return std::string(core::trimAny(s, " \t\r\n"));
}

}  // namespace

EnvLookup processEnvironment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr || *value == '\0') return std::nullopt;
        return std::string(value);
    };
}

std::optional<double> parseLoadFactor(std::string_view text) {
    const std::string t = trimmed(text);
    double value = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (t.empty() || ec != std::errc() || end != t.data() + t.size() || !std::isfinite(value) || value <= 0)
        return std::nullopt;
    return value;
}

std::optional<bool> parseSwitch(std::string_view text) {
    const std::string t = trimmed(text);
    for (const char* on : {"true", "yes", "on", "1"})
        if (core::equalsIgnoreAsciiCase(t, on)) return true;
    for (const char* off : {"false", "no", "off", "0"})
        if (core::equalsIgnoreAsciiCase(t, off)) return false;
    return std::nullopt;
}

void readLogSettings(const EnvLookup& env, AgentSettings& s) {
    if (const auto level = env(kLogLevel)) {
        const auto parsed = core::log::parseLogLevel(trimmed(*level));
        if (!parsed)
            throw configError(kLogLevel, fmt::format("{}={:?} is invalid: use trace, debug, info, warn, error, fatal, "
                                                     "panic or a number from -1 to 5",
                                                     kLogLevel, *level));
        s.log_level = *parsed;
    }
    if (const auto format = env(kLogFormat)) {
        const auto parsed = core::log::parseLogFormat(trimmed(*format));
        if (!parsed)
            throw configError(kLogFormat,
                              fmt::format("{}={:?} is invalid: use structured or plain", kLogFormat, *format));
        s.log_format = *parsed;
    }
}

AgentSettings readAgentSettings(const EnvLookup& env) {
    AgentSettings s;
    readLogSettings(env, s);

    const auto url = env(kApiUrl);
    if (!url || trimmed(*url).empty())
        throw configError(kApiUrl, fmt::format("{} is not set: set it to b3scaled's base URL, e.g. "
                                               "https://api.bbb.example.org",
                                               kApiUrl));
    s.api_url = trimmed(*url);
    if (!s.api_url.starts_with("http://") && !s.api_url.starts_with("https://"))
        throw configError(
            kApiUrl, fmt::format("{}={:?} is invalid: it must start with http:// or https://", kApiUrl, s.api_url));
    while (s.api_url.ends_with('/')) s.api_url.pop_back();

    const auto token = env(kAccessToken);
    if (!token || trimmed(*token).empty())
        throw configError(kAccessToken, fmt::format("{} is not set: give the agent a node token (scope b3scale:node, "
                                                    "e.g. from b3scalectl auth authorize_node_agent)",
                                                    kAccessToken));
    s.access_token = trimmed(*token);

    if (const auto path = env(kBbbConfig)) s.bbb_config = trimmed(*path);

    if (const auto factor = env(kLoadFactor)) {
        const auto parsed = parseLoadFactor(*factor);
        // b3scale fell back to 1.0 here; a typo would then silently change the placement.
        if (!parsed)
            throw configError(
                kLoadFactor,
                fmt::format("{}={:?} is invalid: it must be a number greater than 0, e.g. 1.5", kLoadFactor, *factor));
        s.load_factor = *parsed;
    }

    if (const auto figures = env(kHostFigures)) {
        const auto parsed = parseSwitch(*figures);
        if (!parsed)
            throw configError(kHostFigures,
                              fmt::format("{}={:?} is invalid: use true or false", kHostFigures, *figures));
        s.host_figures = *parsed;
    }
    return s;
}

std::vector<std::string> agentEnvFiles() {
    return {"/etc/default/b3scaleagent", "/etc/sysconfig/b3scaleagent", "/etc/default/b3scale",
            "/etc/sysconfig/b3scale"};
}

std::vector<std::string> loadAgentEnvFiles(const std::vector<std::string>& paths) {
    std::vector<std::string> read;
    // core's loader never overrides what is set: one file at a time, the first value stays.
    for (const auto& path : paths)
        for (auto& file : core::config::loadEnvFiles({path})) read.push_back(std::move(file));
    return read;
}

}  // namespace b3s::agent
