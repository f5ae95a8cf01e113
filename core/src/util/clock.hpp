#pragma once
// Core's wall clock, injected everywhere time is read so tests are deterministic. Core's own
// type: plugins see the SDK's b3s::plugin::Clock, adapted from this one by the plugin context.

#include <cstdint>

namespace b3s::core {

class Clock {
public:
    virtual ~Clock() = default;
    /// Microseconds since the Unix epoch, UTC. May be called concurrently.
    virtual std::int64_t nowMicros() const = 0;
};

}  // namespace b3s::core
