#pragma once
// The SDK's Clock that only moves when the test says so (plugin tests).

#include "manual_clock_of.hpp"

#include <b3s/plugin/context.hpp>

namespace b3s::test {

using ManualClock = ManualClockOf<plugin::Clock>;

}  // namespace b3s::test
