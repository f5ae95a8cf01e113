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

std::string escapeLabelValue(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

bool validName(std::string_view name, bool label) {
    if (name.empty() || (label && name.starts_with("__"))) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!label && c == ':');
        if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
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

void TextExposition::header(std::string_view name, std::string_view help, std::string_view type) {
    text_.append("# HELP ").append(name).append(" ");
    for (const char c : help) {
        if (c == '\\')
            text_ += "\\\\";
        else if (c == '\n')
            text_ += "\\n";
        else
            text_ += c;
    }
    text_.append("\n# TYPE ").append(name).append(" ").append(type).append("\n");
}

void TextExposition::sample(std::string_view name, const std::vector<std::string>& label_names,
                            const std::vector<std::string>& label_values, const std::string& value,
                            std::string_view extra_label, std::string_view extra_value) {
    text_.append(name);
    const bool any = !label_names.empty() || !extra_label.empty();
    if (any) {
        text_ += '{';
        bool first = true;
        for (std::size_t i = 0; i < label_names.size() && i < label_values.size(); ++i) {
            if (!first) text_ += ',';
            first = false;
            text_.append(label_names[i]).append("=\"").append(escapeLabelValue(label_values[i])).append("\"");
        }
        if (!extra_label.empty()) {
            if (!first) text_ += ',';
            text_.append(extra_label).append("=\"").append(escapeLabelValue(extra_value)).append("\"");
        }
        text_ += '}';
    }
    text_.append(" ").append(value).append("\n");
}

void TextExposition::family(std::string_view name, std::string_view help, std::string_view type,
                            const std::string& value) {
    header(name, help, type);
    text_.append(name).append(" ").append(value).append("\n");
}

}  // namespace b3s::metrics::prometheus
