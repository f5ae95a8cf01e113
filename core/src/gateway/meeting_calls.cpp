#include "gateway/meeting_calls.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "cluster/placement_candidates.hpp"
#include "gateway/answer_rewrite.hpp"
#include "gateway/backend_failure.hpp"
#include "http/request_trace.hpp"
#include "log/logger.hpp"

#include <Poco/Net/MediaType.h>

namespace b3s::core::gateway {
namespace {

log::Logger& callLog() {
    static log::Logger l("b3s.core.gateway");
    return l;
}

struct Located {
    cluster::MeetingPtr meeting;
    cluster::BackendPtr backend;  ///< set when the meeting exists, was created and runs there
    bool lost = false;            ///< created, but lost with its backend: it runs nowhere now
};

Located locate(const GatewayContext& context, const BbbCall& call, const std::string& encoded) {
    const auto snapshot = context.cluster.snapshot();
    Located found;
    found.meeting = snapshot->meeting(call.frontend->frontend.id, encoded);
    if (!found.meeting || !found.meeting->internal_id) return found;
    auto backend = found.meeting->backend_id ? snapshot->backend(*found.meeting->backend_id) : nullptr;
    if (cluster::isLost(*found.meeting, backend.get())) {
        found.lost = true;
    } else {
        if (backend) http::requestTrace().backend = metrics::backendLabel(backend->host);
        found.backend = std::move(backend);
    }
    return found;
}

bool isXmlBody(const std::string& content_type) {
    try {
        const Poco::Net::MediaType type(content_type);
        return type.matches("application", "xml") || type.matches("text", "xml");
    } catch (const Poco::Exception&) {
        return false;
    }
}

bbb::ParamList withMeetingId(const bbb::ParamList& params, const std::string& encoded) {
    bbb::ParamList out = params;
    out.set("meetingID", encoded);
    return out;
}

}  // namespace

BbbAnswer EndCall::operator()(const BbbCall& call) const {
    const auto meeting_id = call.params.get("meetingID");
    if (!meeting_id || meeting_id->empty()) return BbbAnswer::failure(bbb::ApiError::missingParamMeetingID());
    const std::string encoded = bbb::encodeMeetingIdList(call.frontend->frontend.key, *meeting_id);
    const auto found = locate(context_, call, encoded);
    if (found.lost) {
        // Nothing runs to end: forget it, so it is not re-created on its next join.
        try {
            if (context_.store.deleteMeeting(call.frontend->frontend.id, encoded))
                context_.cluster.removeMeeting(encoded);
        } catch (const store::StoreError& e) {
            callLog().warn("end_forget_failed", {{"meeting", std::string(*meeting_id)}, {"error", e.what()}});
            return BbbAnswer::failure(
                bbb::ApiError::internalError("The meeting could not be ended; please try again."));
        }
    }
    if (!found.backend) return BbbAnswer::failure(bbb::ApiError::notFound());

    auto result = context_.backends.call(*found.backend, {"end", withMeetingId(call.params, encoded), {}});
    if (!result.answered()) return backendFailure(result, "end", call, *found.backend);
    if (result.succeeded() || result.messageKey() == "notFound") {
        // Ended, or gone already: the id is free for the next create, wherever it lands.
        try {
            if (context_.store.deleteMeeting(call.frontend->frontend.id, encoded))
                context_.cluster.removeMeeting(encoded);
        } catch (const store::StoreError& e) {
            callLog().warn("end_forget_failed", {{"meeting", std::string(*meeting_id)}, {"error", e.what()}});
        }
    }
    return decodedAnswer(std::move(*result.xml));
}

BbbAnswer ForwardedMeetingCall::operator()(const BbbCall& call) const {
    const auto meeting_id = call.params.get("meetingID");
    if (!meeting_id || meeting_id->empty()) return BbbAnswer::failure(bbb::ApiError::missingParamMeetingID());
    if (call_ == "insertDocument" && !isXmlBody(call.content_type))
        return BbbAnswer::failure(bbb::ApiError::unsupportedContentType());
    const std::string encoded = bbb::encodeMeetingIdList(call.frontend->frontend.key, *meeting_id);
    const auto found = locate(context_, call, encoded);
    if (!found.backend) {
        if (call_ == "isMeetingRunning") {
            bbb::SuccessResponse running;
            running.element("running", "false");
            return BbbAnswer::xml(running.finish());
        }
        return BbbAnswer::failure(bbb::ApiError::notFound());
    }
    auto result = context_.backends.call(*found.backend, {call_, withMeetingId(call.params, encoded), call.body});
    if (!result.answered()) return backendFailure(result, call_, call, *found.backend);
    return decodedAnswer(std::move(*result.xml));
}

}  // namespace b3s::core::gateway
