#pragma once
// Why the agent ends at start-up: an exit code, the stable event key of the one log line that
// says so, and its fields (never a secret). Thrown by the start-up steps, caught once in
// AgentApp::run.

#include "exit_codes.hpp"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace b3s::agent {

using LogFields = std::vector<std::pair<std::string, std::string>>;

class AgentExit : public std::runtime_error {
public:
    AgentExit(int code, std::string event, const std::string& message, LogFields fields = {})
        : std::runtime_error(message), code_(code), event_(std::move(event)), fields_(std::move(fields)) {}

    int code() const noexcept { return code_; }
    const std::string& event() const noexcept { return event_; }
    const LogFields& fields() const noexcept { return fields_; }

private:
    int code_;
    std::string event_;
    LogFields fields_;
};

/// A configuration error (exit 78) naming the variable or file key at fault.
inline AgentExit configError(const std::string& key, const std::string& message) {
    return AgentExit(kExitConfig, "config_invalid", message, {{"variable", key}});
}

}  // namespace b3s::agent
