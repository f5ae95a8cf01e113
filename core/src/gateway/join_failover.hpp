#pragma once
// Failover on join: a join never sends anyone to a dead backend the gateway could know of.
//
// A meeting is at risk when it is lost (its backend went offline, cluster::isLost) or when
// its backend is suspect: not `ready` (it failed its last poll) or it failed a call since
// its last good answer (cluster::PollRequests). A healthy backend's joins skip all of this
// (a string compare and one atomic load); only a meeting at risk comes here:
//
//  - on a suspect backend, the backend is checked first with one cheap call
//    (isMeetingRunning of that meeting, bounded by B3SCALE_JOIN_CHECK_TIMEOUT_MS). Any BBB
//    answer: it lives, the join goes on as usual (and its failures are forgotten). No
//    answer (refused, timed out, not BBB): the meeting is marked lost in the store, so this
//    and every other instance treat it as lost from now on;
//  - a lost meeting is re-created on another backend through the create path (its stored
//    create parameters, the passwords its first backend generated), and the join goes there;
//    when no backend can take it, the join gets the 503 page / serverUnavailable.
//
// Concurrent joins of one meeting share one check and one re-creation (a single flight per
// meeting in this instance); across instances the store's conditional move picks one new
// backend.
//
// Thread-safety: resolve() may be called concurrently from any number of threads.

#include "cluster/backend_api.hpp"
#include "cluster/poll_requests.hpp"
#include "gateway/bbb_ingress.hpp"
#include "store/records.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace b3s::core::gateway {

struct GatewayContext;

class JoinFailover {
public:
    /// `trouble` and `checks` (a BackendApi with the check's short timeouts, reporting to
    /// `trouble`) must outlive this object.
    JoinFailover(cluster::PollRequests& trouble, const cluster::BackendApi& checks)
        : trouble_(trouble), checks_(checks) {}

    /// Whether joins of meetings on `backend` must go through resolve() first. Hot path.
    bool suspect(const store::Backend& backend) const;

    enum class Outcome {
        Usable,       ///< nothing moved: the meeting's backend answered (or it changed meanwhile)
        Recreated,    ///< the meeting runs on another backend now; read the view again
        Unavailable,  ///< its backend is dead and no other one could take it
    };
    /// Checks the backend of the meeting `encoded` of the call's frontend and moves the
    /// meeting when needed (see above). Never throws (besides std::bad_alloc).
    Outcome resolve(const GatewayContext& context, const BbbCall& join, const std::string& encoded);

    /// A join that finds the meeting being created: when that is this instance re-creating it
    /// (a resolve() in flight), waits for the outcome (so it goes where the others go, not to
    /// the retry page) and returns it; nullopt at once otherwise. Only for meetings whose
    /// create is in flight, never on the hot path.
    std::optional<Outcome> awaitRecreation(const std::string& frontend_id, const std::string& encoded);

private:
    struct Flight {
        std::mutex mutex;
        std::condition_variable done_cv;
        bool done = false;
        Outcome outcome = Outcome::Unavailable;
    };
    static Outcome wait(Flight& flight);
    Outcome run(const GatewayContext& context, const BbbCall& join, const std::string& encoded);
    /// Re-creates the lost meeting away from `avoid`; true when it runs somewhere now.
    bool recreate(const GatewayContext& context, const BbbCall& join, const store::Meeting& lost,
                  std::vector<std::string> avoid) const;

    cluster::PollRequests& trouble_;
    const cluster::BackendApi& checks_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;  ///< frontend id + meeting id
};

}  // namespace b3s::core::gateway
