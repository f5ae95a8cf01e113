#pragma once
// The soak's chaos: a fixed schedule, scaled to the run's length, that breaks the backends
// and PostgreSQL the ways production does — a BBB server unreachable and back, one that
// accepts and never answers, one restarted with its meetings forgotten, PostgreSQL stopped
// and started again on the same port and data directory — one thing at a time, and what is
// broken right now (the phase), for the outcome tally.

#include "fake_bbb/fake_bbb_server.hpp"
#include "pg_test_database.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace b3s::test::soak {

/// Thread-safe: the chaos thread writes, the client threads read.
class ChaosState {
public:
    /// "calm", the event in progress ("kill backend-0"), or "after <event>" for a while after it.
    std::string phase() const;
    /// PostgreSQL is stopped, or was started again less than a few seconds ago.
    bool postgresDown() const;
    /// Encoded ids of the meetings a backend restart forgot (BBB ended them).
    std::set<std::string> forgotten() const;
    bool wasForgotten(const std::string& encoded_id) const;

    void begin(std::string event, bool postgres_down = false);
    void end();
    void forgot(const std::vector<std::string>& encoded_ids);

private:
    mutable std::mutex mutex_;
    std::string event_;
    std::string last_event_;
    std::chrono::steady_clock::time_point ended_at_{};
    bool postgres_down_ = false;
    std::chrono::steady_clock::time_point postgres_back_at_{};
    std::set<std::string> forgotten_;
};

class ChaosSchedule {
public:
    /// The schedule for a run of `duration`: every event done by 85 % of it. `backends` must
    /// hold at least four servers; every reference must outlive the schedule.
    ChaosSchedule(std::vector<bbb::FakeBbbServer*> backends, PgCluster& postgres, ChaosState& state,
                  std::chrono::seconds duration);

    /// Runs the events at their times from `start` (late ones at once, one after another);
    /// returns early, with everything brought back, when `stop` is set.
    void run(std::chrono::steady_clock::time_point start, const std::atomic<bool>& stop);
    /// One line per event: when it ran and what it did.
    std::vector<std::string> log() const;
    std::size_t eventCount() const { return events_.size(); }

private:
    struct Event {
        std::chrono::milliseconds at;
        std::string name;
        std::function<void(const std::atomic<bool>&)> run;
    };
    void add(double at_fraction, std::string name, std::function<void(const std::atomic<bool>&)> run);

    std::vector<bbb::FakeBbbServer*> backends_;
    PgCluster& postgres_;
    ChaosState& state_;
    std::chrono::milliseconds duration_;
    std::vector<Event> events_;
    mutable std::mutex log_mutex_;
    std::vector<std::string> log_;
};

}  // namespace b3s::test::soak
