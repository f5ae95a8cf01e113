#pragma once
// IP address ranges in CIDR notation ("10.0.0.0/8", "::1/128", a bare address = one host),
// for B3SCALE_TRUSTED_PROXIES. IPv4-mapped IPv6 addresses ("::ffff:10.1.2.3") match the IPv4
// ranges, as a dual-stack socket reports IPv4 peers that way.

#include <Poco/Net/IPAddress.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::util {

class CidrRange {
public:
    /// "address/prefix" or a bare address; nullopt for anything else (a prefix beyond the
    /// family's bits, host bits set are allowed and ignored).
    static std::optional<CidrRange> parse(std::string_view text);
    bool contains(const Poco::Net::IPAddress& address) const;
    std::string toString() const;

private:
    Poco::Net::IPAddress network_;
    unsigned prefix_ = 0;
};

/// A comma-separated list of ranges (spaces allowed); nullopt with `bad` naming the first
/// entry that is none. An empty list is valid (no range).
std::optional<std::vector<CidrRange>> parseCidrList(std::string_view text, std::string* bad = nullptr);

/// Whether any range contains `address`.
bool anyContains(const std::vector<CidrRange>& ranges, const Poco::Net::IPAddress& address);

}  // namespace b3s::core::util
