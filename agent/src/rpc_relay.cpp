#include "rpc_relay.hpp"

#include "agent_log.hpp"
#include "interruptible_wait.hpp"
#include "log_throttle.hpp"

namespace b3s::agent {
namespace {

bool transient(int status) {
    return status >= 500 || status == 429 || status == 0;
}

// b3scaled's answer after waiting 15 s for a meeting it does not have (agent_resource.cpp).
constexpr const char* kMeetingNotFound = "meeting not found within deadline";

}  // namespace

RpcRelay::RpcRelay(std::size_t lanes, const ApiFactory& make_api, BackoffPolicy retry) {
    std::random_device seed;
    for (std::size_t i = 0; i < lanes; ++i) lanes_.push_back({make_api(), Backoff(retry, seed()), {}});
}

void RpcRelay::interrupt() {
    for (auto& lane : lanes_) lane.api->interrupt();
}

RpcRelay::Stats RpcRelay::stats() const {
    return {relayed_.load(), refused_.load(), retries_.load(), skipped_.load()};
}

bool RpcRelay::paused(Lane& lane, const RelayCall& call) {
    if (call.method != "POST" || lane.unknown_until.empty()) return false;
    const auto now = std::chrono::steady_clock::now();
    const auto it = lane.unknown_until.find(call.internal_meeting_id);
    if (it == lane.unknown_until.end()) return false;
    if (now < it->second) return true;
    lane.unknown_until.erase(it);
    return false;
}

void RpcRelay::relay(std::size_t index, const RelayCall& call, const std::stop_token& stop) {
    auto& lane = lanes_.at(index);
    thread_local LogThrottle retry_log;
    if (paused(lane, call)) {
        ++skipped_;
        relayLog().debug("event_skipped", {{"event", call.event},
                                           {"internal_meeting_id", call.internal_meeting_id},
                                           {"reason", "b3scaled does not know the meeting"}});
        return;
    }
    lane.backoff.reset();
    while (!stop.stop_requested()) {
        std::string failure;
        try {
            const auto reply = lane.api->send(call.method, call.path, call.body);
            if (!transient(reply.status)) {
                retry_log.reset();
                const bool rpc = call.method == "POST";
                const auto answer = rpc && reply.status == 200 ? jsonObject(reply.body) : nullptr;
                const bool ok = rpc ? answer && answer->has("status") && answer->get("status").toString() == "ok"
                                    : reply.status == 200;
                if (ok) {
                    ++relayed_;
                    relayLog().debug("event_relayed", {{"event", call.event},
                                                       {"action", call.action},
                                                       {"internal_meeting_id", call.internal_meeting_id},
                                                       {"lane", std::to_string(index)}});
                } else if (!rpc && reply.status == 404) {
                    ++relayed_;  // already gone: what the event asked for
                    relayLog().debug("meeting_already_gone", {{"internal_meeting_id", call.internal_meeting_id}});
                } else {
                    ++refused_;
                    const std::string reason =
                        answer && answer->has("result") ? answer->get("result").toString() : errorText(reply);
                    relayLog().warn("event_refused", {{"event", call.event},
                                                      {"action", call.action},
                                                      {"internal_meeting_id", call.internal_meeting_id},
                                                      {"status", std::to_string(reply.status)},
                                                      {"reason", reason}});
                    if (reason == kMeetingNotFound) {
                        const auto now = std::chrono::steady_clock::now();
                        // Bounded: expired pauses go when the map grows.
                        if (lane.unknown_until.size() >= 1000)
                            std::erase_if(lane.unknown_until, [&](const auto& e) { return e.second <= now; });
                        lane.unknown_until[call.internal_meeting_id] = now + kUnknownMeetingPause;
                        relayLog().info(
                            "meeting_unknown_to_b3scaled",
                            {{"internal_meeting_id", call.internal_meeting_id},
                             {"pause_s", std::to_string(std::chrono::seconds(kUnknownMeetingPause).count())},
                             {"hint",
                              "a meeting not created through b3scale: its events are not relayed "
                              "for a while"}});
                    }
                }
                return;
            }
            failure = "HTTP " + std::to_string(reply.status) + " " + errorText(reply);
        } catch (const HttpUnreachable& e) {
            failure = e.what();
        }
        if (stop.stop_requested()) return;
        ++retries_;
        const auto delay = lane.backoff.next();
        if (const auto suppressed = retry_log.allow())
            relayLog().warn("relay_retrying", {{"event", call.event},
                                               {"internal_meeting_id", call.internal_meeting_id},
                                               {"lane", std::to_string(index)},
                                               {"error", failure},
                                               {"retry_in_ms", std::to_string(delay.count())},
                                               {"suppressed", std::to_string(*suppressed)}});
        waitFor(stop, delay);
    }
}

}  // namespace b3s::agent
