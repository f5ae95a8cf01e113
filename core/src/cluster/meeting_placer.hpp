#pragma once
// Places a new meeting: asks the balancer plugin for a backend and records the placement in
// the store, which decides atomically (first create wins: the same meeting created at once
// through several threads or several b3scaled processes ends up on exactly one backend).
//
// Decisions of this instance are taken one at a time, and each one is charged at once to the
// candidate it picked (a provisional placement), so a burst of concurrent creates sees every
// earlier decision even before the store write and the change feed have caught up. Other
// instances' placements arrive through the change feed within milliseconds.

#include "cluster/attendance.hpp"
#include "cluster/cluster_state.hpp"
#include "cluster/placement_candidates.hpp"
#include "store/store.hpp"

#include <b3s/plugin/balancer.hpp>
#include "util/clock.hpp"

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace b3s::core::cluster {

class MeetingPlacer {
public:
    /// Every reference must outlive the placer.
    MeetingPlacer(ClusterState& cluster, store::Store& store, b3s::plugin::BalancerStrategy& balancer,
                  const Attendance& attendance, const Clock& clock);

    struct Request {
        std::string frontend_id;
        std::string frontend_key;
        std::string meeting_id;  ///< as the backend will see it (encoded)
        std::vector<std::string> required_tags;
        std::vector<std::string> server_tags;
        bool server_tags_required = false;
        int size_hint = 0;
        std::string create_params_json = "{}";
        /// Backends that were just found unreachable for this create: not chosen again.
        std::vector<std::string> excluded_backends;
        /// Set to move an existing placement instead of inserting one: the backend it is on
        /// now (nullopt: on none, its backend was deleted).
        std::optional<std::optional<std::string>> move_from;
    };

    struct Result {
        enum class Outcome {
            Placed,            ///< this call placed it (inserted or moved)
            PlacedElsewhere,   ///< another request placed it first; `meeting` says where
            NoBackend,         ///< the balancer found no acceptable backend (`reason` says why)
            Conflict,          ///< the id belongs to another frontend
            StoreUnavailable,  ///< the database did not answer (`reason`)
        };
        Outcome outcome = Outcome::NoBackend;
        std::optional<store::Meeting> meeting;  ///< the row as the store has it now
        BackendPtr backend;                     ///< the backend `meeting` is on (when known)
        std::string reason;                     ///< balancer's reason, or the error, for logs
        bool placed() const noexcept { return outcome == Outcome::Placed || outcome == Outcome::PlacedElsewhere; }
    };

    /// Decides and records. Thread-safe; never throws (besides std::bad_alloc).
    Result place(const Request& request);

    /// Forgets the provisional charge of a placement that was undone (its create failed).
    void forget(std::string_view meeting_id);

private:
    struct Provisional {
        std::string backend_id;
        std::string frontend_id;
        std::string meeting_id;
        std::int64_t at_us = 0;
        int size_hint = 0;
    };
    /// Chooses under mutex_ and charges the choice; nullopt (with the reason) when none.
    std::optional<std::string> decide(const Request& request, std::string& reason);
    /// Returns the snapshot the candidates followed before, to be let go after unlocking.
    std::shared_ptr<const ClusterSnapshot> rebuildLocked(std::shared_ptr<const ClusterSnapshot> snapshot,
                                                         bool attendance_changed, std::int64_t now_us);
    void chargeLocked(const Provisional& p);

    ClusterState& cluster_;
    store::Store& store_;
    b3s::plugin::BalancerStrategy& balancer_;
    const Attendance& attendance_;
    const Clock& clock_;

    std::mutex mutex_;
    std::uint64_t generation_ = ~std::uint64_t{0};  ///< snapshot the candidates were built from
    std::uint64_t attendance_version_ = 0;          ///< and the attendance they counted
    CandidateSet candidates_;                       ///< with the provisional charges folded in
    std::deque<Provisional> provisional_;           ///< decided here, maybe not in the snapshot yet
};

}  // namespace b3s::core::cluster
