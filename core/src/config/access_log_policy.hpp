#pragma once
// B3SCALE_ACCESS_LOG: which requests the access log writes — all (default), errors
// (status >= 400), off, or a fraction such as 0.01 (that share of requests, chosen at
// random, and every server error).

#include <optional>
#include <string>

namespace b3s::core::config {

struct AccessLogPolicy {
    enum class Mode { All, Errors, Off, Sample };
    Mode mode = Mode::All;
    double fraction = 1;  ///< Sample: (0, 1]

    /// Parses B3SCALE_ACCESS_LOG; nullopt for anything else.
    static std::optional<AccessLogPolicy> parse(const std::string& text);
};

}  // namespace b3s::core::config
