// bbb-web.properties as the agent reads it: substitution, cycles, missing keys.
#include "bbb_properties.hpp"
#include "agent_exit.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace b3s::agent::test {
namespace {

TEST(BbbProperties, ReadsKeyValueLinesTrimmedSkippingCommentsAndLinesWithoutEquals) {
    const auto p = BbbProperties::parse(
        "# a comment\n"
        "   # an indented comment = not a key\n"
        "plain=value\n"
        "  spaced.key  =   spaced value  \r\n"
        "no equals sign here\n"
        "url=https://bbb.example.org/a=b\n"
        "empty=\n"
        "=no key\n"
        "plain=later wins\n");
    EXPECT_EQ(p.get("plain"), "later wins");
    EXPECT_EQ(p.get("spaced.key"), "spaced value");
    EXPECT_EQ(p.get("url"), "https://bbb.example.org/a=b");
    EXPECT_EQ(p.get("empty"), "");
    EXPECT_FALSE(p.get("no equals sign here"));
    EXPECT_FALSE(p.get("# an indented comment"));
    EXPECT_FALSE(p.get("missing"));
    EXPECT_EQ(p.size(), 4u);
}

TEST(BbbProperties, SubstitutesReferencesAlsoChained) {
    const auto p = BbbProperties::parse(
        "bigbluebutton.web.serverURL=${scheme}://${host}\n"
        "scheme=https\n"
        "host=${name}.${domain}\n"
        "name=bbb1\n"
        "domain=example.org\n"
        "twice=${name}-${name}\n"
        "unknown=${not.there}/x\n"
        "unterminated=${name\n");
    EXPECT_EQ(p.get("bigbluebutton.web.serverURL"), "https://bbb1.example.org");
    EXPECT_EQ(p.raw("bigbluebutton.web.serverURL"), "${scheme}://${host}");
    EXPECT_EQ(p.get("twice"), "bbb1-bbb1");
    EXPECT_EQ(p.get("unknown"), "${not.there}/x");
    EXPECT_EQ(p.get("unterminated"), "${name");
}

TEST(BbbProperties, AReferenceCycleIsAnErrorNotAHang) {
    const auto p = BbbProperties::parse("a=${b}\nb=x${c}\nc=${a}\nself=${self}\nok=fine\n");
    EXPECT_THROW(p.get("a"), PropertiesError);
    EXPECT_THROW(p.get("self"), PropertiesError);
    EXPECT_EQ(p.get("ok"), "fine");
    try {
        p.get("a");
    } catch (const PropertiesError& e) {
        EXPECT_NE(std::string(e.what()).find("a -> b -> c -> a"), std::string::npos) << e.what();
    }
}

TEST(BbbNodeConfig, TakesServerUrlSecretAndRedisWithDefaults) {
    const auto c = bbbNodeConfig(
        BbbProperties::parse("bigbluebutton.web.serverURL=https://bbb.example.org//\nsecuritySalt=s3cr3t\n"));
    EXPECT_EQ(c.server_url, "https://bbb.example.org//");
    EXPECT_EQ(c.api_url, "https://bbb.example.org/bigbluebutton/api/");
    EXPECT_EQ(c.secret, "s3cr3t");
    EXPECT_EQ(c.redis_host, "localhost");
    EXPECT_EQ(c.redis_port, 6379);
    EXPECT_EQ(c.redis_password, "");

    const auto r = bbbNodeConfig(
        BbbProperties::parse("server=http://10.0.0.1:8080\nbigbluebutton.web.serverURL=${server}\nsecuritySalt=x\n"
                             "redisHost=10.0.0.2\nredisPort=6380\nredisPassword=pw\n"));
    EXPECT_EQ(r.api_url, "http://10.0.0.1:8080/bigbluebutton/api/");
    EXPECT_EQ(r.redis_host, "10.0.0.2");
    EXPECT_EQ(r.redis_port, 6380);
    EXPECT_EQ(r.redis_password, "pw");
}

int exitCodeOf(const std::string& text, std::string* key = nullptr, std::string* message = nullptr) {
    try {
        bbbNodeConfig(BbbProperties::parse(text));
    } catch (const AgentExit& e) {
        for (const auto& [k, v] : e.fields())
            if (k == "key" && key) *key = v;
        if (message) *message = e.what();
        return e.code();
    }
    return 0;
}

TEST(BbbNodeConfig, MissingOrInvalidKeysAreConfigurationErrorsNamingTheKey) {
    std::string key, message;
    EXPECT_EQ(exitCodeOf("securitySalt=x\n", &key), 78);
    EXPECT_EQ(key, "bigbluebutton.web.serverURL");
    EXPECT_EQ(exitCodeOf("bigbluebutton.web.serverURL=https://bbb.example.org\n", &key), 78);
    EXPECT_EQ(key, "securitySalt");
    EXPECT_EQ(exitCodeOf("bigbluebutton.web.serverURL=https://bbb.example.org\nsecuritySalt=\n", &key), 78);
    EXPECT_EQ(key, "securitySalt");
    EXPECT_EQ(exitCodeOf("bigbluebutton.web.serverURL=bbb.example.org\nsecuritySalt=x\n", &key), 78);
    EXPECT_EQ(key, "bigbluebutton.web.serverURL");
    EXPECT_EQ(exitCodeOf("bigbluebutton.web.serverURL=https://b\nsecuritySalt=x\nredisPort=63a\n", &key), 78);
    EXPECT_EQ(key, "redisPort");
    EXPECT_EQ(exitCodeOf("bigbluebutton.web.serverURL=${a}\na=${bigbluebutton.web.serverURL}\nsecuritySalt=x\n", &key,
                         &message),
              78);
    EXPECT_EQ(key, "bigbluebutton.web.serverURL");
    EXPECT_NE(message.find("cycle"), std::string::npos) << message;
}

TEST(BbbNodeConfig, TheSecretIsNeverInAnErrorMessage) {
    std::string message;
    EXPECT_EQ(exitCodeOf("securitySalt=very-secret-salt\nredisPassword=very-secret-pw\n", nullptr, &message), 78);
    EXPECT_EQ(message.find("very-secret"), std::string::npos) << message;
}

TEST(BbbNodeConfig, AnUnreadableFileIsAConfigurationError) {
    b3s::test::TempDir dir("agent-props");
    try {
        readBbbNodeConfig(dir / "missing.properties");
        FAIL() << "no error";
    } catch (const AgentExit& e) {
        EXPECT_EQ(e.code(), 78);
        EXPECT_EQ(e.event(), "bbb_config_unreadable");
        EXPECT_NE(std::string(e.what()).find("missing.properties"), std::string::npos) << e.what();
    }
    const auto file =
        dir.write("bbb-web.properties", "bigbluebutton.web.serverURL=https://b.example.org\nsecuritySalt=x\n");
    EXPECT_EQ(readBbbNodeConfig(file).api_url, "https://b.example.org/bigbluebutton/api/");
}

TEST(BbbNodeConfig, ApiUrlNormalisesSlashes) {
    EXPECT_EQ(bbbApiUrl("https://bbb.example.org"), "https://bbb.example.org/bigbluebutton/api/");
    EXPECT_EQ(bbbApiUrl("https://bbb.example.org/"), "https://bbb.example.org/bigbluebutton/api/");
    EXPECT_EQ(bbbApiUrl(" https://bbb.example.org/// "), "https://bbb.example.org/bigbluebutton/api/");
}

}  // namespace
}  // namespace b3s::agent::test
