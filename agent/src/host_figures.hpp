#pragma once
// The host figures the heartbeat reports (B3SCALE_AGENT_HOST_FIGURES): the share of all CPU
// cores busy since the last sample (/proc/stat), the share of memory in use
// (MemTotal - MemAvailable, /proc/meminfo) and the bytes per second received and sent on
// every interface but lo since the last sample (/proc/net/dev). A figure that cannot be read
// is left out; the rates need two samples, so the first heartbeat has none.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

namespace b3s::agent {

struct CpuTimes {
    std::uint64_t busy = 0;   ///< jiffies not idle
    std::uint64_t total = 0;  ///< all jiffies (user … steal; guest time is inside user)
};
/// The aggregate "cpu" line. Pure.
std::optional<CpuTimes> parseProcStat(std::string_view text);

/// (MemTotal - MemAvailable) / MemTotal. Pure.
std::optional<double> parseMemoryInUse(std::string_view text);

struct NetTotals {
    std::uint64_t rx_bytes = 0;
    std::uint64_t tx_bytes = 0;
};
/// Sums of every interface but lo. Pure.
std::optional<NetTotals> parseNetDev(std::string_view text);

struct HostFigures {
    std::optional<double> cpu;     ///< 0 … 1
    std::optional<double> memory;  ///< 0 … 1
    std::optional<double> network_rx_bytes_per_s;
    std::optional<double> network_tx_bytes_per_s;
    bool empty() const noexcept { return !cpu && !memory && !network_rx_bytes_per_s && !network_tx_bytes_per_s; }
};

/// Reads the three files under `proc` (default /proc) and turns counters into shares and
/// rates against the previous sample. Not thread-safe: the heartbeat thread owns it.
class HostFigureSampler {
public:
    explicit HostFigureSampler(std::filesystem::path proc = "/proc") : proc_(std::move(proc)) {}

    HostFigures sample(std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

private:
    std::filesystem::path proc_;
    std::optional<CpuTimes> last_cpu_;
    std::optional<NetTotals> last_net_;
    std::optional<std::chrono::steady_clock::time_point> last_net_at_;
};

}  // namespace b3s::agent
