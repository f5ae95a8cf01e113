#include "settings.hpp"

#include <b3s/plugin/errors.hpp>

#include <algorithm>
#include <cctype>
#include <string>

namespace b3s::metrics::prometheus {
namespace {

bool parseBool(const char* key, std::string text) {
    auto notSpace = [](unsigned char c) { return !std::isspace(c); };
    text.erase(text.begin(), std::find_if(text.begin(), text.end(), notSpace));
    text.erase(std::find_if(text.rbegin(), text.rend(), notSpace).base(), text.end());
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == "true" || lower == "yes" || lower == "1") return true;
    if (lower == "false" || lower == "no" || lower == "0") return false;
    throw plugin::ConfigError(key, "accepts true, false, yes, no, 1 or 0; got '" + text + "'");
}

}  // namespace

Settings parseSettings(const plugin::ConfigView& config) {
    Settings settings;
    settings.process = parseBool(kProcessKey, config.getOr(kProcessKey, kDefaultProcess));
    return settings;
}

}  // namespace b3s::metrics::prometheus
