#include "cluster/backend_health.hpp"

#include "store/records.hpp"

namespace b3s::core::cluster {

namespace ns = store::node_state;

HealthStep nextHealth(std::string_view state, int failures, int successes, bool poll_succeeded,
                      const HealthRule& rule) noexcept {
    const bool offline = state == ns::kOffline || state == "error";
    HealthStep step;
    if (poll_succeeded) {
        step.failures = 0;
        step.successes = successes + 1;
        if (state == ns::kInit || state == ns::kReady || step.successes >= rule.recover_count)
            step.node_state = ns::kReady;
        else
            step.node_state = offline ? ns::kOffline : ns::kUnstable;
    } else {
        step.successes = 0;
        step.failures = failures + 1;
        if (offline || step.failures >= rule.fail_count) {
            step.node_state = ns::kOffline;
            step.went_offline = !offline;
        } else {
            step.node_state = ns::kUnstable;
        }
    }
    step.changed = step.node_state != state;
    return step;
}

}  // namespace b3s::core::cluster
