#include "fake_bbb/query_params.hpp"

namespace b3s::test::bbb {

namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string QueryParams::decode(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < raw.size() && hexValue(raw[i + 1]) >= 0 && hexValue(raw[i + 2]) >= 0) {
            out += static_cast<char>(hexValue(raw[i + 1]) * 16 + hexValue(raw[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

QueryParams QueryParams::parse(std::string_view raw) {
    QueryParams params;
    while (!raw.empty()) {
        const auto amp = raw.find('&');
        const std::string_view piece = raw.substr(0, amp);
        raw = amp == std::string_view::npos ? std::string_view{} : raw.substr(amp + 1);
        if (piece.empty()) continue;
        const auto eq = piece.find('=');
        if (eq == std::string_view::npos)
            params.add(decode(piece), "");
        else
            params.add(decode(piece.substr(0, eq)), decode(piece.substr(eq + 1)));
    }
    return params;
}

void QueryParams::add(std::string key, std::string value) {
    entries_.emplace_back(std::move(key), std::move(value));
}

void QueryParams::addMissing(const QueryParams& other) {
    for (const auto& [key, value] : other.entries_)
        if (!has(key)) add(key, value);
}

const std::string* QueryParams::find(std::string_view key) const {
    for (const auto& [k, v] : entries_)
        if (k == key) return &v;
    return nullptr;
}

std::string_view QueryParams::value(std::string_view key) const {
    const std::string* found = find(key);
    return found ? std::string_view(*found) : std::string_view{};
}

}  // namespace b3s::test::bbb
