// The one helper that keeps a callback URL's password out of logs, API answers and b3scalectl.

#include "util/url_redaction.hpp"

#include <gtest/gtest.h>

namespace b3s::core {
namespace {

TEST(UrlRedaction, UserinfoBecomesStars) {
    EXPECT_EQ(redactUserinfo("https://user:pa55@hooks.example.org/cb?x=1"), "https://***@hooks.example.org/cb?x=1");
    EXPECT_EQ(redactUserinfo("http://token@10.0.0.1:8080"), "http://***@10.0.0.1:8080");
    EXPECT_EQ(redactUserinfo("http://a:b@c@host/p@q"), "http://***@host/p@q");
    EXPECT_EQ(redactUserinfo("http://u:p@[::1]:80/"), "http://***@[::1]:80/");
}

TEST(UrlRedaction, EverythingElseIsLeftAlone) {
    for (const char* same : {"https://hooks.example.org/cb?mail=a@b.org", "http://host/path@x", "not a url", "",
                             "mailto:a@b.org", "http://host#frag@x", "GET https://host:443/x: timed out"})
        EXPECT_EQ(redactUserinfo(same), same);
}

}  // namespace
}  // namespace b3s::core
