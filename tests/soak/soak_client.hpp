#pragma once
// One frontend's client in the soak: a thread that, at the pace the shared rate limiter
// allows, creates meetings (with end callbacks pointing at the test's receiver), joins them
// (browser and redirect=false), ends them and asks about them, taking turns between the two
// b3scaled instances, the way a Greenlight or Moodle would. It keeps its own book of what it
// created and ended, which the test's invariants are checked against at the end.

#include "rate_limiter.hpp"
#include "soak_chaos.hpp"
#include "soak_outcomes.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace b3s::test::soak {

struct Tenant {
    std::string key;
    std::string secret;
};

struct ClientOptions {
    int index = 0;  ///< names the client's meetings: <tenant key>-c<index>-<n>
    Tenant tenant;
    std::array<int, 2> ports{};  ///< the two b3scaled instances
    std::string receiver;        ///< callback receiver origin, http://127.0.0.1:PORT
    std::uint64_t seed = 1;
    std::size_t max_live = 20;  ///< beyond this many running meetings it ends instead of creating
};

class SoakClient {
public:
    SoakClient(ClientOptions options, RateLimiter& rate, OutcomeTally& tally, const ChaosState& chaos);

    /// Sends requests until `stop` is set. Run on a thread of its own.
    void run(const std::atomic<bool>& stop);

    /// A meeting the client created (SUCCESS) and did not end.
    struct Meeting {
        std::string id;
        bool end_unknown = false;  ///< an end failed without saying: it may have ended anyway
    };
    const std::vector<Meeting>& running() const { return running_; }
    /// Meetings whose end the backend acknowledged (SUCCESS).
    const std::vector<std::string>& ended() const { return ended_; }
    /// Meetings whose end found them gone (notFound): ended by their backend's restart.
    std::size_t endedGone() const { return ended_gone_; }
    /// Creates that never got a SUCCESS after retries: they may or may not exist somewhere.
    std::size_t createsAbandoned() const { return abandoned_.size() + pending_.size(); }
    std::size_t created() const { return created_; }
    const Tenant& tenant() const { return options_.tenant; }

private:
    struct Pending {
        std::string id;
        int attempts = 0;
    };
    HttpResult send(const std::string& call, const std::string& query, int& instance, bool& postgres_down);
    void record(const std::string& call, bool browser, const HttpResult& r, int instance, bool postgres_down,
                const std::string& what, Outcome* out = nullptr, std::string_view broken = {});
    std::size_t pickRunning();
    void createNew();
    void create(std::string id, int attempts);
    void join(bool browser);
    void end();
    void getMeetings();
    void ask(const std::string& call);

    ClientOptions options_;
    RateLimiter& rate_;
    OutcomeTally& tally_;
    const ChaosState& chaos_;
    std::mt19937_64 rng_;
    std::uint64_t turn_ = 0;
    std::string phase_;  ///< the chaos phase when the last request was sent
    int next_meeting_ = 0;
    std::size_t created_ = 0;
    std::vector<Meeting> running_;
    std::vector<std::string> ended_;
    std::size_t ended_gone_ = 0;
    std::vector<Pending> pending_;
    std::vector<std::string> abandoned_;
};

}  // namespace b3s::test::soak
