#include "time_text.hpp"

#include <fmt/format.h>

#include <cctype>

namespace b3s::ctl {

namespace {

std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t count) {
    if (pos + count > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

}  // namespace

std::optional<WallClock::time_point> parseTimestamp(std::string_view text) {
    const auto year = digits(text, 0, 4);
    const auto month = digits(text, 5, 2);
    const auto day = digits(text, 8, 2);
    const auto hour = digits(text, 11, 2);
    const auto minute = digits(text, 14, 2);
    const auto second = digits(text, 17, 2);
    if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
    if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
        text[13] != ':' || text[16] != ':')
        return std::nullopt;
    if (*year <= 1) return std::nullopt;  // Go's zero time: never happened
    std::size_t pos = 19;
    std::chrono::nanoseconds fraction{0};
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        std::int64_t scale = 100'000'000;
        const std::size_t start = pos;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
            fraction += std::chrono::nanoseconds((text[pos] - '0') * scale);
            scale /= 10;
            ++pos;
        }
        if (pos == start) return std::nullopt;
    }
    std::chrono::minutes offset{0};
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        const auto oh = digits(text, pos + 1, 2);
        const auto om = digits(text, pos + 4, 2);
        if (!oh || !om || text[pos + 3] != ':') return std::nullopt;
        offset = std::chrono::minutes(*oh * 60 + *om) * (text[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year(*year), std::chrono::month(static_cast<unsigned>(*month)),
                                           std::chrono::day(static_cast<unsigned>(*day))};
    if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
    const auto midnight = std::chrono::sys_days(date);
    return WallClock::time_point(std::chrono::duration_cast<WallClock::duration>(
        midnight.time_since_epoch() + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
        std::chrono::seconds(*second) + fraction - offset));
}

std::string formatAge(std::optional<WallClock::time_point> when, WallClock::time_point now, const std::string& never) {
    if (!when) return never;
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - *when).count();
    if (seconds < 1) return "now";
    if (seconds < 60) return fmt::format("{}s ago", seconds);
    if (seconds < 3600) return fmt::format("{}m ago", seconds / 60);
    if (seconds < 86400) return fmt::format("{}h ago", seconds / 3600);
    return fmt::format("{}d ago", seconds / 86400);
}

std::string formatLatency(std::int64_t nanoseconds) {
    if (nanoseconds <= 0) return "-";
    return fmt::format("{:.1f} ms", static_cast<double>(nanoseconds) / 1e6);
}

std::string formatTimestamp(WallClock::time_point when) {
    const auto days = std::chrono::floor<std::chrono::days>(when);
    const std::chrono::year_month_day date{days};
    const std::chrono::hh_mm_ss time{std::chrono::floor<std::chrono::seconds>(when - days)};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                       static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), time.hours().count(),
                       time.minutes().count(), time.seconds().count());
}

}  // namespace b3s::ctl
