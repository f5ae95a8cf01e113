#include "http/client_address.hpp"

namespace b3s::core::http {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The address of an X-Forwarded-For entry: "1.2.3.4", "2001:db8::1", "[2001:db8::1]" or with a
// port ("1.2.3.4:5678", "[2001:db8::1]:5678"), as proxies write them; false for anything else.
bool parseEntry(std::string_view entry, Poco::Net::IPAddress& address) {
    entry = trim(entry);
    if (entry.starts_with('[')) {
        const auto close = entry.find(']');
        if (close == std::string_view::npos) return false;
        entry = entry.substr(1, close - 1);
    } else if (entry.find(':') != std::string_view::npos && entry.find(':') == entry.rfind(':')) {
        entry = entry.substr(0, entry.find(':'));  // IPv4 with a port
    }
    return Poco::Net::IPAddress::tryParse(std::string(entry), address);
}

std::string shown(const Poco::Net::IPAddress& address) {
    if (address.family() == Poco::Net::IPAddress::IPv6 && address.isIPv4Mapped()) {
        const auto* bytes = static_cast<const unsigned char*>(address.addr());
        return Poco::Net::IPAddress(bytes + 12, 4).toString();
    }
    return address.toString();
}

}  // namespace

std::string clientAddressOf(const Poco::Net::IPAddress& peer, std::string_view forwarded_for,
                            const std::vector<util::CidrRange>& trusted) {
    Poco::Net::IPAddress client = peer;
    if (!util::anyContains(trusted, client)) return shown(client);
    // From the right: each address was appended by the hop before it.
    while (!forwarded_for.empty()) {
        const auto comma = forwarded_for.rfind(',');
        const auto entry = comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
        forwarded_for = comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
        Poco::Net::IPAddress hop;
        if (!parseEntry(entry, hop)) break;
        client = hop;
        if (!util::anyContains(trusted, client)) break;
    }
    return shown(client);
}

}  // namespace b3s::core::http
