#pragma once
// A bounded pool of Poco::Data sessions. Not Poco's SessionPool: that one throws at once
// when exhausted and hands out dead idle sessions after a database restart.
//
// - At most `max_size` sessions exist; acquire() waits up to `acquire_timeout` for one,
//   then throws StoreError(Unavailable).
// - Sessions are stamped with the generation current when they were opened. When one
//   turns out dead (connectionLost()), the generation moves on and every session of an
//   older generation, idle or in use, is dropped instead of being reused: after a server
//   restart they are all dead, and finding that out one failed request at a time is what
//   this avoids.
// Thread-safety: every member may be called concurrently. A Lease is used by one thread,
// and must not leave a transaction open when it goes back (the caller rolls back first or
// discards the session).

#include <Poco/Data/Session.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace b3s::core::store {

class ConnectionPool {
    struct Entry;

public:
    /// Opens and prepares a new session; throws Poco::Exception when it cannot.
    using Opener = std::function<Poco::Data::Session()>;

    struct Stats {
        int open = 0;  ///< sessions that exist (idle + in use), including ones being opened
        int idle = 0;
    };

    /// A session on loan. Returned to the pool on destruction unless discarded.
    class Lease {
    public:
        Lease(Lease&& other) noexcept;
        Lease& operator=(Lease&&) = delete;
        ~Lease();

        Poco::Data::Session& session();
        /// Whether the session came from the idle list (it may have died while idle).
        bool reused() const noexcept { return reused_; }
        /// Closes the session instead of returning it.
        void discard() noexcept;

    private:
        friend class ConnectionPool;
        Lease(ConnectionPool* pool, std::unique_ptr<Entry> entry, bool reused) noexcept;
        ConnectionPool* pool_;
        std::unique_ptr<Entry> entry_;
        bool reused_;
    };

    ConnectionPool(Opener opener, int max_size, std::chrono::milliseconds acquire_timeout);
    ~ConnectionPool();
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    /// A session, reusing an idle one unless `fresh` is set. Throws StoreError(Unavailable)
    /// after the acquire timeout, or lets the opener's Poco::Exception through.
    Lease acquire(bool fresh = false);
    /// The lease's session is dead: drop it and every session opened before it was noticed.
    void connectionLost(Lease& lease);
    Stats stats() const;

private:
    void giveBack(std::unique_ptr<Entry> entry) noexcept;
    void forget(std::unique_ptr<Entry> entry) noexcept;
    void dropStaleIdleLocked(std::vector<std::unique_ptr<Entry>>& out);

    Opener opener_;
    const int max_size_;
    const std::chrono::milliseconds acquire_timeout_;

    mutable std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<Entry>> idle_;  // back = most recently returned
    int open_ = 0;
    std::uint64_t generation_ = 0;
};

}  // namespace b3s::core::store
