#include "cluster/meeting_reconciler.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "bbb/meeting_state.hpp"
#include "log/logger.hpp"

#include <unordered_map>
#include <unordered_set>

namespace b3s::core::cluster {
namespace {

log::Logger& reconcileLog() {
    static log::Logger l("b3s.core.cluster");
    return l;
}

// Instances' clocks differ a little: a create acknowledged this close to the poll's question
// may be missing from the answer and is kept until the next poll.
constexpr store::Micros kClockMarginUs = 2'000'000;
// A placement not acknowledged for this long is a create that died with its instance.
constexpr store::Micros kPendingGraceUs = 120'000'000;

MeetingReconciler::StrayCopy strayCopy(const PolledMeeting& polled, std::string reason) {
    return {polled.meeting_id, bbb::meetingStateField(polled.state_json, "ModeratorPW").value_or(""),
            std::move(reason)};
}

}  // namespace

MeetingReconciler::MeetingReconciler(ClusterState& cluster, store::Store& store, const Clock& clock)
    : cluster_(cluster), store_(store), clock_(clock) {}

MeetingReconciler::Summary MeetingReconciler::reconcile(const store::Backend& backend, const PollResult& poll) {
    Summary summary;
    const auto placed = store_.listMeetingsOnBackend(backend.id);
    std::unordered_map<std::string, const store::Meeting*> stored;
    for (const auto& m : placed) stored.emplace(m.id, &m);
    std::unordered_map<std::string, const PolledMeeting*> running;
    for (const auto& m : poll.meetings) running.emplace(m.meeting_id, &m);

    const auto snapshot = cluster_.snapshot();
    // Adoption needs two polls in a row: a meeting ended (and forgotten) while a poll was on
    // its way is still in that poll's answer, but never in the next one.
    std::unordered_set<std::string> unplaced;
    std::unordered_set<std::string> seen_before;
    {
        std::lock_guard lock(seen_mutex_);
        seen_before = unplaced_seen_[backend.id];
    }
    for (const auto& polled : poll.meetings) {
        if (polled.breakout) continue;  // BBB names them; they follow their parent meeting
        if (const auto it = stored.find(polled.meeting_id); it != stored.end()) {
            const auto& row = *it->second;
            if (row.lost_at) {
                if (auto back = store_.clearMeetingLost(row.id, backend.id)) {
                    cluster_.put(*back);
                    ++summary.recovered;
                }
            } else if (!row.internal_id && row.updated_at < poll.asked_at_us - kPendingGraceUs) {
                if (auto done = store_.markMeetingCreated(row.frontend_id, row.id, backend.id, polled.internal_id,
                                                          polled.state_json)) {
                    cluster_.put(*done);
                    ++summary.completed;
                }
            }
            continue;
        }
        // Not placed here. Whose is it?
        const auto decoded = bbb::decodeMeetingIdWithKey(polled.meeting_id);
        if (!decoded) continue;  // not a b3scale id: someone uses this BBB directly
        if (!polled.frontend_key.empty() && polled.frontend_key != decoded->frontendKey) continue;
        const auto frontend = snapshot->frontendByKey(decoded->frontendKey);
        if (!frontend) continue;
        unplaced.insert(polled.meeting_id);
        if (!seen_before.contains(polled.meeting_id)) continue;
        if (auto existing = store_.findMeetingById(polled.meeting_id)) {
            if (existing->backend_id) {
                // The store placed it elsewhere (re-created after this backend was lost, and
                // now it answers again): the store's placement wins; joins go there. Once that
                // copy is created and not itself lost, this one is a stray.
                ++summary.duplicates;
                const bool stray = existing->internal_id && !existing->lost_at;
                reconcileLog().warn("meeting_running_twice", {{"meeting", polled.meeting_id},
                                                              {"backend", backend.host},
                                                              {"placed_on", *existing->backend_id},
                                                              {"action", stray ? "end_here" : "wait"}});
                if (stray) summary.strays.push_back(strayCopy(polled, "placed_elsewhere"));
                continue;
            }
            // Its backend was deleted: it runs here, so it is placed here.
            auto moved = store_.moveMeeting(existing->frontend_id, existing->id, std::nullopt, backend.id);
            if (moved)
                moved = store_.markMeetingCreated(existing->frontend_id, existing->id, backend.id, polled.internal_id,
                                                  polled.state_json);
            if (moved) {
                cluster_.put(*moved);
                ++summary.adopted;
            }
            continue;
        }
        // Its frontend ended it (or b3scale saw it end) after this copy started: a leftover of
        // the meeting, not one to adopt. A copy whose start BBB did not say is adopted.
        if (const auto ended = store_.lastMeetingEnd(polled.meeting_id);
            ended && polled.start_time_ms > 0 && *ended >= polled.start_time_ms * 1000) {
            summary.strays.push_back(strayCopy(polled, "ended"));
            continue;
        }
        store::Meeting m;
        m.id = polled.meeting_id;
        m.frontend_id = frontend->id;
        m.backend_id = backend.id;
        m.internal_id = polled.internal_id;
        m.state_json = polled.state_json;
        m.create_params_json = polled.create_params_json;
        try {
            const auto row = store_.insertMeeting(m);
            if (row.backend_id == backend.id) {
                cluster_.put(row);
                ++summary.adopted;
                reconcileLog().info(
                    "meeting_adopted",
                    {{"meeting", polled.meeting_id}, {"frontend", frontend->key}, {"backend", backend.host}});
            }
        } catch (const store::StoreError& e) {
            if (e.kind() != store::StoreError::Kind::Conflict) throw;
        }
    }

    {
        std::lock_guard lock(seen_mutex_);
        unplaced_seen_[backend.id] = std::move(unplaced);
    }

    for (const auto& row : placed) {
        if (running.contains(row.id) || row.lost_at) continue;
        // An acknowledged meeting ended; an unacknowledged one may be in flight right now.
        const auto since = row.internal_id ? poll.asked_at_us - kClockMarginUs : poll.asked_at_us - kPendingGraceUs;
        if (store_.deleteVanishedMeeting(row.id, backend.id, since)) {
            cluster_.removeMeeting(row.id);
            ++summary.removed;
        }
    }
    return summary;
}

}  // namespace b3s::core::cluster
