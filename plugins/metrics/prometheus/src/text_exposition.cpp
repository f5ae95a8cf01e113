#include "text_exposition.hpp"

#include <charconv>
#include <cmath>

namespace b3s::metrics::prometheus {

std::string formatValue(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    if (ec != std::errc{}) return "NaN";  // cannot happen with 64 bytes; stay well-formed anyway
    return std::string(buffer, end);
}

void TextExposition::gauge(std::string_view name, std::string_view help, double value) {
    family(name, help, "gauge", formatValue(value));
}

void TextExposition::gauge(std::string_view name, std::string_view help, std::uint64_t value) {
    // Integers print exactly; a double would turn large byte counts into 1.2e+09.
    family(name, help, "gauge", std::to_string(value));
}

void TextExposition::counter(std::string_view name, std::string_view help, double value) {
    family(name, help, "counter", formatValue(value));
}

void TextExposition::family(std::string_view name, std::string_view help, std::string_view type,
                            const std::string& value) {
    text_.append("# HELP ").append(name).append(" ").append(help).append("\n");
    text_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
    text_.append(name).append(" ").append(value).append("\n");
}

}  // namespace b3s::metrics::prometheus
