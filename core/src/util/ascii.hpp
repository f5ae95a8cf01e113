#pragma once
// ASCII-only case handling for protocol names (parameter names, metadata keys), which BBB
// compares without regard to case in a few places. Not for user text.

#include <cctype>
#include <string_view>

namespace b3s::core {

inline bool equalsIgnoreAsciiCase(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

/// `s` without the characters of `chars` at either end.
inline std::string_view trimAny(std::string_view s, std::string_view chars) noexcept {
    const auto first = s.find_first_not_of(chars);
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(chars) - first + 1);
}

}  // namespace b3s::core
