#include "store/connection_pool.hpp"

#include "store/store_error.hpp"

#include <Poco/Exception.h>

#include <fmt/format.h>

namespace b3s::core::store {

struct ConnectionPool::Entry {
    Poco::Data::Session session;
    std::uint64_t generation;
};

ConnectionPool::Lease::Lease(ConnectionPool* pool, std::unique_ptr<Entry> entry, bool reused) noexcept
    : pool_(pool), entry_(std::move(entry)), reused_(reused) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), entry_(std::move(other.entry_)), reused_(other.reused_) {}

ConnectionPool::Lease::~Lease() {
    if (entry_) pool_->giveBack(std::move(entry_));
}

Poco::Data::Session& ConnectionPool::Lease::session() {
    return entry_->session;
}

void ConnectionPool::Lease::discard() noexcept {
    if (entry_) pool_->forget(std::move(entry_));
}

ConnectionPool::ConnectionPool(Opener opener, int max_size, std::chrono::milliseconds acquire_timeout)
    : opener_(std::move(opener)), max_size_(max_size < 1 ? 1 : max_size), acquire_timeout_(acquire_timeout) {}

ConnectionPool::~ConnectionPool() = default;

void ConnectionPool::dropStaleIdleLocked(std::vector<std::unique_ptr<Entry>>& out) {
    for (auto it = idle_.begin(); it != idle_.end();) {
        if ((*it)->generation < generation_) {
            out.push_back(std::move(*it));
            it = idle_.erase(it);
            --open_;
        } else {
            ++it;
        }
    }
}

ConnectionPool::Lease ConnectionPool::acquire(bool fresh) {
    // Sessions are closed after the mutex is released: closing talks to the server.
    std::vector<std::unique_ptr<Entry>> to_close;
    std::unique_lock lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + acquire_timeout_;
    for (;;) {
        dropStaleIdleLocked(to_close);
        if (!to_close.empty()) freed_.notify_all();
        if (!fresh && !idle_.empty()) {
            auto entry = std::move(idle_.back());
            idle_.pop_back();
            lock.unlock();
            return Lease(this, std::move(entry), true);
        }
        if (fresh && open_ >= max_size_ && !idle_.empty()) {
            to_close.push_back(std::move(idle_.front()));
            idle_.erase(idle_.begin());
            --open_;
        }
        if (open_ < max_size_) {
            ++open_;  // reserve the slot while opening without the lock
            const auto generation = generation_;
            lock.unlock();
            to_close.clear();
            try {
                auto entry = std::make_unique<Entry>(Entry{opener_(), generation});
                return Lease(this, std::move(entry), false);
            } catch (...) {
                // Give the reserved slot back, then let the caller classify the failure.
                std::lock_guard relock(mutex_);
                --open_;
                freed_.notify_one();
                throw;
            }
        }
        if (freed_.wait_until(lock, deadline) == std::cv_status::timeout) {
            dropStaleIdleLocked(to_close);
            if (idle_.empty() && open_ >= max_size_) {
                throw StoreError(StoreError::Kind::Unavailable,
                                 fmt::format("no free database connection within {} ms (pool size {})",
                                             acquire_timeout_.count(), max_size_));
            }
        }
    }
}

void ConnectionPool::giveBack(std::unique_ptr<Entry> entry) noexcept {
    bool good = false;
    try {
        good = entry->session.isGood();
    } catch (const Poco::Exception&) {
        good = false;  // a session that cannot even say is not reused
    }
    std::unique_lock lock(mutex_);
    if (good && entry->generation >= generation_) {
        idle_.push_back(std::move(entry));
        lock.unlock();
        freed_.notify_one();
        return;
    }
    --open_;
    lock.unlock();
    freed_.notify_one();
    entry.reset();
}

void ConnectionPool::forget(std::unique_ptr<Entry> entry) noexcept {
    {
        std::lock_guard lock(mutex_);
        --open_;
    }
    freed_.notify_one();
    entry.reset();
}

void ConnectionPool::connectionLost(Lease& lease) {
    std::vector<std::unique_ptr<Entry>> to_close;
    if (lease.entry_) {
        std::lock_guard lock(mutex_);
        // Only the first failure of a generation starts a new one; older sessions failing
        // later must not condemn the sessions opened since.
        if (lease.entry_->generation == generation_) ++generation_;
        dropStaleIdleLocked(to_close);
    }
    lease.discard();
    freed_.notify_all();
}

ConnectionPool::Stats ConnectionPool::stats() const {
    std::lock_guard lock(mutex_);
    return Stats{open_, static_cast<int>(idle_.size())};
}

}  // namespace b3s::core::store
