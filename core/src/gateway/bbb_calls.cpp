#include "gateway/bbb_calls.hpp"

#include "gateway/create_call.hpp"
#include "gateway/get_meetings_call.hpp"
#include "gateway/join_call.hpp"
#include "gateway/meeting_calls.hpp"
#include "gateway/recording_calls.hpp"

namespace b3s::core::gateway {

void registerBbbCalls(BbbIngress& ingress, const GatewayContext& context, const RecordingCalls& recordings) {
    const std::vector<std::string> get_post = {"GET", "POST"};
    const std::vector<std::string> get = {"GET"};
    const std::vector<std::string> post = {"POST"};

    ingress.on("create", get_post, CreateCall(context));
    ingress.on("join", get, JoinCall(context));
    ingress.on("end", get_post, EndCall(context));
    ingress.on("isMeetingRunning", get_post, ForwardedMeetingCall(context, "isMeetingRunning"));
    ingress.on("getMeetingInfo", get_post, ForwardedMeetingCall(context, "getMeetingInfo"));
    ingress.on("insertDocument", post, ForwardedMeetingCall(context, "insertDocument"));
    ingress.on("sendChatMessage", get, ForwardedMeetingCall(context, "sendChatMessage"));
    ingress.on("getMeetings", get_post, GetMeetingsCall(context));

    const auto& r = recordings;
    ingress.on("getRecordings", get_post, [&r](const BbbCall& call) { return r.getRecordings(call); });
    ingress.on("publishRecordings", get, [&r](const BbbCall& call) { return r.publishRecordings(call); });
    ingress.on("updateRecordings", get_post, [&r](const BbbCall& call) { return r.updateRecordings(call); });
    ingress.on("deleteRecordings", get, [&r](const BbbCall& call) { return r.deleteRecordings(call); });
    ingress.on("getRecordingTextTracks", get_post,
               [&r](const BbbCall& call) { return r.getRecordingTextTracks(call); });
    ingress.on("putRecordingTextTrack", post, [&r](const BbbCall& call) { return r.putRecordingTextTrack(call); });
}

}  // namespace b3s::core::gateway
