#pragma once
// Makes the store agree with what a backend runs, after each successful poll of it:
//  - a meeting the backend runs that the store lacks — in two polls in a row, so that one
//    ended while a poll was on its way is not taken back — is adopted: its owner is the frontend
//    whose key its b3scale-encoded id carries (cross-checked with `meta_b3s-frontend`), so
//    a cluster taken over from b3scale, or a create whose acknowledgement was lost, ends up
//    routable; meetings of no known frontend are left alone (they still count as load);
//  - a meeting the store has on the backend that the backend no longer lists ended there:
//    its mapping is removed — unless it was acknowledged after the poll asked, or it is lost
//    (its backend went offline before; it waits for re-creation elsewhere);
//  - a lost meeting the backend lists again is not lost any more;
//  - a placement whose create never completed (an instance died mid-create) is completed
//    from the backend's list, or dropped when the backend does not have it a while later;
//  - a stray copy — in two polls in a row — is to be ended (Summary::strays; the controller
//    ends it): a meeting the store has placed and created on another backend (re-created
//    there while this backend was unreachable), or one the store saw end (meeting_ends) after
//    this copy started (its frontend ended the copy the store knew). Either way joins no
//    longer reach it, and it would run on, counted as load, or be adopted back.
// Nothing is ever removed because of a failed poll: the controller calls this only after a
// successful one. Long meetings have no time-to-live: they stay for as long as the backend
// lists them.

#include "cluster/backend_poll.hpp"
#include "cluster/cluster_state.hpp"
#include "store/store.hpp"

#include "util/clock.hpp"

#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace b3s::core::cluster {

class MeetingReconciler {
public:
    /// Every reference must outlive the reconciler.
    MeetingReconciler(ClusterState& cluster, store::Store& store, const Clock& clock);

    struct StrayCopy {
        std::string meeting_id;
        std::string password;  ///< its moderator password, for BBB releases whose end needs it
        std::string reason;    ///< "placed_elsewhere" or "ended"
    };

    struct Summary {
        int adopted = 0;
        int removed = 0;
        int recovered = 0;              ///< lost meetings found running again
        int completed = 0;              ///< placements whose create had not been acknowledged
        int duplicates = 0;             ///< running here, placed elsewhere by the store
        std::vector<StrayCopy> strays;  ///< to be ended on the polled backend
    };

    /// Reconciles `backend` with `poll` (succeeded). Throws StoreError; a partial run is
    /// safe to repeat at the next poll.
    Summary reconcile(const store::Backend& backend, const PollResult& poll);

private:
    ClusterState& cluster_;
    store::Store& store_;
    const Clock& clock_;
    /// Per backend: the unplaced meetings of our previous poll of it (workers reconcile
    /// different backends at once).
    std::mutex seen_mutex_;
    std::unordered_map<std::string, std::unordered_set<std::string>> unplaced_seen_;
};

}  // namespace b3s::core::cluster
