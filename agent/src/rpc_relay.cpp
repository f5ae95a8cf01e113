#include "rpc_relay.hpp"

#include "agent_log.hpp"
#include "interruptible_wait.hpp"
#include "log_throttle.hpp"

namespace b3s::agent {
namespace {

bool transient(int status) {
    return status >= 500 || status == 429 || status == 0;
}

}  // namespace

RpcRelay::RpcRelay(std::size_t lanes, const ApiFactory& make_api, BackoffPolicy retry) {
    std::random_device seed;
    for (std::size_t i = 0; i < lanes; ++i) lanes_.push_back({make_api(), Backoff(retry, seed())});
}

void RpcRelay::interrupt() {
    for (auto& lane : lanes_) lane.api->interrupt();
}

RpcRelay::Stats RpcRelay::stats() const {
    return {relayed_.load(), refused_.load(), retries_.load()};
}

void RpcRelay::relay(std::size_t index, const RelayCall& call, const std::stop_token& stop) {
    auto& lane = lanes_.at(index);
    thread_local LogThrottle retry_log;
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
