#pragma once
// Core's Clock that only moves when the test says so (ManualClock is the plugin SDK's).

#include "manual_clock_of.hpp"
#include "util/clock.hpp"

namespace b3s::test {

using ManualCoreClock = ManualClockOf<core::Clock>;

}  // namespace b3s::test
