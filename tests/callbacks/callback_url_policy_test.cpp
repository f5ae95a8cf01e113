// Where callbacks may go: every class of address refused by default, in IPv4, IPv6 and
// IPv4-in-IPv6 spelling, as an attacker would write them into a callback URL; what allow and
// deny entries change; and the connect-time check through the real HTTP client, where a host
// name is judged by what it resolves to.

#include "callbacks/callback_url_policy.hpp"
#include "cluster/backend_client.hpp"
#include "config/address_rules.hpp"
#include "frontend_receiver.hpp"

#include <Poco/Net/IPAddress.h>

#include <gtest/gtest.h>

namespace b3s::test {
namespace {

using core::callbacks::CallbackUrlPolicy;
using Poco::Net::IPAddress;

std::vector<core::config::AddressRule> rules(const std::string& text) {
    std::string error;
    auto parsed = core::config::parseAddressRules(text, error);
    EXPECT_TRUE(parsed) << text << ": " << error;
    return parsed ? *parsed : std::vector<core::config::AddressRule>{};
}

CallbackUrlPolicy policy(const std::string& allow, const std::string& deny = "") {
    return CallbackUrlPolicy(rules(allow), rules(deny));
}

std::optional<std::string> refusalOf(const CallbackUrlPolicy& p, const std::string& address, std::uint16_t port = 80,
                                     const std::string& host = "") {
    return p.refusal(IPAddress(address), port, host);
}

TEST(CallbackUrlPolicy, RefusesEveryInternalClassByDefault) {
    const CallbackUrlPolicy p;
    const std::vector<std::pair<std::string, std::string>> refused = {
        {"127.0.0.1", "loopback"},
        {"127.255.255.254", "loopback"},
        {"10.1.2.3", "private"},
        {"172.16.0.1", "private"},
        {"172.31.255.255", "private"},
        {"192.168.1.1", "private"},
        {"169.254.169.254", "link-local"},  // the cloud metadata service
        {"100.64.0.1", "carrier-grade NAT"},
        {"100.127.255.255", "carrier-grade NAT"},
        {"224.0.0.1", "multicast"},
        {"239.255.255.250", "multicast"},
        {"0.0.0.0", "unspecified"},
        {"0.1.2.3", "unspecified"},
        {"255.255.255.255", "broadcast"},
        {"::1", "loopback"},
        {"::", "unspecified"},
        {"fe80::1", "link-local"},
        {"fc00::1", "private"},
        {"fd12:3456:789a::1", "private"},
        {"fec0::1", "private"},
        {"ff02::1", "multicast"},
        // IPv4 inside IPv6 reaches the IPv4 address.
        {"::ffff:127.0.0.1", "loopback"},
        {"::ffff:10.0.0.1", "private"},
        {"::ffff:169.254.169.254", "link-local"},
        {"::ffff:100.64.0.1", "carrier-grade NAT"},
        {"::127.0.0.1", "loopback"},
        {"::192.168.0.1", "private"},
    };
    for (const auto& [address, what] : refused) {
        const auto why = refusalOf(p, address);
        ASSERT_TRUE(why) << address << " was allowed";
        EXPECT_NE(why->find(what), std::string::npos) << address << ": " << *why;
        EXPECT_NE(why->find("B3SCALE_CALLBACK_ALLOW"), std::string::npos) << *why;
    }
    for (const std::string address :
         {"8.8.8.8", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1", "192.169.0.1", "169.253.0.1",
          "223.255.255.255", "2001:4860:4860::8888", "::ffff:8.8.8.8", "2a00:1450:4001::1"})
        EXPECT_FALSE(refusalOf(p, address)) << address << ": " << refusalOf(p, address).value_or("");
}

TEST(CallbackUrlPolicy, UrlsAreJudgedByTheirSchemeAndAddressLiterals) {
    const CallbackUrlPolicy p;
    for (const char* url :
         {"ftp://example.org/cb", "file:///etc/passwd", "gopher://example.org:70/", "javascript:alert(1)",
          "http:///nohost", "not a url", "http://127.0.0.1:8080/internal-admin", "http://[::1]/x",
          "http://[::ffff:7f00:1]/x", "http://[::ffff:127.0.0.1]:9000/", "http://2130706433/", "http://127.1/",
          "http://0x7f.0.0.1/", "http://017700000001/", "https://169.254.169.254/latest/meta-data/",
          "http://[fe80::1%25eth0]/", "HTTP://10.0.0.1/"}) {
        EXPECT_TRUE(p.refusal(std::string_view(url))) << url;
    }
    // Names are judged at connect time, on what they resolve to; userinfo is allowed.
    for (const char* url :
         {"https://moodle.example.org/mod/bigbluebuttonbn/bbb_broker.php?action=meeting_events", "http://localhost/x",
          "http://user:secret@example.org/cb", "https://[2001:db8::1]:8443/cb", "http://8.8.8.8/cb"}) {
        EXPECT_FALSE(p.refusal(std::string_view(url))) << url << ": " << p.refusal(std::string_view(url)).value_or("");
    }
    EXPECT_NE(p.refusal(std::string_view("ftp://example.org/"))->find("ftp"), std::string::npos);
}

TEST(CallbackUrlPolicy, AllowEntriesLiftTheDefaultForTheirAddressAndPort) {
    const auto p = policy("127.0.0.1:8080, 10.0.0.0/8, [fd00::/8]:443, ::ffff:192.168.0.0/120");
    EXPECT_FALSE(refusalOf(p, "127.0.0.1", 8080));
    EXPECT_TRUE(refusalOf(p, "127.0.0.1", 8081));
    EXPECT_TRUE(refusalOf(p, "127.0.0.2", 8080));
    EXPECT_FALSE(refusalOf(p, "::ffff:127.0.0.1", 8080)) << "mapped IPv6 is the IPv4 address";
    EXPECT_FALSE(refusalOf(p, "10.200.3.4", 1));
    EXPECT_FALSE(refusalOf(p, "::ffff:10.200.3.4", 65535));
    EXPECT_TRUE(refusalOf(p, "192.168.1.1", 80));
    EXPECT_FALSE(refusalOf(p, "192.168.0.9", 80));
    EXPECT_FALSE(refusalOf(p, "fd12::1", 443));
    EXPECT_TRUE(refusalOf(p, "fd12::1", 80));
    EXPECT_TRUE(refusalOf(p, "fc00::1", 443)) << "fc00::/8 is not fd00::/8";
    EXPECT_FALSE(p.refusal(std::string_view("http://127.0.0.1:8080/hook")));
    EXPECT_TRUE(p.refusal(std::string_view("http://127.0.0.1/hook")));
    EXPECT_FALSE(p.refusal(std::string_view("http://[::ffff:127.0.0.1]:8080/hook")));
}

TEST(CallbackUrlPolicy, DenyEntriesOverrideAllowEntriesAndTheDefault) {
    const auto p = policy("10.0.0.0/8,hooks.internal.example", "10.0.0.5,203.0.113.0/24,8.8.8.8:53,[2001:db8::]/32");
    EXPECT_FALSE(refusalOf(p, "10.0.0.6"));
    const auto denied = refusalOf(p, "10.0.0.5");
    ASSERT_TRUE(denied);
    EXPECT_NE(denied->find("B3SCALE_CALLBACK_DENY"), std::string::npos) << *denied;
    EXPECT_TRUE(refusalOf(p, "::ffff:10.0.0.5"));
    EXPECT_TRUE(refusalOf(p, "203.0.113.77", 443));
    EXPECT_TRUE(refusalOf(p, "8.8.8.8", 53));
    EXPECT_FALSE(refusalOf(p, "8.8.8.8", 443));
    EXPECT_TRUE(refusalOf(p, "2001:db8:1::1", 443));
    // An allowed name cannot reach a denied address.
    EXPECT_TRUE(refusalOf(p, "10.0.0.5", 80, "hooks.internal.example"));
    EXPECT_TRUE(p.refusal(std::string_view("https://203.0.113.1/cb")));
}

TEST(CallbackUrlPolicy, NameEntriesMatchExactNamesAndSubdomainsCaseInsensitively) {
    const auto p = policy("hooks.internal.example, *.corp.example:8443", "evil.example,*.bad.example,x.corp.example");
    // An allowed name is trusted whatever it resolves to.
    EXPECT_FALSE(refusalOf(p, "10.1.1.1", 80, "hooks.internal.example"));
    EXPECT_FALSE(refusalOf(p, "10.1.1.1", 80, "Hooks.Internal.Example."));
    EXPECT_TRUE(refusalOf(p, "10.1.1.1", 80, "other.internal.example"));
    EXPECT_TRUE(refusalOf(p, "10.1.1.1", 80, "hooks.internal.example.attacker.org"));
    EXPECT_FALSE(refusalOf(p, "192.168.3.3", 8443, "a.corp.example"));
    EXPECT_FALSE(refusalOf(p, "192.168.3.3", 8443, "a.b.corp.example"));
    EXPECT_TRUE(refusalOf(p, "192.168.3.3", 8443, "corp.example")) << "*.domain is below the domain only";
    EXPECT_TRUE(refusalOf(p, "192.168.3.3", 8443, "notcorp.example"));
    EXPECT_TRUE(refusalOf(p, "192.168.3.3", 80, "a.corp.example")) << "the entry names its port";
    EXPECT_TRUE(refusalOf(p, "192.168.3.3", 8443, "x.corp.example")) << "deny wins over allow";
    // A denied name is refused before any resolution, and whatever it resolves to.
    EXPECT_TRUE(p.refusal(std::string_view("https://evil.example/cb")));
    EXPECT_TRUE(p.refusal(std::string_view("https://EVIL.example./cb")));
    EXPECT_TRUE(p.refusal(std::string_view("https://a.bad.example/cb")));
    EXPECT_FALSE(p.refusal(std::string_view("https://bad.example/cb")));
    EXPECT_TRUE(refusalOf(p, "8.8.8.8", 443, "evil.example"));
    EXPECT_FALSE(refusalOf(p, "8.8.8.8", 443, "fine.example"));
}

TEST(CallbackUrlPolicy, EntriesThatAreNotValidAreRefusedWithTheEntry) {
    for (const char* bad : {"10.0.0.0/33", "[::1", "[fd00::]:x", "1.2.3.4:0", "1.2.3.4:65536", "host name", "*.",
                            "a*.example.org", "1.2.3.4/8/9", "300.1.1.1", "fd00::/129", "[::1]:", "10.0.0.1:"}) {
        std::string error;
        EXPECT_FALSE(core::config::parseAddressRules(bad, error)) << bad;
        EXPECT_NE(error.find(bad), std::string::npos) << error;
    }
    std::string error;
    const auto ok = core::config::parseAddressRules(" 10.0.0.1 ,, [::1]:8080,*.Example.ORG:443 ,", error);
    ASSERT_TRUE(ok) << error;
    ASSERT_EQ(ok->size(), 3u);
    EXPECT_EQ((*ok)[1].port, 8080);
    EXPECT_EQ((*ok)[2].host, ".example.org");
}

// The decisive check, where the connection is made: the client resolves the name itself,
// checks every address, and connects only to a checked one.
class ConnectTimeCheck : public ::testing::Test {
protected:
    core::cluster::BackendCallResult call(const CallbackUrlPolicy& p, const std::string& url) {
        core::cluster::BackendClientOptions options;
        options.address_check = [&p](std::string_view host, const IPAddress& address, std::uint16_t port) {
            return p.refusal(address, port, host);
        };
        core::cluster::BackendClient client(options);
        return client.call({"GET", url, "", ""});
    }
    std::string port() const { return std::to_string(receiver_.port()); }

