// Decoding BBB's real event JSON (fixtures/, shapes from bbb-common-message).
#include "agent_fixtures.hpp"

#include "bbb_event.hpp"

#include <gtest/gtest.h>

namespace b3s::agent::test {
namespace {

using Outcome = DecodedMessage::Outcome;

DecodedMessage decodeFixture(const std::string& name) {
    return decodeBbbMessage(fixtureText(name + ".json"));
}

TEST(BbbEventDecoding, MeetingCreatedTakesTheIdsFromTheMeetingProp) {
    const auto d = decodeFixture("MeetingCreatedEvtMsg");
    ASSERT_EQ(d.outcome, Outcome::Event) << d.error;
    const auto& e = std::get<MeetingCreated>(*d.event);
    EXPECT_EQ(e.internal_meeting_id, kFixtureMeeting);
    EXPECT_EQ(e.meeting_id, kFixtureExternalMeeting);
    EXPECT_STREQ(eventName(*d.event), "MeetingCreatedEvtMsg");
    EXPECT_EQ(internalMeetingId(*d.event), kFixtureMeeting);
}

TEST(BbbEventDecoding, MeetingEndedAndDestroyedTakeTheBodysMeetingId) {
    auto d = decodeFixture("MeetingEndedEvtMsg");
    ASSERT_EQ(d.outcome, Outcome::Event) << d.error;
    EXPECT_EQ(std::get<MeetingEnded>(*d.event).internal_meeting_id, kFixtureMeeting);
    d = decodeFixture("MeetingDestroyedEvtMsg");
    ASSERT_EQ(d.outcome, Outcome::Event) << d.error;
    EXPECT_EQ(std::get<MeetingDestroyed>(*d.event).internal_meeting_id, kFixtureMeeting);
}

TEST(BbbEventDecoding, UserJoinedTakesTheMeetingFromTheHeaderAndTheUserFromTheBody) {
    const auto d = decodeFixture("UserJoinedMeetingEvtMsg");
    ASSERT_EQ(d.outcome, Outcome::Event) << d.error;
    const auto& e = std::get<UserJoined>(*d.event);
    EXPECT_EQ(e.internal_meeting_id, kFixtureMeeting);
    EXPECT_EQ(e.attendee.internal_user_id, kFixtureUser);
    EXPECT_EQ(e.attendee.user_id, kFixtureExternalUser);
    EXPECT_EQ(e.attendee.full_name, kFixtureName);
    EXPECT_EQ(e.attendee.role, "MODERATOR");
    EXPECT_EQ(e.attendee.client_type, "HTML5");
}

TEST(BbbEventDecoding, UserLeftTakesMeetingAndUserFromTheHeader) {
    const auto d = decodeFixture("UserLeftMeetingEvtMsg");
    ASSERT_EQ(d.outcome, Outcome::Event) << d.error;
    const auto& e = std::get<UserLeft>(*d.event);
    EXPECT_EQ(e.internal_meeting_id, kFixtureMeeting);
    EXPECT_EQ(e.internal_user_id, kFixtureUser);
}

TEST(BbbEventDecoding, RecordingStatusChangedSaysWhetherTheMeetingRecords) {
    const auto text = fixtureText("RecordingStatusChangedEvtMsg.json");
    EXPECT_TRUE(mayBeRelayed(text));
    const auto d = decodeBbbMessage(text);
    ASSERT_EQ(d.outcome, Outcome::Event) << d.error;
    const auto& e = std::get<RecordingChanged>(*d.event);
    EXPECT_EQ(e.internal_meeting_id, kFixtureMeeting);
    EXPECT_TRUE(e.recording);
    EXPECT_STREQ(eventName(*d.event), "RecordingStatusChangedEvtMsg");
    auto stopped = text;
    stopped.replace(stopped.find("\"recording\":true"), 16, "\"recording\":false");
    EXPECT_FALSE(std::get<RecordingChanged>(*decodeBbbMessage(stopped).event).recording);
    auto broken = text;
    broken.replace(broken.find("\"recording\":true"), 16, "\"recording\":\"1\"");
    EXPECT_EQ(decodeBbbMessage(broken).outcome, Outcome::Malformed) << "a string is not a boolean";
}

TEST(BbbEventDecoding, OtherMessagesOnTheChannelAreIgnored) {
    const auto text = fixtureText("UserBroadcastCamStartedEvtMsg.json");
    EXPECT_FALSE(mayBeRelayed(text));
    const auto d = decodeBbbMessage(text);
    EXPECT_EQ(d.outcome, Outcome::Ignored);
    EXPECT_EQ(d.name, "UserBroadcastCamStartedEvtMsg");
    EXPECT_FALSE(d.event);
}

TEST(BbbEventDecoding, ThePrefilterPassesEveryRelayedFixture) {
    for (const char* name : {"MeetingCreatedEvtMsg", "MeetingEndedEvtMsg", "MeetingDestroyedEvtMsg",
                             "UserJoinedMeetingEvtMsg", "UserLeftMeetingEvtMsg"})
        EXPECT_TRUE(mayBeRelayed(fixtureText(std::string(name) + ".json"))) << name;
}

TEST(BbbEventDecoding, UndecodableMessagesAreMalformedNotThrown) {
    for (const char* text : {"", "not json", "[1,2]", "{\"core\":{}}", "{\"envelope\":{\"name\":42}}"}) {
        const auto d = decodeBbbMessage(text);
        EXPECT_EQ(d.outcome, Outcome::Malformed) << text;
        EXPECT_FALSE(d.error.empty()) << text;
    }
}

TEST(BbbEventDecoding, ARelayedEventWithoutItsIdsIsMalformed) {
    auto joined =
        replaceAll(fixtureText("UserJoinedMeetingEvtMsg.json"), "\"intId\":\"" + kFixtureUser + "\"", "\"intId\":\"\"");
    auto d = decodeBbbMessage(joined);
    EXPECT_EQ(d.outcome, Outcome::Malformed);
    EXPECT_EQ(d.name, "UserJoinedMeetingEvtMsg");
    EXPECT_NE(d.error.find("core.body.intId"), std::string::npos) << d.error;

    d = decodeBbbMessage(R"({"envelope":{"name":"MeetingCreatedEvtMsg"},"core":{"header":{},"body":{"props":{}}}})");
    EXPECT_EQ(d.outcome, Outcome::Malformed);
    EXPECT_NE(d.error.find("meetingProp.intId"), std::string::npos) << d.error;

    d = decodeBbbMessage(R"({"envelope":{"name":"MeetingEndedEvtMsg"},"core":{"header":{},"body":{"meetingId":7}}})");
    EXPECT_EQ(d.outcome, Outcome::Malformed);
}

TEST(BbbEventDecoding, UserLeftFallsBackToTheBodysIntId) {
    const auto d = decodeBbbMessage(
        R"({"envelope":{"name":"UserLeftMeetingEvtMsg"},"core":{"header":{"name":"UserLeftMeetingEvtMsg","meetingId":"m-1"},"body":{"intId":"w_1"}}})");
    ASSERT_EQ(d.outcome, Outcome::Event) << d.error;
    EXPECT_EQ(std::get<UserLeft>(*d.event).internal_user_id, "w_1");
}

TEST(BbbEventDecoding, AJoinFromAnOlderBbbWithoutClientTypeIsDecoded) {
    const auto joined = replaceAll(fixtureText("UserJoinedMeetingEvtMsg.json"), ",\"clientType\":\"HTML5\"", "");
    const auto d = decodeBbbMessage(joined);
    ASSERT_EQ(d.outcome, Outcome::Event) << d.error;
    EXPECT_EQ(std::get<UserJoined>(*d.event).attendee.client_type, "");
}

}  // namespace
}  // namespace b3s::agent::test
