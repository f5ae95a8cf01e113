#pragma once
// Writes the Prometheus text exposition format, version 0.0.4.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace b3s::metrics::prometheus {

inline constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

/// A sample value as the format spells it: shortest round-trip decimal, "+Inf", "-Inf", "NaN".
std::string formatValue(double value);

/// A label value as the format needs it inside "…": backslash, double quote and newline escaped.
std::string escapeLabelValue(std::string_view value);

/// Whether `name` is a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) or, with `label`, a valid
/// label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with "__").
bool validName(std::string_view name, bool label = false);

class TextExposition {
public:
    /// One unlabelled family: # HELP, # TYPE and its single sample.
    void gauge(std::string_view name, std::string_view help, double value);
    void gauge(std::string_view name, std::string_view help, std::uint64_t value);
    void counter(std::string_view name, std::string_view help, double value);

    /// The # HELP and # TYPE lines of a family (help: backslash and newline are escaped).
    void header(std::string_view name, std::string_view help, std::string_view type);
    /// One sample line: name{label="value",…} value.
    void sample(std::string_view name, const std::vector<std::string>& label_names,
                const std::vector<std::string>& label_values, const std::string& value,
                std::string_view extra_label = {}, std::string_view extra_value = {});

    const std::string& text() const noexcept { return text_; }
    std::string release() noexcept { return std::move(text_); }

private:
    void family(std::string_view name, std::string_view help, std::string_view type, const std::string& value);

    std::string text_;
};

}  // namespace b3s::metrics::prometheus
