#include "util/cidr.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace b3s::core::util {
namespace {

// The address as IPv4 when it is an IPv4-mapped IPv6 one.
Poco::Net::IPAddress unmapped(const Poco::Net::IPAddress& address) {
    if (address.family() == Poco::Net::IPAddress::IPv6 && address.isIPv4Mapped()) {
        const auto* bytes = static_cast<const unsigned char*>(address.addr());
        return Poco::Net::IPAddress(bytes + 12, 4);
    }
    return address;
}

bool samePrefix(const Poco::Net::IPAddress& a, const Poco::Net::IPAddress& b, unsigned prefix) {
    if (a.family() != b.family()) return false;
    const auto* x = static_cast<const unsigned char*>(a.addr());
    const auto* y = static_cast<const unsigned char*>(b.addr());
    const unsigned whole = prefix / 8;
    if (std::memcmp(x, y, whole) != 0) return false;
    const unsigned rest = prefix % 8;
    if (rest == 0) return true;
    const auto mask = static_cast<unsigned char>(0xffu << (8 - rest));
    return (x[whole] & mask) == (y[whole] & mask);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<CidrRange> CidrRange::parse(std::string_view text) {
    text = trim(text);
    const auto slash = text.find('/');
    const auto host = text.substr(0, slash);
    // Four dotted parts for IPv4: inet_aton's shorthands ("10.0.0" for 10.0.0.0) read as typos.
    if (host.find(':') == std::string_view::npos && std::count(host.begin(), host.end(), '.') != 3) return std::nullopt;
    Poco::Net::IPAddress address;
    if (!Poco::Net::IPAddress::tryParse(std::string(text.substr(0, slash)), address)) return std::nullopt;
    address = unmapped(address);
    const unsigned bits = address.family() == Poco::Net::IPAddress::IPv4 ? 32 : 128;
    unsigned prefix = bits;
    if (slash != std::string_view::npos) {
        const auto digits = text.substr(slash + 1);
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
        if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || prefix > bits)
            return std::nullopt;
    }
    CidrRange range;
    range.network_ = address;
    range.prefix_ = prefix;
    return range;
}

bool CidrRange::contains(const Poco::Net::IPAddress& address) const {
    return samePrefix(network_, unmapped(address), prefix_);
}

std::string CidrRange::toString() const {
    return network_.toString() + "/" + std::to_string(prefix_);
}

std::optional<std::vector<CidrRange>> parseCidrList(std::string_view text, std::string* bad) {
    std::vector<CidrRange> ranges;
    while (!trim(text).empty()) {
        const auto comma = text.find(',');
        const auto entry = trim(text.substr(0, comma));
        auto range = CidrRange::parse(entry);
        if (!range) {
            if (bad) *bad = std::string(entry);
            return std::nullopt;
        }
        ranges.push_back(*range);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return ranges;
}

bool anyContains(const std::vector<CidrRange>& ranges, const Poco::Net::IPAddress& address) {
    for (const auto& r : ranges)
        if (r.contains(address)) return true;
    return false;
}

}  // namespace b3s::core::util
