#pragma once
// The soak's b3scale: a PostgreSQL cluster of its own (so it can be stopped and started), four
// fake BBB backends, three frontends, a receiver for the frontends' callbacks and two real
// b3scaled processes on the one database, each on its own loopback port and API URL.

#include "b3scaled_process.hpp"
#include "frontend_receiver.hpp"
#include "pg_test_database.hpp"
#include "soak_client.hpp"

#include "fake_bbb/fake_bbb_server.hpp"

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace b3s::test::soak {

class SoakCluster {
public:
    /// Starts everything and waits until both instances are ready and see every frontend
    /// and backend. Throws std::runtime_error (with b3scaled's log) when something does not
    /// start.
    SoakCluster();

    /// Both instances answer /readyz with 200 and every backend's node_state is "ready";
    /// false when that did not happen within `timeout`.
    bool waitSettled(std::chrono::seconds timeout);
    /// SIGTERM to both instances; their exit codes (nullopt: did not exit in time).
    std::array<std::optional<int>, 2> terminate();

    static constexpr std::chrono::seconds kPollInterval{5};

    // Declared in the order they must go away last-to-first: b3scaled before what it uses.
    PgCluster postgres;
    FrontendReceiver receiver;
    std::vector<std::unique_ptr<bbb::FakeBbbServer>> backends;
    std::vector<Tenant> tenants;
    std::array<std::unique_ptr<B3scaledProcess>, 2> instances;
    std::array<int, 2> ports{};
};

}  // namespace b3s::test::soak
