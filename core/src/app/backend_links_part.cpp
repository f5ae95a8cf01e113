#include "app/backend_links_part.hpp"

#include <algorithm>

namespace b3s::core::app {
namespace {

using std::chrono::milliseconds;

cluster::BackendClientOptions callOptions(const config::CoreSettings& s) {
    cluster::BackendClientOptions o;
    o.connect_timeout = milliseconds(s.backend_connect_timeout_ms);
    o.response_timeout = milliseconds(s.backend_response_timeout_ms);
    // Calls on behalf of clients: a frozen backend holds a bounded share of the handler threads.
    o.max_calls_per_origin = static_cast<std::size_t>(s.backend_max_calls);
    o.slot_wait = milliseconds(s.backend_call_wait_ms);
    return o;
}

cluster::BackendClientOptions fanOutOptions(const config::CoreSettings& s) {
    auto o = callOptions(s);
    o.connect_timeout = std::min(o.connect_timeout, milliseconds(s.get_meetings_timeout_ms));
    o.response_timeout = milliseconds(s.get_meetings_timeout_ms);
    return o;
}

cluster::BackendClientOptions pollOptions(const config::CoreSettings& s) {
    auto o = callOptions(s);
    o.max_calls_per_origin = 0;  // one poll per backend at a time already (leases)
    o.response_timeout = milliseconds(s.poll_timeout_ms);
    return o;
}

// One short question: connecting and answering each within the check's timeout.
cluster::BackendClientOptions checkOptions(const config::CoreSettings& s) {
    auto o = callOptions(s);
    o.connect_timeout = std::min(o.connect_timeout, milliseconds(s.join_check_timeout_ms));
    o.response_timeout = milliseconds(s.join_check_timeout_ms);
    o.max_idle_per_origin = 4;
    return o;
}

// Parallel backend calls of one instance (getMeetings fan-outs and attendee counts).
constexpr std::size_t kFanOutThreads = 32;

}  // namespace

BackendLinksPart::BackendLinksPart(const config::CoreSettings& settings, ClusterViewPart& view)
    : calls_client_(callOptions(settings)),
      fan_out_client_(fanOutOptions(settings)),
      poll_client_(pollOptions(settings)),
      check_client_(checkOptions(settings)),
      calls_api_(calls_client_, &view.pollRequests()),
      fan_out_api_(fan_out_client_, &view.pollRequests()),
      poll_api_(poll_client_),
      check_api_(check_client_, &view.pollRequests()),
      poll_deadline_(pollOptions(settings).connect_timeout + pollOptions(settings).response_timeout),
      fan_out_(std::in_place, kFanOutThreads) {}

void BackendLinksPart::stop() noexcept {
    fan_out_.reset();
}

}  // namespace b3s::core::app
