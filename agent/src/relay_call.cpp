#include "relay_call.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/URI.h>

#include <sstream>

namespace b3s::agent {
namespace {

using Poco::JSON::Object;

std::string text(const Object& o) {
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

Object::Ptr params(const std::string& internal_meeting_id) {
    Object::Ptr p = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    p->set("internal_meeting_id", internal_meeting_id);
    return p;
}

RelayCall rpc(const char* action, const Object& parameters, const BbbEvent& event) {
    Object envelope(Poco::JSON_PRESERVE_KEY_ORDER);
    envelope.set("action", std::string(action));
    envelope.set("payload", base64(text(parameters)));
    return {"POST", "/agent/rpc", text(envelope), action, eventName(event), internalMeetingId(event)};
}

struct CallOf {
    const BbbEvent& event;

    RelayCall operator()(const MeetingCreated& e) const {
        auto p = params(e.internal_meeting_id);
        p->set("running", true);
        return rpc("meeting_set_running", *p, event);
    }
    RelayCall operator()(const MeetingEnded& e) const {
        return rpc("meeting_state_reset", *params(e.internal_meeting_id), event);
    }
    RelayCall operator()(const MeetingDestroyed& e) const {
        std::string id;
        Poco::URI::encode(e.internal_meeting_id, "/?#%&+ ", id);
        return {"DELETE", "/meetings/internal:" + id, "", "meeting_delete", eventName(event), e.internal_meeting_id};
    }
    RelayCall operator()(const UserJoined& e) const {
        auto p = params(e.internal_meeting_id);
        Object::Ptr a = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        a->set("UserID", e.attendee.user_id);
        a->set("InternalUserID", e.attendee.internal_user_id);
        a->set("FullName", e.attendee.full_name);
        a->set("Role", e.attendee.role);
        a->set("ClientType", e.attendee.client_type);
        // The event does not say; b3scaled's polls fill these in.
        a->set("IsPresenter", false);
        a->set("IsListeningOnly", false);
        a->set("HasJoinedVoice", false);
        a->set("HasVideo", false);
        p->set("attendee", a);
        return rpc("meeting_add_attendee", *p, event);
    }
    RelayCall operator()(const UserLeft& e) const {
        auto p = params(e.internal_meeting_id);
        p->set("internal_user_id", e.internal_user_id);
        return rpc("meeting_remove_attendee", *p, event);
    }
    RelayCall operator()(const RecordingChanged& e) const {
        auto p = params(e.internal_meeting_id);
        p->set("recording", e.recording);
        return rpc("meeting_set_recording", *p, event);
    }
};

}  // namespace

RelayCall relayCallFor(const BbbEvent& event) {
    return std::visit(CallOf{event}, event);
}

std::string base64(std::string_view bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    encoder.close();
    return out.str();
}

}  // namespace b3s::agent
