#include "bbb_event.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <array>

namespace b3s::agent {
namespace {

using Poco::JSON::Object;

// In the order of BbbEvent's alternatives.
constexpr std::array<const char*, 6> kRelayedNames = {"MeetingCreatedEvtMsg",   "MeetingEndedEvtMsg",
                                                      "MeetingDestroyedEvtMsg", "UserJoinedMeetingEvtMsg",
                                                      "UserLeftMeetingEvtMsg",  "RecordingStatusChangedEvtMsg"};

Object::Ptr objectAt(const Object::Ptr& parent, const char* key) {
    if (!parent || !parent->has(key)) return nullptr;
    const auto value = parent->get(key);
    return value.type() == typeid(Object::Ptr) ? value.extract<Object::Ptr>() : nullptr;
}

std::string stringAt(const Object::Ptr& parent, const char* key) {
    if (!parent || !parent->has(key)) return {};
    const auto value = parent->get(key);
    return value.isString() ? value.extract<std::string>() : std::string();
}

DecodedMessage malformed(std::string name, std::string error) {
    DecodedMessage d;
    d.outcome = DecodedMessage::Outcome::Malformed;
    d.name = std::move(name);
    d.error = std::move(error);
    return d;
}

}  // namespace

const char* eventName(const BbbEvent& event) noexcept {
    return kRelayedNames[event.index()];
}

const std::string& internalMeetingId(const BbbEvent& event) {
    return std::visit([](const auto& e) -> const std::string& { return e.internal_meeting_id; }, event);
}

bool mayBeRelayed(std::string_view json) noexcept {
    for (const char* name : kRelayedNames)
        if (json.find(name) != std::string_view::npos) return true;
    return false;
}

DecodedMessage decodeBbbMessage(std::string_view json) {
    Object::Ptr root;
    try {
        Poco::JSON::Parser parser;
        const auto value = parser.parse(std::string(json));
        if (value.type() == typeid(Object::Ptr)) root = value.extract<Object::Ptr>();
    } catch (const Poco::Exception& e) {
        return malformed({}, "not JSON: " + e.displayText());
    }
    if (!root) return malformed({}, "not a JSON object");
    const auto envelope = objectAt(root, "envelope");
    const std::string name = stringAt(envelope, "name");
    if (name.empty()) return malformed({}, "no envelope.name");

    DecodedMessage d;
    d.name = name;
    const auto core = objectAt(root, "core");
    const auto header = objectAt(core, "header");
    const auto body = objectAt(core, "body");
    const auto require = [&](const std::string& value, const char* field) {
        if (value.empty()) d = malformed(name, std::string("no ") + field);
        return !value.empty();
    };

    if (name == "MeetingCreatedEvtMsg") {
        const auto prop = objectAt(objectAt(body, "props"), "meetingProp");
        MeetingCreated e{stringAt(prop, "intId"), stringAt(prop, "extId")};
        if (!require(e.internal_meeting_id, "core.body.props.meetingProp.intId")) return d;
        d.event = std::move(e);
    } else if (name == "MeetingEndedEvtMsg") {
        MeetingEnded e{stringAt(body, "meetingId")};
        if (!require(e.internal_meeting_id, "core.body.meetingId")) return d;
        d.event = std::move(e);
    } else if (name == "MeetingDestroyedEvtMsg") {
        MeetingDestroyed e{stringAt(body, "meetingId")};
        if (!require(e.internal_meeting_id, "core.body.meetingId")) return d;
        d.event = std::move(e);
    } else if (name == "UserJoinedMeetingEvtMsg") {
        UserJoined e;
        e.internal_meeting_id = stringAt(header, "meetingId");
        e.attendee.internal_user_id = stringAt(body, "intId");
        e.attendee.user_id = stringAt(body, "extId");
        e.attendee.full_name = stringAt(body, "name");
        e.attendee.role = stringAt(body, "role");
        e.attendee.client_type = stringAt(body, "clientType");
        if (!require(e.internal_meeting_id, "core.header.meetingId") ||
            !require(e.attendee.internal_user_id, "core.body.intId"))
            return d;
        d.event = std::move(e);
    } else if (name == "UserLeftMeetingEvtMsg") {
        UserLeft e{stringAt(header, "meetingId"), stringAt(header, "userId")};
        if (e.internal_user_id.empty()) e.internal_user_id = stringAt(body, "intId");
        if (!require(e.internal_meeting_id, "core.header.meetingId") ||
            !require(e.internal_user_id, "core.header.userId"))
            return d;
        d.event = std::move(e);
    } else if (name == "RecordingStatusChangedEvtMsg") {
        RecordingChanged e{stringAt(header, "meetingId")};
        if (!require(e.internal_meeting_id, "core.header.meetingId")) return d;
        const auto recording = body && body->has("recording") ? body->get("recording") : Poco::Dynamic::Var();
        if (recording.type() != typeid(bool)) {
            d = malformed(name, "no boolean core.body.recording");
            return d;
        }
        e.recording = recording.extract<bool>();
        d.event = std::move(e);
    } else {
        return d;  // Ignored
    }
    d.outcome = DecodedMessage::Outcome::Event;
    return d;
}

}  // namespace b3s::agent
