#include "util/loggable_url.hpp"

#include <gtest/gtest.h>

namespace b3s::core {
namespace {

TEST(LoggableUrlTest, UserinfoAndQueryNeverReachALog) {
    const auto shown = loggableUrl("https://moodle:s3cret-pass@lms.example.org:8443/cb/end?token=abc&meetingID=m");
    EXPECT_EQ(shown, "https://***@lms.example.org:8443/cb/end");
    EXPECT_EQ(shown.find("s3cret"), std::string::npos);
    EXPECT_EQ(shown.find("moodle"), std::string::npos);
    EXPECT_EQ(shown.find("token"), std::string::npos);
}

TEST(LoggableUrlTest, PlainUrlsKeepHostPortAndPath) {
    EXPECT_EQ(loggableUrl("http://lms.example.org/cb"), "http://lms.example.org/cb");
    EXPECT_EQ(loggableUrl("http://127.0.0.1:8080/cb?x=1"), "http://127.0.0.1:8080/cb");
    EXPECT_EQ(loggableUrl("http://[::1]:8080/cb"), "http://[::1]:8080/cb");
    EXPECT_EQ(loggableUrl("http://user@[::1]/"), "http://***@[::1]/");
}

TEST(LoggableUrlTest, GarbageIsNamedNotEchoed) {
    EXPECT_EQ(loggableUrl("http://[broken"), "(unparsable URL)");
}

}  // namespace
}  // namespace b3s::core
