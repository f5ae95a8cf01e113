#pragma once
// A clock that only moves when the test says so, for whichever clock interface the code under
// test takes: plugins the SDK's (ManualClock), core its own (ManualCoreClock). Depends on
// neither, so plugin tests never see core's types.

#include <atomic>
#include <cstdint>

namespace b3s::test {

template <class ClockInterface>
class ManualClockOf final : public ClockInterface {
public:
    /// 2024-01-01T00:00:00Z: a fixed, unremarkable instant so no test depends on "now".
    static constexpr std::int64_t kDefaultStartMicros = 1'704'067'200'000'000;

    explicit ManualClockOf(std::int64_t nowMicros = kDefaultStartMicros) : now_(nowMicros) {}

    void setMicros(std::int64_t nowMicros) { now_.store(nowMicros); }
    void setSeconds(std::int64_t nowSeconds) { now_.store(nowSeconds * 1'000'000); }
    void advanceMicros(std::int64_t delta) { now_.fetch_add(delta); }
    void advanceSeconds(std::int64_t delta) { now_.fetch_add(delta * 1'000'000); }
    std::int64_t nowSeconds() const { return now_.load() / 1'000'000; }

    std::int64_t nowMicros() const override { return now_.load(); }

private:
    std::atomic<std::int64_t> now_;
};

}  // namespace b3s::test
