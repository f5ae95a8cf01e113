// CIDR ranges (util/cidr.hpp): IPv4, IPv6, bare addresses, IPv4-mapped peers, bad entries.

#include "util/cidr.hpp"

#include <gtest/gtest.h>

namespace b3s::core::util {
namespace {

Poco::Net::IPAddress ip(const std::string& text) {
    return Poco::Net::IPAddress(text);
}

TEST(CidrRange, MatchesItsPrefixInEitherFamily) {
    const auto ten = CidrRange::parse("10.0.0.0/8");
    ASSERT_TRUE(ten);
    EXPECT_TRUE(ten->contains(ip("10.200.3.4")));
    EXPECT_FALSE(ten->contains(ip("11.0.0.1")));
    EXPECT_TRUE(ten->contains(ip("::ffff:10.1.2.3"))) << "a dual-stack socket's IPv4 peer";
    EXPECT_FALSE(ten->contains(ip("::1")));
    const auto odd = CidrRange::parse("192.168.4.0/22");
    ASSERT_TRUE(odd);
    EXPECT_TRUE(odd->contains(ip("192.168.7.255")));
    EXPECT_FALSE(odd->contains(ip("192.168.8.0")));
    const auto v6 = CidrRange::parse("2001:db8::/32");
    ASSERT_TRUE(v6);
    EXPECT_TRUE(v6->contains(ip("2001:db8:1::5")));
    EXPECT_FALSE(v6->contains(ip("2001:db9::5")));
    const auto host = CidrRange::parse(" 127.0.0.1 ");
    ASSERT_TRUE(host);
    EXPECT_TRUE(host->contains(ip("127.0.0.1")));
    EXPECT_FALSE(host->contains(ip("127.0.0.2")));
    EXPECT_TRUE(CidrRange::parse("0.0.0.0/0")->contains(ip("203.0.113.1")));
}

TEST(CidrRange, RefusesWhatIsNoRange) {
    for (const char* bad :
         {"", "10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/x", "example.org", "10.0.0/8", "10.0.0.0/-1"})
        EXPECT_FALSE(CidrRange::parse(bad)) << bad;
    std::string which;
    EXPECT_FALSE(parseCidrList("127.0.0.1/32, nonsense", &which));
    EXPECT_EQ(which, "nonsense");
    const auto list = parseCidrList("127.0.0.1/32, ::1/128");
    ASSERT_TRUE(list);
    EXPECT_EQ(list->size(), 2u);
    EXPECT_TRUE(parseCidrList("")->empty());
}

}  // namespace
}  // namespace b3s::core::util
