#include "config/access_log_policy.hpp"

#include <charconv>

namespace b3s::core::config {

std::optional<AccessLogPolicy> AccessLogPolicy::parse(const std::string& text) {
    if (text == "all" || text == "on") return AccessLogPolicy{Mode::All, 1};
    if (text == "errors") return AccessLogPolicy{Mode::Errors, 1};
    if (text == "off") return AccessLogPolicy{Mode::Off, 0};
    double fraction = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), fraction);
    if (ec != std::errc{} || end != text.data() + text.size() || !(fraction > 0 && fraction <= 1)) return std::nullopt;
    return AccessLogPolicy{Mode::Sample, fraction};
}

}  // namespace b3s::core::config
