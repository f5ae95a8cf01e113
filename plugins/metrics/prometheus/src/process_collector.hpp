#pragma once
// Reads the process_* figures from procfs. The proc root is a parameter so tests can
// point it at a fake tree: <root>/self/{stat,status,limits,fd/} and <root>/stat.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::metrics::prometheus {

/// One snapshot. A figure is nullopt when the file it comes from could not be read or
/// parsed; `failures` then names that file, so one broken file costs one family, not all.
struct ProcessStats {
    std::optional<double> cpu_seconds;            ///< utime + stime
    std::optional<std::uint64_t> resident_bytes;  ///< VmRSS
    std::optional<std::uint64_t> virtual_bytes;   ///< vsize
    std::optional<std::uint64_t> open_fds;        ///< entries in fd/
    std::optional<double> max_fds;                ///< soft "Max open files"; +inf when unlimited
    std::optional<double> start_time_seconds;     ///< btime + starttime / ticks
    std::optional<std::uint64_t> threads;         ///< num_threads
    std::vector<std::string> failures;            ///< "<path>: <why>" per unreadable file
};

/// The fields of <pid>/stat this collector uses (see proc(5)); times in clock ticks.
struct StatFields {
    std::uint64_t utime_ticks = 0;
    std::uint64_t stime_ticks = 0;
    std::uint64_t num_threads = 0;
    std::uint64_t starttime_ticks = 0;  ///< since boot
    std::uint64_t vsize_bytes = 0;
};

/// Parses the single line of <pid>/stat. The command name is in parentheses and may itself
/// contain spaces and ')', so fields are counted from the last ')'.
std::optional<StatFields> parseStat(std::string_view text);
/// VmRSS from <pid>/status, in bytes.
std::optional<std::uint64_t> parseResidentBytes(std::string_view statusText);
/// The soft limit of "Max open files" from <pid>/limits; +inf for "unlimited".
std::optional<double> parseMaxOpenFiles(std::string_view limitsText);
/// btime (boot time, seconds since the epoch) from /proc/stat.
std::optional<std::uint64_t> parseBootTime(std::string_view statText);

class ProcessCollector {
public:
    /// `ticksPerSecond` is sysconf(_SC_CLK_TCK) in production.
    explicit ProcessCollector(std::filesystem::path procRoot = "/proc", long ticksPerSecond = 0);

    /// Reads a fresh snapshot. Never throws; unreadable files are reported in `failures`.
    /// Thread-safety: const and stateless, callable concurrently.
    ProcessStats collect() const;

    const std::filesystem::path& procRoot() const noexcept { return root_; }

private:
    std::filesystem::path root_;
    long ticks_per_second_;
};

}  // namespace b3s::metrics::prometheus
