#pragma once
// The reserved_seats balancer's configuration: how many seats a fresh placement reserves,
// how fast that reservation decays, and the seed of the coin that spreads near-ties.

#include <b3s/plugin/context.hpp>

#include <array>
#include <cstdint>
#include <optional>

namespace b3s::balancer::reserved_seats {

inline constexpr const char* kReservedSeatsKey = "B3SCALE_BALANCER_RESERVED_SEATS";
inline constexpr const char* kDecayKey = "B3SCALE_BALANCER_RESERVATION_DECAY";
inline constexpr const char* kSeedKey = "B3SCALE_BALANCER_SEED";

// 15 is b3scale's per-meeting weight: a meeting no one has joined yet already counts as
// 15 attendees there, so a reservation of the same size keeps the two rules comparable.
inline constexpr const char* kDefaultReservedSeats = "15";
// Five minutes: long enough to cover the join wave after a scheduled class starts and at
// least one poll interval of every peer (b3scale, Scalelite default 60 s).
inline constexpr const char* kDefaultDecaySeconds = "300";

// Upper bounds that catch unit mistakes: milliseconds typed as seconds, a whole server's
// capacity typed as one meeting's.
inline constexpr std::int64_t kMaxReservedSeats = 10'000;
inline constexpr std::int64_t kMaxDecaySeconds = 86'400;

inline constexpr std::array<plugin::ConfigKey, 3> kConfigKeys{{
    {kReservedSeatsKey, kDefaultReservedSeats,
     "seats a new meeting reserves on its backend until attendees show up in polls (0 to 10000)", false, false},
    {kDecayKey, kDefaultDecaySeconds,
     "seconds over which a placement's reserved seats decay linearly to 0 (1 to 86400)", false, false},
    {kSeedKey, nullptr, "seed of the coin that spreads near-tied backends (integer); unset: derived from the clock",
     false, false},
}};

struct Settings {
    double reserved_seats = 15.0;       ///< 0 … kMaxReservedSeats, a whole number
    std::int64_t decay_seconds = 300;   ///< 1 … kMaxDecaySeconds
    std::optional<std::uint64_t> seed;  ///< nullopt: the factory derives one from the clock
};

/// Reads and validates the plugin's keys, applying the defaults above when a key is unset.
/// Throws plugin::ConfigError naming the key and the accepted values; nothing is half-applied.
Settings parseSettings(const plugin::ConfigView& config);

}  // namespace b3s::balancer::reserved_seats
