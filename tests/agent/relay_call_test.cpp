// The requests b3scaled is sent for each event (spec §3.8: base64 payloads).
#include "relay_call.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <sstream>

namespace b3s::agent::test {
namespace {

using Poco::JSON::Object;

Object::Ptr parse(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Object::Ptr>();
}

std::string unbase64(const std::string& text) {
    std::istringstream in(text);
    Poco::Base64Decoder decoder(in);
    return std::string((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
}

/// The RPC's action and its decoded parameters.
std::pair<std::string, Object::Ptr> rpcOf(const RelayCall& call) {
    EXPECT_EQ(call.method, "POST");
    EXPECT_EQ(call.path, "/agent/rpc");
    const auto envelope = parse(call.body);
    const auto payload = envelope->getValue<std::string>("payload");
    EXPECT_EQ(payload.find('\n'), std::string::npos);
    return {envelope->getValue<std::string>("action"), parse(unbase64(payload))};
}

TEST(RelayCalls, MeetingCreatedSetsTheMeetingRunning) {
    const auto [action, params] = rpcOf(relayCallFor(MeetingCreated{"int-1", "ext-1"}));
    EXPECT_EQ(action, "meeting_set_running");
    EXPECT_EQ(params->getValue<std::string>("internal_meeting_id"), "int-1");
    EXPECT_TRUE(params->getValue<bool>("running"));
}

TEST(RelayCalls, MeetingEndedResetsTheMeetingsState) {
    const auto [action, params] = rpcOf(relayCallFor(MeetingEnded{"int-1"}));
    EXPECT_EQ(action, "meeting_state_reset");
    EXPECT_EQ(params->getValue<std::string>("internal_meeting_id"), "int-1");
    EXPECT_EQ(params->size(), 1u);
}

TEST(RelayCalls, MeetingDestroyedDeletesTheMeetingByItsInternalId) {
    const auto call = relayCallFor(MeetingDestroyed{"abc-123"});
    EXPECT_EQ(call.method, "DELETE");
    EXPECT_EQ(call.path, "/meetings/internal:abc-123");
    EXPECT_EQ(call.body, "");
    EXPECT_EQ(call.internal_meeting_id, "abc-123");
    EXPECT_EQ(relayCallFor(MeetingDestroyed{"a/b?c"}).path, "/meetings/internal:a%2Fb%3Fc");
}

TEST(RelayCalls, UserJoinedAddsAnAttendeeInB3scalesShape) {
    const auto [action, params] =
        rpcOf(relayCallFor(UserJoined{"int-1", {"ext-u", "w_u", "Bob Ünicode", "VIEWER", "HTML5"}}));
    EXPECT_EQ(action, "meeting_add_attendee");
    EXPECT_EQ(params->getValue<std::string>("internal_meeting_id"), "int-1");
    const auto a = params->getObject("attendee");
    EXPECT_EQ(a->getValue<std::string>("UserID"), "ext-u");
    EXPECT_EQ(a->getValue<std::string>("InternalUserID"), "w_u");
    EXPECT_EQ(a->getValue<std::string>("FullName"), "Bob Ünicode");
    EXPECT_EQ(a->getValue<std::string>("Role"), "VIEWER");
    EXPECT_EQ(a->getValue<std::string>("ClientType"), "HTML5");
    for (const char* flag : {"IsPresenter", "IsListeningOnly", "HasJoinedVoice", "HasVideo"})
        EXPECT_FALSE(a->getValue<bool>(flag)) << flag;
}

TEST(RelayCalls, UserLeftRemovesTheAttendeeByInternalUserId) {
    const auto [action, params] = rpcOf(relayCallFor(UserLeft{"int-1", "w_u"}));
    EXPECT_EQ(action, "meeting_remove_attendee");
    EXPECT_EQ(params->getValue<std::string>("internal_meeting_id"), "int-1");
    EXPECT_EQ(params->getValue<std::string>("internal_user_id"), "w_u");
}

TEST(RelayCalls, RecordingChangedSetsTheMeetingsRecordingFlag) {
    const auto [action, params] = rpcOf(relayCallFor(RecordingChanged{"int-1", true}));
    EXPECT_EQ(action, "meeting_set_recording");
    EXPECT_EQ(params->getValue<std::string>("internal_meeting_id"), "int-1");
    EXPECT_TRUE(params->getValue<bool>("recording"));
}

TEST(RelayCalls, Base64IsStandardAndPadded) {
    EXPECT_EQ(base64(""), "");
    EXPECT_EQ(base64("f"), "Zg==");
    EXPECT_EQ(base64("fo"), "Zm8=");
    EXPECT_EQ(base64("foo"), "Zm9v");
    EXPECT_EQ(base64("\xfb\xff"), "+/8=");
    EXPECT_EQ(base64(std::string(200, 'x')).find('\n'), std::string::npos);
}

}  // namespace
}  // namespace b3s::agent::test
