#include "gateway/join_failover.hpp"

#include "bbb/xml_tree.hpp"
#include "cluster/placement_candidates.hpp"
#include "gateway/create_call.hpp"
#include "gateway/gateway_context.hpp"
#include "log/logger.hpp"

namespace b3s::core::gateway {
namespace {

log::Logger& failoverLog() {
    static log::Logger l("b3s.core.gateway");
    return l;
}

}  // namespace

bool JoinFailover::suspect(const store::Backend& backend) const {
    return backend.node_state != store::node_state::kReady || trouble_.failedSinceLastAnswer(backend.id);
}

JoinFailover::Outcome JoinFailover::resolve(const GatewayContext& context, const BbbCall& join,
                                            const std::string& encoded) {
    const std::string key = join.frontend->frontend.id + '\n' + encoded;
    std::shared_ptr<Flight> flight;
    bool leader = false;
    {
        std::lock_guard lock(mutex_);
        auto& slot = flights_[key];
        if (!slot) {
            slot = std::make_shared<Flight>();
            leader = true;
        }
        flight = slot;
    }
    // Another join of this meeting is checking or re-creating it: its outcome is ours.
    if (!leader) return wait(*flight);
    // Published on every way out, so no follower waits for ever.
    struct Publish {
        JoinFailover& self;
        const std::string& key;
        Flight& flight;
        Outcome outcome = Outcome::Unavailable;
        ~Publish() {
            {
                std::lock_guard lock(self.mutex_);
                self.flights_.erase(key);
            }
            std::lock_guard lock(flight.mutex);
            flight.outcome = outcome;
            flight.done = true;
            flight.done_cv.notify_all();
        }
    } publish{*this, key, *flight};
    publish.outcome = run(context, join, encoded);
    return publish.outcome;
}

std::optional<JoinFailover::Outcome> JoinFailover::awaitRecreation(const std::string& frontend_id,
                                                                   const std::string& encoded) {
    std::shared_ptr<Flight> flight;
    {
        std::lock_guard lock(mutex_);
        const auto it = flights_.find(frontend_id + '\n' + encoded);
        if (it == flights_.end()) return std::nullopt;
        flight = it->second;
    }
    return wait(*flight);
}

JoinFailover::Outcome JoinFailover::wait(Flight& flight) {
    std::unique_lock lock(flight.mutex);
    flight.done_cv.wait(lock, [&] { return flight.done; });
    return flight.outcome;
}

JoinFailover::Outcome JoinFailover::run(const GatewayContext& context, const BbbCall& join,
                                        const std::string& encoded) {
    const auto& frontend = join.frontend->frontend;
    const std::string meeting_id(join.params.get("meetingID").value_or(""));
    // Read again: an earlier flight may have settled it since this join looked.
    const auto snapshot = context.cluster.snapshot();
    auto meeting = snapshot->meeting(frontend.id, encoded);
    if (!meeting || !meeting->internal_id) return Outcome::Usable;  // gone or being created: the join says so
    const auto backend = meeting->backend_id ? snapshot->backend(*meeting->backend_id) : nullptr;
    std::vector<std::string> avoid;
    if (!cluster::isLost(*meeting, backend.get())) {
        if (!suspect(*backend)) return Outcome::Usable;
        const auto label = metrics::backendLabel(backend->host);
        const auto ticket = trouble_.ticket();
        bbb::ParamList params;
        params.set("meetingID", encoded);
        const auto check = checks_.call(*backend, {"isMeetingRunning", std::move(params), {}});
        if (check.answered()) {
            trouble_.answered(backend->id, ticket);
            context.metrics.join_checks.inc({label, "answered"});
            failoverLog().debug(
                "join_backend_check_answered",
                {{"frontend", frontend.key}, {"backend", backend->host}, {"state", backend->node_state}});
            return Outcome::Usable;
        }
        context.metrics.join_checks.inc({label, "failed"});
        failoverLog().warn("join_backend_check_failed", {{"frontend", frontend.key},
                                                         {"meeting", meeting_id},
                                                         {"backend", backend->host},
                                                         {"error", check.error},
                                                         {"next", "re-create the meeting elsewhere"}});
        // Dead for this meeting: lost, for every instance, before anyone moves it.
        try {
            auto lost = context.store.markMeetingLost(frontend.id, encoded, backend->id, context.clock.nowMicros());
            if (!lost) lost = context.store.findMeeting(frontend.id, encoded);  // changed meanwhile
            if (!lost) return Outcome::Usable;                                  // ended: the join says so
            context.cluster.put(*lost);
            meeting = std::make_shared<const store::Meeting>(std::move(*lost));
        } catch (const store::StoreError& e) {
            failoverLog().error("join_mark_lost_failed",
                                {{"frontend", frontend.key}, {"meeting", meeting_id}, {"error", e.what()}});
            return Outcome::Unavailable;
        }
        if (!meeting->lost_at && meeting->backend_id != backend->id) return Outcome::Recreated;  // moved by another
        avoid.push_back(backend->id);
    }
    return recreate(context, join, *meeting, std::move(avoid)) ? Outcome::Recreated : Outcome::Unavailable;
}

bool JoinFailover::recreate(const GatewayContext& context, const BbbCall& join, const store::Meeting& lost,
                            std::vector<std::string> avoid) const {
    BbbCall create;
    create.frontend = join.frontend;
    create.name = "create";
    create.method = "GET";
    create.params = paramsFromJson(lost.create_params_json);
    create.params.set("meetingID", join.params.get("meetingID").value_or(""));
    create.remote_address = join.remote_address;
    create.target = join.target;
    const auto answer = CreateCall(context)(create, std::move(avoid));
    const auto xml = bbb::parseXml(answer.body);
    const bool created = xml && xml->childText("returncode").value_or("") == "SUCCESS";
    failoverLog().log(created ? log::LogLevel::Info : log::LogLevel::Warn, "join_recreated_meeting",
                      {{"frontend", join.frontend->frontend.key},
                       {"meeting", std::string(join.params.get("meetingID").value_or(""))},
                       {"outcome", created ? "created"
                                   : xml   ? xml->childText("messageKey").value_or("FAILED")
                                           : "FAILED"}});
    return created;
}

}  // namespace b3s::core::gateway
