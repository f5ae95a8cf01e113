#include "callbacks/callback_url_policy.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <fmt/format.h>

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

namespace b3s::core::callbacks {
namespace {

using config::AddressRule;
using Poco::Net::IPAddress;

const unsigned char* bytesOf(const IPAddress& a) {
    return static_cast<const unsigned char*>(a.addr());
}

bool inPrefix(const IPAddress& address, const IPAddress& network, unsigned bits) {
    if (address.family() != network.family()) return false;
    const auto* a = bytesOf(address);
    const auto* n = bytesOf(network);
    const unsigned whole = bits / 8;
    const unsigned rest = bits % 8;
    if (std::memcmp(a, n, whole) != 0) return false;
    if (rest == 0) return true;
    const auto mask = static_cast<unsigned char>(0xffu << (8 - rest));
    return ((a[whole] ^ n[whole]) & mask) == 0;
}

// An IPv6 address that carries an IPv4 one (::ffff:a.b.c.d, or the old ::a.b.c.d) reaches
// that IPv4 address, so it is judged as it.
IPAddress embeddedIpv4OrSelf(const IPAddress& address) {
    if (address.family() != IPAddress::IPv6) return address;
    const auto* b = bytesOf(address);
    const bool zero_head = std::all_of(b, b + 10, [](unsigned char c) { return c == 0; });
    if (!zero_head) return address;
    const bool mapped = b[10] == 0xff && b[11] == 0xff;
    const bool compatible = b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] <= 1);
    if (mapped || compatible) return IPAddress(b + 12, 4);
    return address;
}

struct RefusedNetwork {
    const char* network;
    unsigned bits;
    std::string_view what;
};

const std::array<RefusedNetwork, 14> kRefused = {{
    {"0.0.0.0", 8, "unspecified"},
    {"127.0.0.0", 8, "loopback"},
    {"10.0.0.0", 8, "private"},
    {"172.16.0.0", 12, "private"},
    {"192.168.0.0", 16, "private"},
    {"169.254.0.0", 16, "link-local"},
    {"100.64.0.0", 10, "carrier-grade NAT"},
    {"224.0.0.0", 4, "multicast"},
    {"255.255.255.255", 32, "broadcast"},
    {"240.0.0.0", 4, "reserved"},
    {"::", 127, "unspecified or loopback"},  // :: and ::1
    {"fe80::", 10, "link-local"},
    {"fc00::", 7, "private"},  // unique local; fec0::/10 below is the old site-local
    {"ff00::", 8, "multicast"},
}};

bool portMatches(const AddressRule& rule, std::uint16_t port) {
    return !rule.port || *rule.port == port;
}

bool matchesAddress(const AddressRule& rule, const IPAddress& address, std::uint16_t port) {
    return rule.kind == AddressRule::Kind::Network && portMatches(rule, port) &&
           inPrefix(address, rule.network, rule.prefix_bits);
}

bool matchesName(const AddressRule& rule, std::string_view name, std::uint16_t port) {
    if (name.empty() || !portMatches(rule, port)) return false;
    if (rule.kind == AddressRule::Kind::Host) return name == rule.host;
    if (rule.kind == AddressRule::Kind::HostSuffix) return name.size() > rule.host.size() && name.ends_with(rule.host);
    return false;
}

std::string normalisedHost(std::string host) {
    std::transform(host.begin(), host.end(), host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (host.size() > 1 && host.back() == '.') host.pop_back();
    return host;
}

// A host that is an address, in every spelling the resolver would take as one: besides
// dotted quads also 127.1, 2130706433, 0x7f.0.0.1 and 017700000001 (inet_aton's forms).
// An IPv6 literal (the only hosts with ':') is judged without its zone (fe80::1%eth0).
std::optional<IPAddress> addressLiteral(const std::string& host) {
    in_addr v4{};
    if (::inet_aton(host.c_str(), &v4) != 0) return IPAddress(&v4, sizeof v4);
    in6_addr v6{};
    if (host.find(':') != std::string::npos && ::inet_pton(AF_INET6, host.substr(0, host.find('%')).c_str(), &v6) == 1)
        return IPAddress(&v6, sizeof v6);
    return std::nullopt;
}

}  // namespace

std::optional<std::string_view> defaultRefusedClass(const IPAddress& address) {
    const auto judged = embeddedIpv4OrSelf(address);
    static const IPAddress site_local("fec0::");
    if (inPrefix(judged, site_local, 10)) return "private";
    for (const auto& refused : kRefused) {
        if (inPrefix(judged, IPAddress(refused.network), refused.bits)) return refused.what;
    }
    return std::nullopt;
}

CallbackUrlPolicy::CallbackUrlPolicy(std::vector<config::AddressRule> allow, std::vector<config::AddressRule> deny)
    : allow_(std::move(allow)), deny_(std::move(deny)) {}

std::optional<std::string> CallbackUrlPolicy::refusal(const IPAddress& address, std::uint16_t port,
                                                      std::string_view host_name) const {
    const auto judged = embeddedIpv4OrSelf(address);
    const auto name = normalisedHost(std::string(host_name));
    for (const auto& rule : deny_)
        if (matchesAddress(rule, judged, port) || matchesName(rule, name, port))
            return fmt::format("{} port {} is denied by B3SCALE_CALLBACK_DENY entry {}", judged.toString(), port,
                               rule.text);
    for (const auto& rule : allow_)
        if (matchesAddress(rule, judged, port) || matchesName(rule, name, port)) return std::nullopt;
    if (const auto what = defaultRefusedClass(judged))
        return fmt::format("{} is a {} address; callbacks may reach it only through a B3SCALE_CALLBACK_ALLOW entry",
                           judged.toString(), *what);
    return std::nullopt;
}

std::optional<std::string> CallbackUrlPolicy::refusal(std::string_view url) const {
    Poco::URI uri;
    try {
        uri = Poco::URI(std::string(url));
    } catch (const Poco::Exception&) {
        return "the callback URL is not a valid URL";
    }
    const auto scheme = uri.getScheme();
    if (scheme != "http" && scheme != "https")
        return fmt::format("the scheme {:?} is not allowed: callbacks use http or https", scheme);
    const auto host = normalisedHost(uri.getHost());
    if (host.empty()) return "the callback URL has no host";
    const auto port = uri.getPort();
    if (const auto literal = addressLiteral(host)) return refusal(*literal, port);
    if (host.find(':') != std::string::npos) return "the callback URL's host is not a valid address";
    for (const auto& rule : deny_)
        if (matchesName(rule, host, port))
            return fmt::format("{} is denied by B3SCALE_CALLBACK_DENY entry {}", host, rule.text);
    return std::nullopt;
}

}  // namespace b3s::core::callbacks
