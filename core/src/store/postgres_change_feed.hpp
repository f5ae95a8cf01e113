#pragma once
// The ChangeFeed of a PostgreSQL store: LISTEN b3s_changes (the channel the triggers of
// schema migration 2 notify) on a connection of its own, outside the pool, driven by libpq
// directly (Poco::Data cannot receive notifications).
//
// One thread per feed:
//  - connects without blocking (PQconnectStart/PQconnectPoll), LISTENs, then delivers one
//    ResyncAll: a change committed after LISTEN is notified, one committed before it is in
//    what the resync reads, so nothing falls between the two;
//  - waits on the socket with poll() in short slices, so stop() is prompt;
//  - sends a heartbeat query after `heartbeat_interval` without traffic and declares the
//    connection lost when it is not answered within `heartbeat_timeout` (a server that
//    vanished without closing the socket would otherwise go unnoticed);
//  - on any failure closes the connection and reconnects after a backoff that doubles from
//    `backoff_initial` to `backoff_max` and starts over after a successful LISTEN;
//  - coalesces each batch of notifications read together (one delivery per row), and turns
//    a batch larger than `max_batch` into one ResyncAll (a cascade deleting thousands of
//    meetings is cheaper to reload than to follow row by row).
// Nothing it logs contains the password.

#include "store/change_feed.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

namespace b3s::core::store {

class PostgresChangeFeed final : public ChangeFeed {
public:
    /// The channel the triggers notify.
    static constexpr const char* kChannel = "b3s_changes";

    struct Timing {
        std::chrono::milliseconds poll_slice{100};
        std::chrono::milliseconds connect_timeout{5000};
        std::chrono::milliseconds backoff_initial{100};
        std::chrono::milliseconds backoff_max{5000};
        std::chrono::milliseconds heartbeat_interval{10000};
        std::chrono::milliseconds heartbeat_timeout{5000};
        std::size_t max_batch = 512;
    };

    /// `conninfo`: anything PQconnectdb accepts (the store's connection string).
    /// `description`: the database for logs, password masked. `password`: scrubbed from
    /// every error text. Nothing connects before start().
    PostgresChangeFeed(std::string conninfo, std::string description, std::string password, Timing timing);
    ~PostgresChangeFeed() override;
    PostgresChangeFeed(const PostgresChangeFeed&) = delete;
    PostgresChangeFeed& operator=(const PostgresChangeFeed&) = delete;

    void start(Handler handler) override;
    void stop() override;

    /// Whether the feed is LISTENing right now (for health reports and tests).
    bool listening() const noexcept { return listening_.load(); }

private:
    struct SessionEnd {
        bool listened = false;  ///< got as far as LISTEN (resets the backoff)
        std::string error;      ///< why it ended; empty when stopped
    };

    void run();
    /// One connection, from connect to loss or stop.
    SessionEnd session();
    void deliver(const Change& change);
    /// Sleeps `pause` unless stop() comes first; returns false when stopping.
    bool pauseUnlessStopped(std::chrono::milliseconds pause);

    const std::string conninfo_;
    const std::string description_;
    const std::string password_;
    const Timing timing_;

    Handler handler_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> listening_{false};
    std::mutex wake_mutex_;
    std::condition_variable wake_;
};

}  // namespace b3s::core::store
