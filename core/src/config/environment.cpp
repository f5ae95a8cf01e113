#include "config/environment.hpp"

#include <cstring>

extern char** environ;

namespace b3s::core::config {

Environment::Environment(std::map<std::string, std::string, std::less<>> vars) : vars_(std::move(vars)) {}

Environment Environment::fromProcess() {
    std::map<std::string, std::string, std::less<>> vars;
    for (char** e = environ; e && *e; ++e) {
        std::string_view entry(*e);
        auto eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        auto key = entry.substr(0, eq);
        if (key.starts_with("B3SCALE_") || key == "STATE_DIRECTORY")
            vars.emplace(std::string(key), std::string(entry.substr(eq + 1)));
    }
    return Environment(std::move(vars));
}

std::optional<std::string> Environment::get(std::string_view key) const {
    auto it = vars_.find(key);
    if (it == vars_.end() || it->second.empty()) return std::nullopt;
    return it->second;
}

std::vector<std::string> Environment::keysWithPrefix(std::string_view prefix) const {
    std::vector<std::string> keys;
    for (auto it = vars_.lower_bound(prefix); it != vars_.end() && it->first.starts_with(prefix); ++it)
        if (!it->second.empty()) keys.push_back(it->first);
    return keys;
}

}  // namespace b3s::core::config
