#pragma once
// FrontendDirectory over the in-memory ClusterState: no database round trip per request.
// Settings are parsed once per frontend version and kept until the frontend changes.

#include "cluster/cluster_state.hpp"
#include "gateway/bbb_ingress.hpp"

#include <map>
#include <mutex>

namespace b3s::core::gateway {

class ClusterFrontendDirectory final : public FrontendDirectory {
public:
    /// `state` must outlive the directory.
    explicit ClusterFrontendDirectory(const cluster::ClusterState& state) : state_(state) {}

    /// A frontend whose stored settings do not parse is treated as unknown (its calls get
    /// checksumError) and logged once per version: serving it without, say, its required
    /// tags would put meetings where the operator said they must not go.
    std::shared_ptr<const FrontendEntry> findByKey(std::string_view key) const override;

private:
    const cluster::ClusterState& state_;
    mutable std::mutex mutex_;
    /// frontend id → parsed entry of the version it was parsed from (nullptr: unparsable).
    mutable std::map<std::string, std::pair<std::int64_t, std::shared_ptr<const FrontendEntry>>, std::less<>> parsed_;
};

}  // namespace b3s::core::gateway
