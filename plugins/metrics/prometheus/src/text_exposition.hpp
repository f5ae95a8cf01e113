#pragma once
// Writes the Prometheus text exposition format, version 0.0.4.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace b3s::metrics::prometheus {

inline constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

/// A sample value as the format spells it: shortest round-trip decimal, "+Inf", "-Inf", "NaN".
std::string formatValue(double value);

/// Appends one unlabelled family: # HELP, # TYPE and its single sample.
/// `help` must not contain a newline or backslash (ours are literals).
class TextExposition {
public:
    void gauge(std::string_view name, std::string_view help, double value);
    void gauge(std::string_view name, std::string_view help, std::uint64_t value);
    void counter(std::string_view name, std::string_view help, double value);

    const std::string& text() const noexcept { return text_; }
    std::string release() noexcept { return std::move(text_); }

private:
    void family(std::string_view name, std::string_view help, std::string_view type, const std::string& value);

    std::string text_;
};

}  // namespace b3s::metrics::prometheus
