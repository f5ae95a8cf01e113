#pragma once
// Where callbacks to frontends may go. A callback URL comes from a tenant (the create's
// meta_endCallbackUrl, meetingEndedURL, bbb-recording-ready-url) and is called by b3scaled
// from inside the operator's network, so by default it must not reach what only that network
// reaches: loopback, link-local, private networks (RFC 1918, fc00::/7), CGNAT (100.64.0.0/10),
// multicast, unspecified and broadcast/reserved addresses — also written as IPv4-mapped or
// IPv4-compatible IPv6 — and nothing but http and https.
//
// B3SCALE_CALLBACK_ALLOW entries (config/address_rules.hpp) lift the default refusal for what
// they match; B3SCALE_CALLBACK_DENY entries refuse what they match, over both. An allowed host
// name is trusted whatever it resolves to; a denied one is refused whatever it resolves to.
//
// The decisive check is made at connect time on every address the host name resolves to, and
// the connection goes to one of those checked addresses (cluster::BackendClientOptions::
// address_check): a name cannot resolve to a public address for the check and to 127.0.0.1
// for the connection. refusal(url) is the part that needs no DNS, for create time and logs.
//
// Userinfo (user:password@) is allowed: a frontend may protect its callback endpoint with
// HTTP basic auth, which the delivery sends. It is never logged or shown (redactUserinfo).
//
// Thread-safety: immutable after construction; every method may be called concurrently.

#include "config/address_rules.hpp"

#include <Poco/Net/IPAddress.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::callbacks {

class CallbackUrlPolicy {
public:
    CallbackUrlPolicy() = default;  ///< the default refusals, no entries
    CallbackUrlPolicy(std::vector<config::AddressRule> allow, std::vector<config::AddressRule> deny);

    /// Why `url` must not be called, from the URL alone: not http(s), no host, an address
    /// literal that is refused, a host name a deny entry names. nullopt: nothing against it
    /// yet (a host name is checked again at connect time, on what it resolves to).
    std::optional<std::string> refusal(std::string_view url) const;

    /// Why a connection to `address`:`port` must not be made. `host_name` is the URL's host
    /// when it was a name (matched against the name entries), empty for an address literal.
    std::optional<std::string> refusal(const Poco::Net::IPAddress& address, std::uint16_t port,
                                       std::string_view host_name = {}) const;

private:
    std::vector<config::AddressRule> allow_;
    std::vector<config::AddressRule> deny_;
};

/// The class of addresses `address` belongs to that callbacks may not reach by default
/// ("loopback", "private", …), or nullopt for a public address. IPv4-mapped and
/// IPv4-compatible IPv6 addresses are judged as the IPv4 address they carry.
std::optional<std::string_view> defaultRefusedClass(const Poco::Net::IPAddress& address);

}  // namespace b3s::core::callbacks
