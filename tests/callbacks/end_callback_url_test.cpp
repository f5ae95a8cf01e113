// What a meeting-ended callback may add to the frontend's URL: the URL stays byte for byte,
// its own parameters win, only BBB's meetingID (decoded) and recordingmarks are added, and a
// meeting id that is not the token's is refused. Written as the replays a tenant who read its
// proxy URL would try.

#include "callbacks/end_callback_url.hpp"
#include "bbb/meeting_id_codec.hpp"
#include "bbb/query_string.hpp"

#include <gtest/gtest.h>

namespace b3s::core::callbacks {
namespace {

using Outcome = EndCallbackUrl::Outcome;

const std::string kBound = bbb::encodeMeetingId("tenant", "room 1");

bbb::ParamList query(std::string_view raw) {
    auto parsed = bbb::parseQuery(raw, 64 * 1024);
    EXPECT_TRUE(parsed.ok()) << raw;
    return parsed.query.params;
}

TEST(EndCallbackUrlTest, WhatBbbSendsReachesTheFrontendWithItsOwnMeetingId) {
    std::string raw = "recordingmarks=false&meetingID=";
    raw += kBound;  // base64url with '=' padding: form-decoding keeps it
    const auto r = endCallbackUrl("https://lms.example.org/ended?room=7", query(raw), kBound);
    ASSERT_EQ(r.outcome, Outcome::Deliver);
    EXPECT_EQ(r.url, "https://lms.example.org/ended?room=7&meetingID=room+1&recordingmarks=false");
    // meetingEndedURL: BBB calls it as given.
    EXPECT_EQ(endCallbackUrl("https://lms.example.org/gone", {}, kBound).url, "https://lms.example.org/gone");
}

TEST(EndCallbackUrlTest, ExtraParametersAreDroppedAndTheUrlsOwnAreNeverOverridden) {
    const std::string url = "https://lms.example.org/hook?url=https%3A%2F%2Fsafe.example&token=abc&meetingID=mine#top";
    const auto r =
        endCallbackUrl(url,
                       query("url=http%3A%2F%2F127.0.0.1%2Finternal-admin&extra=1&token=stolen&meetingID=" + kBound +
                             "&recordingmarks=true&checksum=x"),
                       kBound);
    ASSERT_EQ(r.outcome, Outcome::Deliver);
    EXPECT_EQ(r.url,
              "https://lms.example.org/hook?url=https%3A%2F%2Fsafe.example&token=abc&meetingID=mine&recordingmarks=true"
              "#top");
    // Nothing but junk: the URL exactly as the frontend gave it.
    EXPECT_EQ(endCallbackUrl(url, query("extra=1&url=x&recordingmarks=maybe"), kBound).url, url);
}

TEST(EndCallbackUrlTest, AnotherMeetingsIdIsRefusedInEverySpelling) {
    const auto other = bbb::encodeMeetingId("tenant", "room 2");
    for (const auto* name : {"meetingID", "meeting_id", "meetingId", "meetingid"}) {
        const auto r = endCallbackUrl("https://lms.example.org/e", query(std::string(name) + "=" + other), kBound);
        EXPECT_EQ(r.outcome, Outcome::WrongMeeting) << name;
        EXPECT_TRUE(r.url.empty());
    }
    EXPECT_EQ(endCallbackUrl("https://lms.example.org/e", query("meetingID=room+1"), kBound).outcome,
              Outcome::WrongMeeting)
        << "BBB sends the id it was given: the encoded one";
}

TEST(EndCallbackUrlTest, OnlyHttpUrlsAreDelivered) {
    for (const auto* url : {"ftp://lms.example.org/x", "file:///etc/passwd", "javascript:alert(1)", "/relative", ""})
        EXPECT_EQ(endCallbackUrl(url, {}, kBound).outcome, Outcome::InvalidUrl) << url;
}

TEST(EndCallbackUrlTest, AnOwnQueryEndingInASeparatorGetsNoSecondOne) {
    EXPECT_EQ(endCallbackUrl("https://l.example/e?", query("recordingmarks=true"), kBound).url,
              "https://l.example/e?recordingmarks=true");
    EXPECT_EQ(endCallbackUrl("https://l.example/e?a=1&", query("recordingmarks=true"), kBound).url,
              "https://l.example/e?a=1&recordingmarks=true");
}

}  // namespace
}  // namespace b3s::core::callbacks
