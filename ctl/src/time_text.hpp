#pragma once
// Timestamps and durations as the API writes them (RFC 3339 UTC, latency in nanoseconds) and
// as b3scalectl shows them ("12s ago", "never", "3.4 ms").

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace b3s::ctl {

using WallClock = std::chrono::system_clock;

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`. nullopt for anything else and for Go's
/// zero time (year 1), which the API uses for "never".
std::optional<WallClock::time_point> parseTimestamp(std::string_view text);

/// "now" for less than a second, else "12s ago", "4m ago", "3h ago", "2d ago" (whole units,
/// rounded down; a time in the future counts as now). nullopt → `never`.
std::string formatAge(std::optional<WallClock::time_point> when, WallClock::time_point now,
                      const std::string& never = "never");

/// Nanoseconds as milliseconds with one decimal ("3.4 ms"); "-" for 0 (never measured).
std::string formatLatency(std::int64_t nanoseconds);

/// A point in time as RFC 3339 UTC with seconds ("2025-01-01T12:00:00Z").
std::string formatTimestamp(WallClock::time_point when);

}  // namespace b3s::ctl
