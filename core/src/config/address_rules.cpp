#include "config/address_rules.hpp"

#include "util/ascii.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace b3s::core::config {
namespace {

std::optional<unsigned> parseNumber(std::string_view text, unsigned max) {
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value > max) return std::nullopt;
    return value;
}

// Strict literals only (inet_pton): "10" or "127.1" in a rule is a typo, not an address.
std::optional<Poco::Net::IPAddress> parseAddress(const std::string& text, bool v6) {
    unsigned char bytes[16];
    if (::inet_pton(v6 ? AF_INET6 : AF_INET, text.c_str(), bytes) != 1) return std::nullopt;
    return Poco::Net::IPAddress(bytes, v6 ? 16 : 4);
}

bool validHostName(std::string_view name) {
    if (name.empty() || name.size() > 253) return false;
    std::size_t label = 0;
    for (const char c : name) {
        if (c == '.') {
            if (label == 0) return false;
            label = 0;
            continue;
        }
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') || ++label > 63) return false;
    }
    // A last label of digits only is an IPv4 address with a typo (300.1.1.1), not a name.
    const auto last = name.substr(name.rfind('.') + 1);
    return label > 0 && !std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The network part of an entry: an address with an optional /prefix.
bool parseNetwork(std::string_view text, bool v6, AddressRule& rule) {
    const auto slash = text.find('/');
    const auto address = parseAddress(std::string(text.substr(0, slash)), v6);
    if (!address) return false;
    const unsigned full = v6 ? 128 : 32;
    unsigned bits = full;
    if (slash != std::string_view::npos) {
        const auto parsed = parseNumber(text.substr(slash + 1), full);
        if (!parsed) return false;
        bits = *parsed;
    }
    rule.kind = AddressRule::Kind::Network;
    rule.network = *address;
    rule.prefix_bits = bits;
    // ::ffff:a.b.c.d/96+n is the IPv4 network a.b.c.d/n: addresses are compared as IPv4.
    if (v6 && address->isIPv4Mapped() && bits >= 96) {
        const auto* raw = static_cast<const unsigned char*>(address->addr());
        rule.network = Poco::Net::IPAddress(raw + 12, 4);
        rule.prefix_bits = bits - 96;
    }
    return true;
}

std::optional<AddressRule> parseEntry(std::string_view entry) {
    AddressRule rule;
    rule.text = std::string(entry);
    std::string_view where = entry;
    std::string_view port_text;
    if (where.front() == '[') {
        // [v6], [v6/len], [v6]/len, each optionally followed by :port
        const auto close = where.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        std::string inside(where.substr(1, close - 1));
        auto rest = where.substr(close + 1);
        if (!rest.empty() && rest.front() == '/') {
            const auto colon = rest.find(':');
            inside += std::string(rest.substr(0, colon));
            rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon);
        }
        if (!rest.empty()) {
            if (rest.front() != ':') return std::nullopt;
            port_text = rest.substr(1);
            if (port_text.empty()) return std::nullopt;
        }
        if (!parseNetwork(inside, true, rule)) return std::nullopt;
    } else if (std::count(where.begin(), where.end(), ':') > 1) {
        if (!parseNetwork(where, true, rule)) return std::nullopt;  // bare IPv6: no port
    } else {
        if (const auto colon = where.rfind(':'); colon != std::string_view::npos) {
            port_text = where.substr(colon + 1);
            where = where.substr(0, colon);
            if (port_text.empty()) return std::nullopt;
        }
        if (where.find('/') != std::string_view::npos || parseAddress(std::string(where), false)) {
            if (!parseNetwork(where, false, rule)) return std::nullopt;
        } else {
            std::string name(where);
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (name.ends_with('.')) name.pop_back();
            if (name.starts_with("*.")) {
                if (!validHostName(name.substr(2))) return std::nullopt;
                rule.kind = AddressRule::Kind::HostSuffix;
                rule.host = name.substr(1);  // ".example.org"
            } else {
                if (!validHostName(name)) return std::nullopt;
                rule.kind = AddressRule::Kind::Host;
                rule.host = name;
            }
        }
    }
    if (!port_text.empty()) {
        const auto port = parseNumber(port_text, 65535);
        if (!port || *port == 0) return std::nullopt;
        rule.port = static_cast<std::uint16_t>(*port);
    }
    return rule;
}

}  // namespace

std::optional<std::vector<AddressRule>> parseAddressRules(std::string_view list, std::string& error) {
    std::vector<AddressRule> rules;
    std::size_t pos = 0;
    while (pos <= list.size()) {
        const auto comma = list.find(',', pos);
        const auto raw = list.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
        const auto entry = trimAny(raw, " \t");
        if (!entry.empty()) {
            auto rule = parseEntry(entry);
            if (!rule) {
                error = fmt::format(
                    "entry {:?} is neither an address or CIDR network (IPv6 in brackets when a port "
                    "follows) nor a host name or *.domain, each with an optional :port",
                    std::string(entry));
                return std::nullopt;
            }
            rules.push_back(std::move(*rule));
        }
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return rules;
}

}  // namespace b3s::core::config
