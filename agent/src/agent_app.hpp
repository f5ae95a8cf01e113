#pragma once
// b3scaleagent, assembled: command line, logging, configuration, BBB's properties, start-up
// against b3scaled (backend_registration.hpp), then the parts, started in this order and
// stopped in reverse on SIGTERM/SIGINT:
//
//   heartbeat        POST agent/heartbeat every second          (heartbeat_loop.hpp)
//   seeder           getMeetings on the local BBB when asked    (meetings_seeder.hpp)
//   relay lanes      RPCs to b3scaled, one meeting in order     (serial_lanes.hpp, rpc_relay.hpp)
//   dispatcher       decode, count, queue on the lanes          (event_dispatcher.hpp)
//   redis reader     PSUBSCRIBE *akka-apps-redis-channel        (redis_subscriber.hpp)

#include "agent_settings.hpp"

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

namespace b3s::agent {

struct AgentOptions {
    std::vector<std::string> env_files_read;  ///< for the log: what main() loaded
    std::size_t relay_lanes = 8;
    std::size_t lane_capacity = 1'000;
    /// Messages the reader may queue before it drops: a burst of joins while b3scaled is slow.
    std::size_t inbox_capacity = 20'000;
    /// After SIGTERM, the process ends by then even if a part hangs (e.g. connecting to a
    /// redis host that drops packets).
    std::chrono::milliseconds stop_deadline{3000};
};

class AgentApp {
public:
    AgentApp(EnvLookup env, AgentOptions options = {});

    /// Runs until stopped; returns the exit code (exit_codes.hpp). `out` takes --help and
    /// --version, `err` a usage error; everything else is logged.
    int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

private:
    EnvLookup env_;
    AgentOptions options_;
};

}  // namespace b3s::agent
