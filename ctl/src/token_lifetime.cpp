#include "token_lifetime.hpp"

#include "ctl_error.hpp"

#include <charconv>
#include <cstdint>

namespace b3s::ctl {

TokenLifetime parseExpiresIn(const std::string& text, const std::string& command_path) {
    if (text == "never") return std::nullopt;
    const auto refuse = [&](const std::string& why) -> TokenLifetime {
        throw UsageError("--expires-in " + text + ": " + why +
                             "; use a number and a unit (s, m, h, d), e.g. 90m, 12h, 30d, or never",
                         command_path);
    };
    if (text.size() < 2) return refuse("not a duration");
    std::int64_t unit = 0;
    switch (text.back()) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 24 * 3600; break;
        default: return refuse("unknown unit");
    }
    const char* first = text.data();
    const char* last = text.data() + text.size() - 1;
    std::int64_t count = 0;
    const auto [end, ec] = std::from_chars(first, last, count);
    if (ec == std::errc::result_out_of_range) return refuse("too long (at most 3650d)");
    if (ec != std::errc{} || end != last || *first < '0' || *first > '9') return refuse("not a duration");
    if (count <= 0) return refuse("must be more than nothing");
    if (count > kMaxTokenLifetime.count() / unit) return refuse("too long (at most 3650d)");
    return std::chrono::seconds(count * unit);
}

}  // namespace b3s::ctl
