#include "process_collector.hpp"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>

namespace b3s::metrics::prometheus {
namespace {

std::optional<std::uint64_t> toUnsigned(std::string_view token) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (ec != std::errc{} || end != token.data() + token.size() || token.empty()) return std::nullopt;
    return value;
}

std::vector<std::string_view> fields(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto start = text.find_first_not_of(" \t\n", pos);
        if (start == std::string_view::npos) break;
        auto end = text.find_first_of(" \t\n", start);
        if (end == std::string_view::npos) end = text.size();
        out.push_back(text.substr(start, end - start));
        pos = end;
    }
    return out;
}

// The rest of the line after `prefix`, for the first line that starts with it.
std::optional<std::string_view> lineValue(std::string_view text, std::string_view prefix) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        auto line = text.substr(pos, end - pos);
        if (line.starts_with(prefix)) return line.substr(prefix.size());
        pos = end + 1;
    }
    return std::nullopt;
}

// procfs files report size 0, so read by stream rather than by size.
std::optional<std::string> readFile(const std::filesystem::path& path, std::vector<std::string>& failures) {
    std::ifstream in(path);
    if (!in) {
        failures.push_back(path.string() + ": " + std::strerror(errno));
        return std::nullopt;
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

std::optional<StatFields> parseStat(std::string_view text) {
    auto close = text.rfind(')');
    if (close == std::string_view::npos) return std::nullopt;
    // After ") " come fields 3 (state) onwards; proc(5) numbers fields from 1.
    auto rest = fields(text.substr(close + 1));
    constexpr std::size_t kFirst = 3;
    auto at = [&](std::size_t field) -> std::optional<std::uint64_t> {
        if (field - kFirst >= rest.size()) return std::nullopt;
        return toUnsigned(rest[field - kFirst]);
    };
    auto utime = at(14), stime = at(15), threads = at(20), start = at(22), vsize = at(23);
    if (!utime || !stime || !threads || !start || !vsize) return std::nullopt;
    return StatFields{*utime, *stime, *threads, *start, *vsize};
}

std::optional<std::uint64_t> parseResidentBytes(std::string_view statusText) {
    auto value = lineValue(statusText, "VmRSS:");
    if (!value) return std::nullopt;
    auto parts = fields(*value);
    if (parts.size() != 2 || parts[1] != "kB") return std::nullopt;
    auto kib = toUnsigned(parts[0]);
    if (!kib) return std::nullopt;
    return *kib * 1024;
}

std::optional<double> parseMaxOpenFiles(std::string_view limitsText) {
    auto value = lineValue(limitsText, "Max open files");
    if (!value) return std::nullopt;
    auto parts = fields(*value);
    if (parts.empty()) return std::nullopt;
    if (parts[0] == "unlimited") return std::numeric_limits<double>::infinity();
    auto soft = toUnsigned(parts[0]);
    if (!soft) return std::nullopt;
    return static_cast<double>(*soft);
}

std::optional<std::uint64_t> parseBootTime(std::string_view statText) {
    auto value = lineValue(statText, "btime ");
    if (!value) return std::nullopt;
    auto parts = fields(*value);
    if (parts.size() != 1) return std::nullopt;
    return toUnsigned(parts[0]);
}

ProcessCollector::ProcessCollector(std::filesystem::path procRoot, long ticksPerSecond)
    : root_(std::move(procRoot)), ticks_per_second_(ticksPerSecond > 0 ? ticksPerSecond : ::sysconf(_SC_CLK_TCK)) {
    // Linux has reported 100 here for decades; guard anyway so a failing sysconf cannot divide by zero.
    if (ticks_per_second_ <= 0) ticks_per_second_ = 100;
}

ProcessStats ProcessCollector::collect() const {
    ProcessStats stats;
    const auto self = root_ / "self";
    const double ticks = static_cast<double>(ticks_per_second_);

    if (auto text = readFile(self / "stat", stats.failures)) {
        if (auto stat = parseStat(*text)) {
            stats.cpu_seconds = static_cast<double>(stat->utime_ticks + stat->stime_ticks) / ticks;
            stats.virtual_bytes = stat->vsize_bytes;
            stats.threads = stat->num_threads;
            if (auto boot = readFile(root_ / "stat", stats.failures)) {
                if (auto btime = parseBootTime(*boot))
                    stats.start_time_seconds =
                        static_cast<double>(*btime) + static_cast<double>(stat->starttime_ticks) / ticks;
                else
                    stats.failures.push_back((root_ / "stat").string() + ": no btime line");
            }
        } else {
            stats.failures.push_back((self / "stat").string() + ": unexpected format");
        }
    }
    if (auto text = readFile(self / "status", stats.failures)) {
        stats.resident_bytes = parseResidentBytes(*text);
        if (!stats.resident_bytes) stats.failures.push_back((self / "status").string() + ": no VmRSS line");
    }
    if (auto text = readFile(self / "limits", stats.failures)) {
        stats.max_fds = parseMaxOpenFiles(*text);
        if (!stats.max_fds) stats.failures.push_back((self / "limits").string() + ": no Max open files line");
    }
    std::error_code ec;
    std::uint64_t open = 0;
    // The iterator's own descriptor is counted too, as every procfs-based exporter does.
    for (std::filesystem::directory_iterator it(self / "fd", ec), end; !ec && it != end; it.increment(ec)) ++open;
    if (ec)
        stats.failures.push_back((self / "fd").string() + ": " + ec.message());
    else
        stats.open_fds = open;
    return stats;
}

}  // namespace b3s::metrics::prometheus
