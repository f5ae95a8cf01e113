#include "cluster/meeting_placer.hpp"

#include "cluster/placement_candidates.hpp"
#include "log/logger.hpp"

#include <algorithm>

namespace b3s::core::cluster {
namespace {

log::Logger& placerLog() {
    static log::Logger l("b3s.core.cluster");
    return l;
}

// A provisional charge lasts until the snapshot shows the placement, or this long: the
// store write and the change feed take milliseconds, a failed create is forgotten at once.
constexpr std::int64_t kProvisionalLifetimeUs = 30 * 1'000'000;

// Core's own gate on the balancer's pick, whatever rules the plugin follows: the backend takes
// new meetings and carries every required tag (an empty one matches any, as in b3scale).
bool admissible(const b3s::plugin::BackendCandidate& chosen, const std::vector<std::string>& required_tags) {
    if (!chosen.enabled || !chosen.healthy) return false;
    return std::all_of(required_tags.begin(), required_tags.end(), [&](const std::string& tag) {
        return tag.empty() || std::find(chosen.tags.begin(), chosen.tags.end(), tag) != chosen.tags.end();
    });
}

}  // namespace

MeetingPlacer::MeetingPlacer(ClusterState& cluster, store::Store& store, b3s::plugin::BalancerStrategy& balancer,
                             const Attendance& attendance, const Clock& clock)
    : cluster_(cluster), store_(store), balancer_(balancer), attendance_(attendance), clock_(clock) {}

void MeetingPlacer::chargeLocked(const Provisional& p) {
    const auto i = candidates_.find(p.backend_id);
    if (!i) return;
    auto& c = candidates_.candidates()[*i];
    ++c.meetings;
    c.recent_placements.push_back({p.at_us, p.size_hint});
    candidates_.markChanged(*i);  // the next refresh starts it again from the snapshot
}

std::shared_ptr<const ClusterSnapshot> MeetingPlacer::rebuildLocked(std::shared_ptr<const ClusterSnapshot> snapshot,
                                                                    bool attendance_changed, std::int64_t now_us) {
    attendance_version_ = attendance_.version();  // read first: a later join triggers the next rebuild
    generation_ = snapshot->generation();
    // Keep charging the decisions the snapshot does not show yet.
    std::erase_if(provisional_, [&](const Provisional& p) {
        return now_us - p.at_us > kProvisionalLifetimeUs || snapshot->meeting(p.frontend_id, p.meeting_id) != nullptr;
    });
    auto retired = candidates_.refresh(std::move(snapshot), attendance_, attendance_changed, now_us);
    for (const auto& p : provisional_) chargeLocked(p);
    return retired;
}

std::optional<std::string> MeetingPlacer::decide(const Request& request, std::string& reason) {
    b3s::plugin::PlacementRequest r;
    r.frontend_key = request.frontend_key;
    r.meeting_id = request.meeting_id;
    r.required_tags = request.required_tags;
    r.server_tags = request.server_tags;
    r.server_tags_required = request.server_tags_required;
    r.size_hint = request.size_hint;

    std::shared_ptr<const ClusterSnapshot> retired;  // declared first: let go after the lock
    std::lock_guard lock(mutex_);
    r.now_us = clock_.nowMicros();
    auto snapshot = cluster_.snapshot();
    // Joins between polls change the attendees: recounted then too (O(backends)).
    const bool attendance_changed = attendance_.version() != attendance_version_;
    if (snapshot->generation() != generation_ || attendance_changed)
        retired = rebuildLocked(std::move(snapshot), attendance_changed, r.now_us);
    const auto& candidates = candidates_.candidates();

    b3s::plugin::Placement placement;
    if (request.excluded_backends.empty()) {
        placement = balancer_.choose(r, candidates);
    } else {
        auto narrowed = candidates;  // rare: a create whose first backend was unreachable
        for (auto& c : narrowed)
            if (std::find(request.excluded_backends.begin(), request.excluded_backends.end(), c.id) !=
                request.excluded_backends.end())
                c.healthy = false;
        placement = balancer_.choose(r, narrowed);
    }
    reason = placement.reason;
    if (!placement.index || *placement.index >= candidates.size()) return std::nullopt;
    const auto& chosen = candidates[*placement.index];
    // The contract forbids it; a broken plugin must not put meetings on a drained backend.
    const bool excluded = std::find(request.excluded_backends.begin(), request.excluded_backends.end(), chosen.id) !=
                          request.excluded_backends.end();
    if (excluded || !admissible(chosen, request.required_tags)) {
        placerLog().error("balancer_broke_contract", {{"backend", chosen.id}, {"reason", placement.reason}});
        reason = "the balancer chose an ineligible backend";
        return std::nullopt;
    }
    Provisional p{chosen.id, request.frontend_id, request.meeting_id, r.now_us, request.size_hint};
    provisional_.push_back(p);
    chargeLocked(p);
    return chosen.id;
}

void MeetingPlacer::forget(std::string_view meeting_id) {
    std::lock_guard lock(mutex_);
    const auto before = provisional_.size();
    std::erase_if(provisional_, [&](const Provisional& p) { return p.meeting_id == meeting_id; });
    // Charges are folded into the candidates; rebuild them on the next decision.
    if (provisional_.size() != before) generation_ = ~std::uint64_t{0};
}

MeetingPlacer::Result MeetingPlacer::place(const Request& request) {
    Result result;
    const auto chosen = decide(request, result.reason);
    if (!chosen) {
        result.outcome = Result::Outcome::NoBackend;
        return result;
    }
    try {
        std::optional<store::Meeting> row;
        if (request.move_from) {
            row = store_.moveMeeting(request.frontend_id, request.meeting_id, *request.move_from, *chosen);
            if (!row) {
                // Moved or removed meanwhile: whatever the store has now is the answer.
                row = store_.findMeeting(request.frontend_id, request.meeting_id);
                forget(request.meeting_id);
                if (!row) {
                    result.outcome = Result::Outcome::StoreUnavailable;
                    result.reason = "the meeting was removed while it was being placed; try again";
                    return result;
                }
                result.outcome = Result::Outcome::PlacedElsewhere;
            } else {
                result.outcome = Result::Outcome::Placed;
            }
        } else {
            store::Meeting m;
            m.id = request.meeting_id;
            m.frontend_id = request.frontend_id;
            m.backend_id = *chosen;
            m.create_params_json = request.create_params_json;
            m.size_hint = request.size_hint;
            row = store_.insertMeeting(m);
            // The same backend and not created yet: ours, or a twin decision that forwards
            // to the same backend, which is just as good.
            const bool ours = row->backend_id == m.backend_id && !row->internal_id;
            result.outcome = ours ? Result::Outcome::Placed : Result::Outcome::PlacedElsewhere;
            if (!ours) forget(request.meeting_id);
        }
        cluster_.put(*row);
        const auto snapshot = cluster_.snapshot();
        if (row->backend_id) {
            result.backend = snapshot->backend(*row->backend_id);
            if (!result.backend) {
                // Placed by another instance on a backend this view has not seen yet.
                if (auto backend = store_.findBackend(*row->backend_id)) {
                    cluster_.put(*backend);
                    cluster_.put(*row);
                    result.backend = std::make_shared<const store::Backend>(std::move(*backend));
                }
            }
        }
        result.meeting = std::move(row);
        return result;
    } catch (const store::StoreError& e) {
        forget(request.meeting_id);
        result.outcome = e.kind() == store::StoreError::Kind::Conflict ? Result::Outcome::Conflict
                                                                       : Result::Outcome::StoreUnavailable;
        result.reason = e.what();
        return result;
    }
}

}  // namespace b3s::core::cluster
