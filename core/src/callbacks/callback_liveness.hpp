#pragma once
// Whether a callback token still counts: while the incarnation of the meeting it was issued
// for runs (the meeting row with the token's created_at exists), and for the grace period
// (B3SCALE_CALLBACK_GRACE) after b3scale saw that incarnation end (store::findMeetingEnd).
// A token of an incarnation b3scale has no record of — ended longer ago than the record is
// kept, ended before b3scale recorded ends, or an id re-created meanwhile without the old one
// being seen to end — does not count.

#include "callbacks/callback_token.hpp"
#include "store/records.hpp"

#include <optional>

namespace b3s::core::callbacks {

enum class Liveness {
    Running,       ///< its meeting runs: accepted
    InGrace,       ///< ended less than the grace ago: accepted
    EndedLongAgo,  ///< ended more than the grace ago: refused
    Unknown,       ///< no record of this incarnation: refused
};

/// True for Running and InGrace. Pure.
inline bool accepted(Liveness liveness) noexcept {
    return liveness == Liveness::Running || liveness == Liveness::InGrace;
}

/// Stable lower-case name, for logs. Pure.
const char* toString(Liveness liveness) noexcept;

/// The verdict for `target` given the meeting row with its id now (`current`, nullopt when
/// none) and the end recorded for its incarnation (`ended_at`). Pure.
Liveness callbackLiveness(const CallbackTarget& target, const std::optional<store::Meeting>& current,
                          std::optional<store::Micros> ended_at, store::Micros now, store::Micros grace);

}  // namespace b3s::core::callbacks
