#pragma once
// Builders for balancer snapshots, shared by every balancer plugin's unit tests.

#include <b3s/plugin/balancer.hpp>

#include <string>
#include <utility>
#include <vector>

namespace b3s::test {

/// An enabled, healthy backend with the given load, as core would list it.
inline plugin::BackendCandidate backend(std::string id, int meetings, int attendees, double load_factor = 1.0,
                                        std::vector<std::string> tags = {}) {
    plugin::BackendCandidate b;
    b.id = std::move(id);
    b.host = "https://" + b.id + ".example.org/bigbluebutton/api";
    b.meetings = meetings;
    b.attendees = attendees;
    b.load_factor = load_factor;
    b.tags = std::move(tags);
    return b;
}

/// An empty, enabled, healthy backend carrying `tags`.
inline plugin::BackendCandidate backend(std::string id, std::vector<std::string> tags = {}) {
    return backend(std::move(id), 0, 0, 1.0, std::move(tags));
}

inline plugin::BackendCandidate disabled(plugin::BackendCandidate b) {
    b.enabled = false;
    return b;
}

inline plugin::BackendCandidate unhealthy(plugin::BackendCandidate b) {
    b.healthy = false;
    return b;
}

}  // namespace b3s::test
