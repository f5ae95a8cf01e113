#pragma once
// Balancer plugins decide on which backend a new meeting is created. Core gathers the
// snapshot and the request; the strategy only chooses.

#include <b3s/plugin/context.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::plugin {

/// A meeting placed on a backend a short while ago, as the balancer snapshot lists it.
struct RecentPlacement {
    std::int64_t at_us = 0;  ///< when it was placed (epoch microseconds)
    int size_hint = 0;       ///< the attendees its frontend announced, 0 when unknown
};

/// The node's own figures, as its agent (b3scaleagent) measured them for its last heartbeat.
struct HostFigures {
    std::int64_t at_us = 0;              ///< when the heartbeat carrying them arrived (epoch microseconds)
    double cpu = -1;                     ///< share of all cores busy, 0..1; -1: not reported
    double memory = -1;                  ///< share of the memory in use, 0..1; -1: not reported
    double network_rx_bytes_per_s = -1;  ///< -1: not reported
    double network_tx_bytes_per_s = -1;  ///< -1: not reported
};

/// One backend as core sees it at the moment of the decision.
struct BackendCandidate {
    std::string id;                 ///< backend id (uuid)
    std::string host;               ///< BBB API base URL, for logs
    std::vector<std::string> tags;  ///< the backend's tags
    double load_factor = 1.0;       ///< operator weight, finite and >= 0
    int meetings = 0;               ///< meetings running on it
    int attendees = 0;              ///< participants + listeners + video on it
    bool enabled = true;            ///< admin state allows new meetings
    bool healthy = true;            ///< last observation says it answers
    /// Meetings recently placed on it (oldest first), from every b3scaled instance: their
    /// attendees may not have joined yet, so a burst of creates should not all pick the
    /// same, seemingly empty backend. Core lists the placements of the last hour at most.
    std::vector<RecentPlacement> recent_placements;
    /// Present only while the backend's agent reports figures and its last report is younger
    /// than 10 s (agents report every second): a strategy must work without them.
    std::optional<HostFigures> host_figures;
};

/// What the new meeting asks for.
struct PlacementRequest {
    std::string frontend_key;                ///< tenant the meeting belongs to
    std::string meeting_id;                  ///< the meeting id as the backend will see it
    std::vector<std::string> required_tags;  ///< every one must be carried by the backend
    /// Scalelite's per-request `meta_server-tag`: the backend should carry one of these tags
    /// (`none` stands for a backend without tags). Empty: no preference.
    std::vector<std::string> server_tags;
    /// The `!` suffix of `meta_server-tag`: only a backend carrying one of `server_tags` will do.
    bool server_tags_required = false;
    int size_hint = 0;        ///< expected attendees (`meta_bbb-meeting-size-hint`), 0 when unknown
    std::int64_t now_us = 0;  ///< the decision's time (epoch microseconds)
};

/// The strategy's answer. `index` points into the candidate span; nullopt means no
/// candidate is acceptable and `reason` says why in one sentence an operator understands.
struct Placement {
    std::optional<std::size_t> index;
    std::string reason;
};

/// Chooses a backend for a new meeting.
/// Thread-safety: choose() is called concurrently from request threads.
/// Lifetime: created once at start-up, destroyed after the HTTP server has drained.
class B3S_PLUGIN_API BalancerStrategy {
public:
    virtual ~BalancerStrategy() = default;
    /// Picks one of `candidates`: one that is `enabled`, `healthy` and carries every tag of
    /// `request.required_tags` (the shared rules, with the server-tag preference, are
    /// b3s::support::eligibleCandidates() in <b3s/support/balancer_rules.hpp>), or none with a
    /// reason when none qualifies. Core refuses any other pick. Must not throw. The span is
    /// valid for this call only.
    virtual Placement choose(const PlacementRequest& request, std::span<const BackendCandidate> candidates) = 0;

    /// How loaded `backend` is by this strategy's own measure — the figure its choice weighs,
    /// larger is busier — as of `now_us` (epoch microseconds). Core shows it to operators
    /// (`b3scale_backend_load`, the REST API's `load`, b3scalectl's LOAD column), so it is
    /// meaningful whatever the strategy. Thread-safety: called concurrently with choose()
    /// (metric scrapes, API requests). Must not throw; a finite number >= 0.
    virtual double load(const BackendCandidate& backend, std::int64_t now_us) const = 0;
};

template <>
struct KindTraits<BalancerStrategy> {
    static constexpr const char* kKind = "balancer";
    static constexpr const char* kFactorySymbol = "b3s_create_balancer";
    /// May throw ConfigError. Never returns nullptr.
    using Factory = std::unique_ptr<BalancerStrategy>(const Context&);
};

}  // namespace b3s::plugin
