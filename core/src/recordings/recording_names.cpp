#include "recordings/recording_names.hpp"

namespace b3s::core::recordings {
namespace {

bool isAsciiAlpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isAsciiDigit(char c) noexcept {
    return c >= '0' && c <= '9';
}

}  // namespace

bool isValidRecordName(std::string_view name) noexcept {
    if (name.empty() || name.size() > kMaxNameLength) return false;
    for (const char c : name)
        if (!isAsciiAlpha(c) && !isAsciiDigit(c) && c != '_' && c != '-') return false;
    return true;
}

bool isValidMetaName(std::string_view name) noexcept {
    if (name.empty() || name.size() > kMaxNameLength || !isAsciiAlpha(name.front())) return false;
    for (const char c : name)
        if (!isAsciiAlpha(c) && !isAsciiDigit(c) && c != '-') return false;
    return true;
}

std::string toLowerAscii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace b3s::core::recordings