    FrontendReceiver receiver_;
};

TEST_F(ConnectTimeCheck, ANameThatResolvesToLoopbackIsRefusedBeforeAnyConnection) {
    const CallbackUrlPolicy p;
    for (const auto& url : {"http://localhost:" + port() + "/internal-admin", "http://127.0.0.1:" + port() + "/x",
                            "http://user:pw@localhost:" + port() + "/x"}) {
        const auto r = call(p, url);
        ASSERT_FALSE(r.ok()) << url;
        EXPECT_EQ(r.error.kind, core::cluster::BackendCallError::Kind::Refused) << r.error.message;
        EXPECT_NE(r.error.message.find("loopback"), std::string::npos) << r.error.message;
        EXPECT_EQ(r.error.message.find("pw"), std::string::npos) << r.error.message;
    }
    EXPECT_FALSE(receiver_.waitFor(1, std::chrono::milliseconds(300)));
    EXPECT_EQ(receiver_.requests().size(), 0u);
}

TEST_F(ConnectTimeCheck, AnAllowedAddressIsCalledWithTheUrlsHostAndCredentials) {
    const auto p = policy("127.0.0.1:" + port());
    auto r = call(p, "http://localhost:" + port() + "/ok?x=1");
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.response->status, 200);
    r = call(p, "http://hook:s3cret@127.0.0.1:" + port() + "/auth");
    ASSERT_TRUE(r.ok()) << r.error.message;
    ASSERT_TRUE(receiver_.waitFor(2));
    const auto got = receiver_.requests();
    EXPECT_EQ(got[0].target, "/ok?x=1");
    EXPECT_EQ(got[0].host, "localhost:" + port());
    EXPECT_EQ(got[1].authorization, "Basic aG9vazpzM2NyZXQ=");  // hook:s3cret
    // Another port of the same address stays refused.
    const auto other = call(policy("127.0.0.1:1"), "http://127.0.0.1:" + port() + "/no");
    EXPECT_EQ(other.error.kind, core::cluster::BackendCallError::Kind::Refused);
    EXPECT_EQ(receiver_.requests().size(), 2u);
}

}  // namespace
}  // namespace b3s::test
