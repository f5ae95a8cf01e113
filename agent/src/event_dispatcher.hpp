#pragma once
// Between the redis reader and the relay lanes. The reader hands over raw messages
// (offer(): never blocks; a full inbox drops the message, logs it and asks for a new seed);
// the dispatcher's thread decodes them, keeps the meeting table and queues each event's
// RelayCall on the lane of its meeting (waiting while that lane is full, so the inbox absorbs
// a burst).
//
// Seeding: after every (re)subscription and after a drop the counts are unknown until BBB's
// getMeetings has been read. requestSeed() queues a marker behind the messages already
// received; when the dispatcher reaches it, it starts a journal of the events that follow and
// asks the seeder (on_seed_needed) for a snapshot, which is necessarily taken after the
// marker. deliverSeed() queues the snapshot; when the dispatcher reaches it, the table becomes
// the snapshot with the journal replayed on top (set operations: an event the snapshot
// already shows changes nothing), and the counts are known again. Until then counts() is
// nullopt, and the heartbeat leaves them out.

#include "bbb_event.hpp"
#include "bounded_queue.hpp"
#include "meeting_table.hpp"
#include "relay_call.hpp"
#include "serial_lanes.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

namespace b3s::agent {

class EventDispatcher {
public:
    using SeedRequest = std::function<void(std::uint64_t generation)>;

    /// `lanes` must outlive the dispatcher. `on_seed_needed` is called on the dispatcher's
    /// thread and must not block.
    EventDispatcher(SerialLanes<RelayCall>& lanes, std::size_t inbox_capacity, SeedRequest on_seed_needed);
    ~EventDispatcher();

    void start();
    void stop();

    /// A raw message from redis; false when it was dropped (inbox full). Never blocks.
    bool offer(std::string message);
    /// The counts are unknown from now on until a seed arrives (after a (re)subscription).
    void requestSeed();
    /// The counts are unknown, and no seed is asked for (redis lost).
    void forgetCounts();
    /// The snapshot for `generation` (from requestSeed's on_seed_needed).
    void deliverSeed(std::uint64_t generation, MeetingSnapshot snapshot);

    /// The counts when seeded, else nullopt. Any thread.
    std::optional<MeetingCounts> counts() const;
    /// The seed generation the dispatcher is waiting for (0: none). Any thread.
    std::uint64_t wantedGeneration() const noexcept { return wanted_generation_.load(); }

    struct Stats {
        std::uint64_t received = 0;   ///< offered
        std::uint64_t dropped = 0;    ///< inbox full
        std::uint64_t relayed = 0;    ///< queued on a lane
        std::uint64_t malformed = 0;  ///< undecodable, skipped
    };
    Stats stats() const;

private:
    struct SeedMarker {};
    struct Forget {};
    struct Seed {
        std::uint64_t generation;
        MeetingSnapshot snapshot;
    };
    using Item = std::variant<std::string, SeedMarker, Forget, Seed>;

    void run(const std::stop_token& stop);
    void handle(std::string& message, const std::stop_token& stop);
    void publishCounts();

    SerialLanes<RelayCall>& lanes_;
    BoundedQueue<Item> inbox_;
    SeedRequest on_seed_needed_;

    // Dispatcher thread only.
    MeetingTable table_;
    bool seeded_ = false;
    bool journaling_ = false;
    std::uint64_t drops_at_marker_ = 0;
    std::vector<BbbEvent> journal_;
    std::uint64_t generation_ = 0;

    std::atomic<std::uint64_t> wanted_generation_{0};
    std::atomic<bool> reseed_asked_{false};  ///< a drop asked for a seed not yet started
    std::atomic<std::uint64_t> drops_{0};    ///< drop episodes: a seed asked before one is void
    mutable std::mutex counts_mutex_;
    std::optional<MeetingCounts> counts_;

    std::atomic<std::uint64_t> received_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::atomic<std::uint64_t> relayed_{0};
    std::atomic<std::uint64_t> malformed_{0};

    std::jthread thread_;  ///< last
};

}  // namespace b3s::agent
