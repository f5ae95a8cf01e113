#pragma once
// Who sent a request, as the access log and every security event name it (so fail2ban can act
// on the real client behind nginx): the TCP peer, unless the peer is a trusted proxy
// (B3SCALE_TRUSTED_PROXIES) — then X-Forwarded-For is read from the right, past every address
// that is itself a trusted proxy, and the first other one is the client. A client cannot
// choose its address by sending the header itself: only what trusted proxies appended counts,
// and a malformed entry stops the walk at the last address a trusted proxy vouched for.

#include "util/cidr.hpp"

#include <Poco/Net/IPAddress.h>

#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::http {

/// `forwarded_for`: every X-Forwarded-For value of the request joined by commas, in order.
/// Pure.
std::string clientAddressOf(const Poco::Net::IPAddress& peer, std::string_view forwarded_for,
                            const std::vector<util::CidrRange>& trusted);

}  // namespace b3s::core::http
