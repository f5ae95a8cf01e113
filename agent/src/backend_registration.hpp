#pragma once
// Start-up against b3scaled (spec §7.1, with b3scale's bugs fixed):
//   1. GET /api/v1: b3scaled's version and this agent's reference (the token's sub);
//   2. GET /api/v1/agent/backend: the backend registered for this agent;
//   3. found: PATCH /api/v1/backends/<id> {"load_factor": F} plus {"bbb": {"secret": S}} when
//      bbb-web's secret differs from the one b3scaled holds (b3scale sent the key "backend",
//      which b3scaled ignores, so neither ever changed);
//      not found, -a: POST /api/v1/backends {"bbb": {"host", "secret"}, "load_factor": F,
//      "admin_state": "init"}; it waits in init for an operator;
//      not found, no -a: refused (exit 69), naming -a.
// b3scaled unreachable (or answering 5xx) is retried with backoff until it answers or the
// agent is stopped: exiting would only make systemd restart it in a loop.

#include "b3scaled_api.hpp"
#include "backoff.hpp"

#include <optional>
#include <stop_token>
#include <string>

namespace b3s::agent {

struct RegistrationRequest {
    std::string host;    ///< the BBB API URL, .../bigbluebutton/api/
    std::string secret;  ///< bbb-web's securitySalt
    double load_factor = 1.0;
    bool may_register = false;  ///< -a
};

struct RegisteredBackend {
    std::string id;
    std::string host;         ///< as b3scaled holds it
    std::string admin_state;  ///< as b3scaled holds it
};

/// Runs the start-up sequence. Returns the backend, or nullopt when `stop` was requested
/// first. Throws AgentExit: 69 when b3scaled refuses the token (401, 403) or knows no backend
/// and -a was not given; 78 when it refuses the load factor (outside the node bounds).
std::optional<RegisteredBackend> registerBackend(B3scaledApi& api, const RegistrationRequest& request,
                                                 std::stop_token stop, Backoff backoff = Backoff());

}  // namespace b3s::agent
