#pragma once
// B3SCALE_CALLBACK_ALLOW and B3SCALE_CALLBACK_DENY: comma-separated entries that say where
// callbacks to frontends may go. An entry is
//   - an address or a CIDR network, IPv4 (10.1.2.3, 10.0.0.0/8) or IPv6 (fd00::/8, ::1),
//   - or a host name, exact (hooks.example.org) or every name below a domain (*.example.org),
// each optionally with :port (IPv6 then in brackets: [fd00::/8]:443, [::1]:8080). An entry
// without a port matches every port. callbacks/callback_url_policy.hpp applies them.

#include <Poco/Net/IPAddress.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::config {

struct AddressRule {
    enum class Kind {
        Network,     ///< `network`/`prefix_bits`
        Host,        ///< exactly the name `host`
        HostSuffix,  ///< any name ending in `host` (".example.org"), not the domain itself
    };
    Kind kind = Kind::Network;
    /// Network: an IPv4-mapped IPv6 network (::ffff:10.0.0.0/104) is stored as its IPv4 one.
    Poco::Net::IPAddress network;
    unsigned prefix_bits = 0;
    std::string host;                   ///< lower case, no trailing dot
    std::optional<std::uint16_t> port;  ///< nullopt: any port
    std::string text;                   ///< the entry as written, for messages
};

/// Parses a comma-separated list (blank entries are skipped). nullopt when an entry is not
/// valid; `error` then says which and why.
std::optional<std::vector<AddressRule>> parseAddressRules(std::string_view list, std::string& error);

}  // namespace b3s::core::config
