#pragma once
// The health hysteresis of a backend, from its poll results alone (a pure function, so the
// rules are tested without a clock or a network):
//
//   init     --success-->  ready (an operator just added it; its first answer is proof enough)
//   ready    --failure-->  unstable (no new meetings from the first sign of trouble; calls and
//                          joins for its running meetings go on)
//   unstable --`fail_count` failures in a row-->  offline (its meetings are lost: the next
//                          create or join re-creates each one elsewhere)
//   unstable/offline --`recover_count` successes in a row-->  ready
//
// A backend that alternates between answering and not answering therefore stays unstable:
// it gets no new meetings and keeps its running ones, instead of flapping in and out of
// routing. b3scale's `error` state (a migrated database) is read as offline.

#include <string>
#include <string_view>

namespace b3s::core::cluster {

struct HealthRule {
    int fail_count = 3;     ///< B3SCALE_POLL_FAIL_COUNT
    int recover_count = 2;  ///< B3SCALE_POLL_RECOVER_COUNT
};

struct HealthStep {
    std::string node_state;
    int failures = 0;   ///< consecutive, including this poll
    int successes = 0;  ///< consecutive, including this poll
    /// The backend went offline with this poll: its meetings are to be marked lost.
    bool went_offline = false;
    bool changed = false;  ///< node_state differs from before
};

/// The state after one poll of a backend that was in `state` with these streaks.
HealthStep nextHealth(std::string_view state, int failures, int successes, bool poll_succeeded,
                      const HealthRule& rule) noexcept;

}  // namespace b3s::core::cluster
