#pragma once

#include "util/clock.hpp"

#include <chrono>

namespace b3s::core {

/// The real wall clock; tests inject their own Clock.
class SystemClock final : public Clock {
public:
    std::int64_t nowMicros() const override {
        using namespace std::chrono;
        return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
    }
};

}  // namespace b3s::core
