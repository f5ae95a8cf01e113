// getMeetings on the node's own BBB: the signed URL and the answer.
#include "get_meetings.hpp"

#include "bbb/checksum.hpp"

#include <gtest/gtest.h>

namespace b3s::agent::test {
namespace {

TEST(GetMeetings, TheUrlIsSignedWithTheSecret) {
    const auto url = getMeetingsUrl("https://bbb.example.org/bigbluebutton/api/", "secret");
    const std::string prefix = "https://bbb.example.org/bigbluebutton/api/getMeetings?checksum=";
    ASSERT_EQ(url.rfind(prefix, 0), 0u) << url;
    const auto checksum = url.substr(prefix.size());
    EXPECT_EQ(checksum.size(), 64u);
    EXPECT_TRUE(core::bbb::verifyChecksum("getMeetings", "checksum=" + checksum, "secret").ok);
    EXPECT_FALSE(core::bbb::verifyChecksum("getMeetings", "checksum=" + checksum, "other").ok);
}

TEST(GetMeetings, ReadsMeetingsAndTheirAttendees) {
    std::string error;
    const auto s = parseGetMeetings(R"(<response>
<returncode>SUCCESS</returncode>
<meetings>
<meeting><meetingName>A</meetingName><meetingID>a</meetingID><internalMeetingID>int-a</internalMeetingID>
<attendees><attendee><userID>w_1</userID><fullName>One</fullName></attendee><attendee><userID>w_2</userID></attendee></attendees>
</meeting>
<meeting><meetingID>b</meetingID><internalMeetingID>int-b</internalMeetingID><attendees/></meeting>
<meeting><meetingID>no-internal-id</meetingID></meeting>
</meetings>
</response>)",
                                    error);
    ASSERT_TRUE(s) << error;
    ASSERT_EQ(s->meetings.size(), 2u);
    EXPECT_EQ(s->meetings.at("int-a"), (std::set<std::string>{"w_1", "w_2"}));
    EXPECT_TRUE(s->meetings.at("int-b").empty());
}

TEST(GetMeetings, NoMeetingsIsAnEmptySnapshot) {
    std::string error;
    const auto s = parseGetMeetings(
        "<response><returncode>SUCCESS</returncode><meetings/><messageKey>noMeetings</messageKey></response>", error);
    ASSERT_TRUE(s) << error;
    EXPECT_TRUE(s->meetings.empty());
}

TEST(GetMeetings, FailuresAreNotSnapshots) {
    std::string error;
    EXPECT_FALSE(
        parseGetMeetings("<response><returncode>FAILED</returncode><messageKey>checksumError</messageKey>"
                         "</response>",
                         error));
    EXPECT_NE(error.find("checksumError"), std::string::npos) << error;
    EXPECT_FALSE(parseGetMeetings("<html>502 Bad Gateway</html>", error));
    EXPECT_FALSE(parseGetMeetings("", error));
}

}  // namespace
}  // namespace b3s::agent::test
