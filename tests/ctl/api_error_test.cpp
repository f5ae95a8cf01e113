#include "api_client.hpp"
#include "api_endpoint.hpp"

#include <gtest/gtest.h>

namespace b3s::ctl {
namespace {

TEST(ApiError, ValidationErrorsNameEveryField) {
    const auto e = apiErrorFrom(400, R"({"error":"validation_error","message":"validation failed with input",
        "fields":{"bbb.host":["should start with http(s)://"],"bbb.secret":["this field is required"]}})");
    EXPECT_STREQ(e.what(),
                 "validation failed with input: bbb.host: should start with http(s)://; bbb.secret: this field is "
                 "required (400 validation_error)");
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.code(), "validation_error");
    EXPECT_EQ(e.fields().at("bbb.host").size(), 1u);
}

TEST(ApiError, StatusSpecificSentences) {
    EXPECT_STREQ(apiErrorFrom(404, R"({"message":"Not Found"})").what(), "the resource could not be found (404)");
    EXPECT_STREQ(apiErrorFrom(404, "").what(), "the resource could not be found (404)");
    EXPECT_STREQ(apiErrorFrom(404, R"({"error":"not_found","message":"no backend with this id"})").what(),
                 "no backend with this id (404)");
    EXPECT_STREQ(apiErrorFrom(401, R"({"error":"unauthorized","message":"invalid or expired jwt"})").what(),
                 "the API refused the access token (401: invalid or expired jwt)");
    EXPECT_STREQ(apiErrorFrom(403, R"({"message":"b3scale:admin scope required"})").what(),
                 "the access token may not do this (403: b3scale:admin scope required)");
    EXPECT_STREQ(apiErrorFrom(409, R"({"error":"conflict","message":"a backend with this host exists"})").what(),
                 "a backend with this host exists (409 conflict)");
}

TEST(ApiError, NonJsonBodiesAreNotEchoed) {
    EXPECT_STREQ(apiErrorFrom(502, "<html>secret stuff</html>").what(), "b3scaled answered HTTP 502");
}

TEST(ApiEndpoint, ParsesAndNormalises) {
    const auto e = ApiEndpoint::parse("https://b3s.example.org/");
    EXPECT_EQ(e.url, "https://b3s.example.org");
    EXPECT_EQ(e.port, 443);
    EXPECT_EQ(e.target("/api/v1"), "/api/v1");
    const auto p = ApiEndpoint::parse("http://127.0.0.1:42352/b3s//");
    EXPECT_EQ(p.url, "http://127.0.0.1:42352/b3s");
    EXPECT_EQ(p.port, 42352);
    EXPECT_EQ(p.target("/api/v1/backends"), "/b3s/api/v1/backends");
    EXPECT_THROW(ApiEndpoint::parse("127.0.0.1:42352"), UsageError);
    EXPECT_THROW(ApiEndpoint::parse("ftp://x"), UsageError);
    EXPECT_THROW(ApiEndpoint::parse("http://x/?a=b"), UsageError);
}

TEST(ApiEndpoint, QueriesArePercentEncoded) {
    EXPECT_EQ(encodeQuery({{"host", "https://a.example.org/bigbluebutton/api/"}, {"k", "a b&c"}}),
              "host=https%3A%2F%2Fa.example.org%2Fbigbluebutton%2Fapi%2F&k=a%20b%26c");
}

}  // namespace
}  // namespace b3s::ctl
