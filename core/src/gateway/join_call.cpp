#include "gateway/join_call.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "bbb/param_merge.hpp"
#include "bbb/xml_tree.hpp"
#include "cluster/placement_candidates.hpp"
#include "gateway/answer_rewrite.hpp"
#include "gateway/attendee_limit.hpp"
#include "gateway/backend_failure.hpp"
#include "gateway/browser_pages.hpp"
#include "gateway/join_failover.hpp"
#include "gateway/meeting_lookup.hpp"
#include "gateway/retry_join_link.hpp"
#include "http/request_trace.hpp"
#include "log/logger.hpp"

namespace b3s::core::gateway {
namespace {

log::Logger& joinLog() {
    static log::Logger l("b3s.core.gateway");
    return l;
}

BbbAnswer page(int status, std::string body) {
    BbbAnswer a;
    a.status = status;
    a.content_type = std::string(kHtmlContentType);
    a.body = std::move(body);
    return a;
}

BbbAnswer redirect(std::string location) {
    BbbAnswer a = page(302, redirectPage(location));
    a.location = std::move(location);
    return a;
}

}  // namespace

BbbAnswer JoinCall::operator()(const BbbCall& call) const {
    const auto& frontend = call.frontend->frontend;
    const auto& settings = call.frontend->settings;
    // BBB's rule: anything but "false" redirects.
    const bool browser = call.params.get("redirect").value_or("true") != "false";

    const auto meeting_id = call.params.get("meetingID");
    if (!meeting_id || meeting_id->empty()) return BbbAnswer::failure(bbb::ApiError::missingParamMeetingID());
    const auto full_name = call.params.get("fullName");
    if (!full_name || full_name->empty()) return BbbAnswer::failure(bbb::ApiError::missingParamFullName());
    const std::string encoded = bbb::encodeMeetingIdList(frontend.key, *meeting_id);

    auto unavailable = [&](const std::string& host) {
        joinLog().warn("join_backend_unavailable",
                       {{"frontend", frontend.key}, {"meeting", std::string(*meeting_id)}, {"backend", host}});
        if (!browser) return BbbAnswer::failure(bbb::ApiError::serverUnavailable());
        return page(503, serverUnavailablePage(call.target));
    };

    // A signed page that re-requests this join after a moment.
    auto retryLater = [&] {
        return redirect(std::string(kRetryJoinPathPrefix) + makeRetryJoinBlob(call.target, context_.options.jwt_secret,
                                                                              context_.nowSeconds(),
                                                                              context_.options.retry_join_ttl_s));
    };

    auto snapshot = context_.cluster.snapshot();
    auto [meeting, store_unavailable] = findMeeting(context_, *snapshot, frontend.id, encoded);
    if (meeting && meeting->internal_id) {
        const auto placed_on = meeting->backend_id ? snapshot->backend(*meeting->backend_id) : nullptr;
        // Its backend is gone, or may be: checked, and the meeting re-created elsewhere when
        // it is dead, before anyone is sent there. A healthy backend's joins skip this.
        if (cluster::isLost(*meeting, placed_on.get()) || context_.join_failover.suspect(*placed_on)) {
            if (context_.join_failover.resolve(context_, call, encoded) == JoinFailover::Outcome::Unavailable)
                return unavailable(placed_on ? placed_on->host : "(deleted)");
            snapshot = context_.cluster.snapshot();
            meeting = snapshot->meeting(frontend.id, encoded);
        }
    }
    if (meeting && !meeting->internal_id) {
        // Being created — maybe re-created by another join here: then go where it goes.
        if (const auto outcome = context_.join_failover.awaitRecreation(frontend.id, encoded)) {
            if (*outcome == JoinFailover::Outcome::Unavailable) return unavailable("(re-creating)");
            snapshot = context_.cluster.snapshot();
            meeting = snapshot->meeting(frontend.id, encoded);
        }
    }
    if (!meeting && store_unavailable) {
        // Unknown here and the store cannot say: the meeting may well be running (created
        // through another instance just before the database went away). Never "not found".
        joinLog().warn("join_meeting_unknown_store_unavailable",
                       {{"frontend", frontend.key}, {"meeting", std::string(*meeting_id)}});
        if (!browser) return BbbAnswer::failure(bbb::ApiError::serverUnavailable());
        return retryLater();
    }
    if (!meeting) {
        if (!browser) return BbbAnswer::failure(bbb::ApiError::invalidMeetingIdentifier());
        return page(404, meetingNotFoundPage(call.target));
    }
    if (!meeting->internal_id) {
        // Placed, create in flight (here or on another instance): come back in a moment.
        if (!browser) return BbbAnswer::failure(bbb::ApiError::invalidMeetingIdentifier());
        return retryLater();
    }
    const auto backend = meeting->backend_id ? snapshot->backend(*meeting->backend_id) : nullptr;
    if (backend) http::requestTrace().backend = metrics::backendLabel(backend->host);
    if (!backend || cluster::isLost(*meeting, backend.get())) return unavailable(backend ? backend->host : "(deleted)");
    if (settings.attendees_limit > 0 &&
        context_.attendee_limit.attendees(*snapshot, frontend.id) >= settings.attendees_limit) {
        joinLog().info("join_limit_reached",
                       {{"frontend", frontend.key}, {"limit", std::to_string(settings.attendees_limit)}});
        if (!browser) return BbbAnswer::failure(bbb::ApiError::attendeesLimitReached());
        return page(403, attendeesLimitPage());
    }

    bbb::ParamList params = call.params;
    bbb::applyParamSettings(params, settings.join_default_params, settings.join_override_params);
    params.set("meetingID", encoded);
    context_.attendance.joined(backend->id, encoded, context_.clock.nowMicros());

    if (browser) return redirect(context_.backends.signedUrl(*backend, "join", params));

    auto result = context_.backends.call(*backend, {"join", std::move(params), {}});
    if (!result.answered()) return backendFailure(result, "join", call, *backend);
    return decodedAnswer(std::move(*result.xml));
}

}  // namespace b3s::core::gateway
