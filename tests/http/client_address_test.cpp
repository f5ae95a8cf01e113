// Who sent a request (http/client_address.hpp): X-Forwarded-For only through trusted proxies,
// read from the right, so a client cannot pick the address fail2ban bans.

#include "http/client_address.hpp"

#include <gtest/gtest.h>

namespace b3s::core::http {
namespace {

Poco::Net::IPAddress ip(const std::string& text) {
    return Poco::Net::IPAddress(text);
}

const auto kLoopback = *util::parseCidrList("127.0.0.1/32,::1/128");

TEST(ClientAddress, AnUntrustedPeerIsTheClientWhateverItClaims) {
    EXPECT_EQ(clientAddressOf(ip("203.0.113.5"), "198.51.100.7", kLoopback), "203.0.113.5");
    EXPECT_EQ(clientAddressOf(ip("127.0.0.1"), "198.51.100.7", {}), "127.0.0.1") << "no proxy trusted";
}

TEST(ClientAddress, BehindATrustedProxyTheRightmostUntrustedEntryIsTheClient) {
    // nginx appends the address it saw: a client's own header stays to the left of it.
    EXPECT_EQ(clientAddressOf(ip("127.0.0.1"), "198.51.100.7", kLoopback), "198.51.100.7");
    EXPECT_EQ(clientAddressOf(ip("127.0.0.1"), "1.2.3.4, 198.51.100.7", kLoopback), "198.51.100.7")
        << "the spoofed 1.2.3.4 was sent by the client itself";
    const auto chain = *util::parseCidrList("127.0.0.1/32,10.0.0.0/8");
    EXPECT_EQ(clientAddressOf(ip("127.0.0.1"), "198.51.100.7, 10.1.1.1", chain), "198.51.100.7")
        << "past a second trusted proxy";
    EXPECT_EQ(clientAddressOf(ip("127.0.0.1"), "10.9.9.9, 10.1.1.1", chain), "10.9.9.9") << "all trusted: the leftmost";
    EXPECT_EQ(clientAddressOf(ip("127.0.0.1"), "", kLoopback), "127.0.0.1") << "no header: the proxy itself";
}

TEST(ClientAddress, EntriesWithPortsAndIpv6AreRead) {
    EXPECT_EQ(clientAddressOf(ip("::1"), "[2001:db8::7]:4711", kLoopback), "2001:db8::7");
    EXPECT_EQ(clientAddressOf(ip("::1"), "2001:db8::8", kLoopback), "2001:db8::8");
    EXPECT_EQ(clientAddressOf(ip("127.0.0.1"), "198.51.100.7:5555", kLoopback), "198.51.100.7");
    EXPECT_EQ(clientAddressOf(ip("::ffff:127.0.0.1"), "198.51.100.9", kLoopback), "198.51.100.9");
}

TEST(ClientAddress, AMalformedEntryStopsAtTheLastAddressATrustedProxyVouchedFor) {
    EXPECT_EQ(clientAddressOf(ip("127.0.0.1"), "198.51.100.7, unknown", kLoopback), "127.0.0.1");
    const auto chain = *util::parseCidrList("127.0.0.1/32,10.0.0.0/8");
    EXPECT_EQ(clientAddressOf(ip("127.0.0.1"), "garbage, 10.1.1.1", chain), "10.1.1.1");
}

}  // namespace
}  // namespace b3s::core::http
