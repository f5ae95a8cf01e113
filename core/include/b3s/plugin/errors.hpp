#pragma once
// Exceptions a plugin factory may throw. Only factories throw (start-up, control plane);
// per-request methods return results and must not let exceptions escape.

#include <b3s/plugin/abi.hpp>

#include <stdexcept>
#include <string>
#include <utility>

namespace b3s::plugin {

/// A configuration value is missing or invalid. `key()` names the variable so the
/// operator's error line can say which one; the message never contains a secret value.
class B3S_PLUGIN_API ConfigError : public std::runtime_error {
public:
    ConfigError(std::string key, const std::string& reason)
        : std::runtime_error(key + ": " + reason), key_(std::move(key)) {}
    const std::string& key() const noexcept { return key_; }

private:
    std::string key_;
};

}  // namespace b3s::plugin
