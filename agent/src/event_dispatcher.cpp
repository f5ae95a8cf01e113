#include "event_dispatcher.hpp"

#include "agent_log.hpp"
#include "log_throttle.hpp"

namespace b3s::agent {
namespace {

// A journal longer than this means the seed is not coming; the counts stay unknown until the
// next one (and the memory stays bounded).
constexpr std::size_t kMaxJournal = 100'000;

}  // namespace

EventDispatcher::EventDispatcher(SerialLanes<RelayCall>& lanes, std::size_t inbox_capacity, SeedRequest on_seed_needed)
    : lanes_(lanes), inbox_(inbox_capacity), on_seed_needed_(std::move(on_seed_needed)) {}

EventDispatcher::~EventDispatcher() {
    stop();
}

void EventDispatcher::start() {
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void EventDispatcher::stop() {
    if (!thread_.joinable()) return;
    thread_.request_stop();
    thread_.join();
}

bool EventDispatcher::offer(std::string message) {
    ++received_;
    if (inbox_.tryPush(std::move(message))) return true;
    ++dropped_;
    ++drops_;
    {
        std::lock_guard lock(counts_mutex_);
        counts_.reset();
    }
    thread_local LogThrottle drop_log(std::chrono::seconds(5));
    if (const auto suppressed = drop_log.allow())
        redisLog().warn("event_dropped", {{"reason", "the relay queue is full (b3scaled slow or away)"},
                                          {"queued", std::to_string(inbox_.size())},
                                          {"dropped", std::to_string(dropped_.load())},
                                          {"suppressed", std::to_string(*suppressed)}});
    // Once per episode: the marker itself waits in the (full) inbox, behind the backlog.
    if (!reseed_asked_.exchange(true)) inbox_.pushControl(SeedMarker{});
    return false;
}

void EventDispatcher::requestSeed() {
    {
        std::lock_guard lock(counts_mutex_);
        counts_.reset();
    }
    inbox_.pushControl(SeedMarker{});
}

void EventDispatcher::forgetCounts() {
    {
        std::lock_guard lock(counts_mutex_);
        counts_.reset();
    }
    inbox_.pushControl(Forget{});
}

void EventDispatcher::deliverSeed(std::uint64_t generation, MeetingSnapshot snapshot) {
    inbox_.pushControl(Seed{generation, std::move(snapshot)});
}

std::optional<MeetingCounts> EventDispatcher::counts() const {
    std::lock_guard lock(counts_mutex_);
    return counts_;
}

EventDispatcher::Stats EventDispatcher::stats() const {
    return {received_.load(), dropped_.load(), relayed_.load(), malformed_.load()};
}

void EventDispatcher::publishCounts() {
    // A drop since the last seed's marker: the table misses events; the next seed repairs it.
    const bool known = seeded_ && drops_.load() == drops_at_marker_;
    std::lock_guard lock(counts_mutex_);
    if (known)
        counts_ = table_.counts();
    else
        counts_.reset();
}

void EventDispatcher::run(const std::stop_token& stop) {
    while (auto item = inbox_.pop(stop)) {
        if (auto* message = std::get_if<std::string>(&*item)) {
            handle(*message, stop);
        } else if (std::holds_alternative<SeedMarker>(*item)) {
            reseed_asked_ = false;
            drops_at_marker_ = drops_.load();
            seeded_ = false;
            journaling_ = true;
            journal_.clear();
            wanted_generation_ = ++generation_;
            publishCounts();
            on_seed_needed_(generation_);
        } else if (std::holds_alternative<Forget>(*item)) {
            seeded_ = false;
            journaling_ = false;
            journal_.clear();
            ++generation_;  // a seed on its way belongs to the lost subscription
            wanted_generation_ = 0;
            std::lock_guard lock(counts_mutex_);
            counts_.reset();
        } else if (auto* seed = std::get_if<Seed>(&*item)) {
            if (seed->generation != generation_ || !journaling_) continue;  // superseded
            table_.replace(std::move(seed->snapshot));
            for (const auto& event : journal_) table_.apply(event);
            const auto replayed = journal_.size();
            journal_.clear();
            journaling_ = false;
            wanted_generation_ = 0;
            seeded_ = true;
            publishCounts();
            const auto c = table_.counts();
            seedLog().info("meetings_seeded", {{"meetings", std::to_string(c.meetings)},
                                               {"attendees", std::to_string(c.attendees)},
                                               {"events_replayed", std::to_string(replayed)}});
        }
    }
}

void EventDispatcher::handle(std::string& message, const std::stop_token& stop) {
    auto decoded = decodeBbbMessage(message);
    if (decoded.outcome == DecodedMessage::Outcome::Ignored) return;
    if (decoded.outcome == DecodedMessage::Outcome::Malformed) {
        ++malformed_;
        static LogThrottle malformed_log(std::chrono::seconds(10));
        if (const auto suppressed = malformed_log.allow())
            redisLog().warn("event_undecodable", {{"event", decoded.name.empty() ? "?" : decoded.name},
                                                  {"error", decoded.error},
                                                  {"suppressed", std::to_string(*suppressed)}});
        return;
    }
    const auto& event = *decoded.event;
    table_.apply(event);
    if (journaling_) {
        if (journal_.size() < kMaxJournal) {
            journal_.push_back(event);
        } else {
            journaling_ = false;  // this seed is void; the counts wait for the next
            journal_.clear();
            wanted_generation_ = 0;
            ++generation_;
        }
    }
    publishCounts();
    relayLog().log(core::log::LogLevel::Trace, "event_received",
                   {{"event", eventName(event)}, {"internal_meeting_id", internalMeetingId(event)}});
    if (lanes_.push(internalMeetingId(event), relayCallFor(event), stop)) ++relayed_;
}

}  // namespace b3s::agent
