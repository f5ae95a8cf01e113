#pragma once
// A snapshot of the process environment's B3SCALE_* variables, taken once at start-up.
// Everything in b3scaled reads configuration from here, never from getenv().

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::config {

class Environment {
public:
    Environment() = default;
    explicit Environment(std::map<std::string, std::string, std::less<>> vars);

    /// The B3SCALE_* variables of the current process (plus STATE_DIRECTORY from systemd).
    static Environment fromProcess();

    /// The value, or nullopt when unset. Empty values count as unset, as in b3scale.
    std::optional<std::string> get(std::string_view key) const;
    /// Every set key that starts with `prefix`, sorted.
    std::vector<std::string> keysWithPrefix(std::string_view prefix) const;

private:
    std::map<std::string, std::string, std::less<>> vars_;
};

}  // namespace b3s::core::config
