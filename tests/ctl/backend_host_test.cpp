#include "backend_host.hpp"
#include "ctl_error.hpp"

#include <gtest/gtest.h>

namespace b3s::ctl {
namespace {

TEST(BackendHost, AppendsTheApiPathAndASlash) {
    EXPECT_EQ(normaliseBackendHost("https://bbb1.example.org"), "https://bbb1.example.org/bigbluebutton/api/");
    EXPECT_EQ(normaliseBackendHost("https://bbb1.example.org/"), "https://bbb1.example.org/bigbluebutton/api/");
    EXPECT_EQ(normaliseBackendHost("https://bbb1.example.org/bigbluebutton/api"),
              "https://bbb1.example.org/bigbluebutton/api/");
    EXPECT_EQ(normaliseBackendHost("https://bbb1.example.org/bigbluebutton/api/"),
              "https://bbb1.example.org/bigbluebutton/api/");
    EXPECT_EQ(normaliseBackendHost("http://127.0.0.1:8080/bigbluebutton/api/"),
              "http://127.0.0.1:8080/bigbluebutton/api/");
    EXPECT_EQ(normaliseBackendHost("https://example.org/node7"), "https://example.org/node7/bigbluebutton/api/");
}

TEST(BackendHost, RefusesWhatIsNoHttpUrl) {
    EXPECT_THROW(normaliseBackendHost("bbb1.example.org"), UsageError);
    EXPECT_THROW(normaliseBackendHost("ftp://bbb1.example.org"), UsageError);
    EXPECT_THROW(normaliseBackendHost("https://"), UsageError);
    EXPECT_THROW(normaliseBackendHost("https:///x"), UsageError);
    EXPECT_THROW(normaliseBackendHost("https://a b"), UsageError);
}

}  // namespace
}  // namespace b3s::ctl
